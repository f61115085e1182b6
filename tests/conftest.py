"""The suite's fixtures: the trained model, data files, fake Telegram and Slack
APIs, and the real servers. Helpers the tests import are in support.py.

Each test is marked by its layer from where it lives and what it uses
(pytest_collection_modifyitems below): `make test-unit` runs the unit layer.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from support import API_TOKEN, MODEL, ROOT, free_port, load_yaml

# As `make` sets it: no telemetry or crash reports from the servers the tests start.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
# Actions run in this process (unit tests) keep their diary in a database of the
# test run's own, never in the project's var/.
os.environ.setdefault("TRACKER_DB", str(Path(tempfile.mkdtemp(prefix="bfs-tests-")) / "tracker.db"))


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail(f"{MODEL.relative_to(ROOT)} is missing: run `make train` (make test does it)")
    return MODEL


@pytest.fixture(scope="session")
def domain() -> dict:
    return load_yaml(ROOT / "domain.yml")


@pytest.fixture(scope="session")
def faq_responses() -> dict:
    return load_yaml(ROOT / "data" / "responses" / "faq.yml")["responses"]


@pytest.fixture(scope="session")
def training_examples():
    """(text, label) pairs of the training data, label `faq/<topic>` for FAQs."""
    from scripts.evaluate_nlu import load_examples

    return load_examples(ROOT / "data" / "nlu")


@pytest.fixture(scope="session")
def test_examples():
    from scripts.evaluate_nlu import load_examples

    return load_examples(ROOT / "tests" / "nlu_test.yml")


# --- The real servers, started as `make run` starts them (shared by the end-to-end tests).


@pytest.fixture(scope="session")
def telegram_api():
    from fake_apis import FakeApi, telegram_reply

    api = FakeApi(telegram_reply)
    yield api
    api.close()


@pytest.fixture(scope="session")
def slack_api():
    from fake_apis import FakeApi, slack_reply

    api = FakeApi(slack_reply)
    yield api
    api.close()


@pytest.fixture(scope="session")
def servers(model_path, tmp_path_factory, telegram_api, slack_api):
    """The action server, a Rasa server (HTTP API on) and the web page, started by the launcher
    as `make run` starts them, with the Telegram and Slack channels pointed at fakes."""
    from fake_apis import SLACK_SIGNING_SECRET, SLACK_TOKEN, TELEGRAM_BOT_NAME, TELEGRAM_SECRET_TOKEN, TELEGRAM_TOKEN

    from deploy.launcher import Processes, rasa_command, render_runtime_files, web_command

    tmp = tmp_path_factory.mktemp("servers")
    action_port, rasa_port, web_port = free_port(), free_port(), free_port()
    env = dict(
        os.environ,
        SANIC_HOST="127.0.0.1",
        BFS_BOOKING_URL="https://clinic.example/book",
        TELEGRAM_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_BOT_NAME=TELEGRAM_BOT_NAME,
        TELEGRAM_WEBHOOK_URL="https://bot.example/webhooks/telegram/webhook",
        TELEGRAM_API_BASE_URL=telegram_api.url,
        TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET_TOKEN,
        SLACK_TOKEN=SLACK_TOKEN,
        SLACK_SIGNING_SECRET=SLACK_SIGNING_SECRET,
        SLACK_API_BASE_URL=slack_api.url + "/api/",
        WEB_ORIGINS=f"http://127.0.0.1:{web_port}",
        BFS_REPORT_URL=f"http://127.0.0.1:{web_port}",
        ACTION_PORT=str(action_port),
        TRACKER_DB=str(tmp / "tracker.db"),
        # The follow-up runs on a test clock the tests move (followup/clock.py),
        # and due check-ins are looked for every second.
        BFS_TEST_CLOCK=str(tmp / "clock.txt"),
        BFS_CHECKIN_POLL_SECONDS="1",
    )
    files = render_runtime_files(env, tmp)
    logs = {name: tmp / f"{name}.log" for name in ("actions", "rasa", "web")}
    procs = Processes()
    try:
        procs.start_action_server(action_port, env, logs["actions"])
        procs.start(
            "rasa",
            rasa_command(
                "run",
                model_path,
                rasa_port,
                files["endpoints"],
                files["credentials"],
                api_args=["--enable-api", "--auth-token", API_TOKEN],
            ),
            env,
            logs["rasa"],
        )
        procs.start("web", web_command(web_port, rasa_port=rasa_port), env, logs["web"])
        procs.wait_for("rasa", f"http://127.0.0.1:{rasa_port}/webhooks/rest/", "the Rasa server")
        procs.wait_for("web", f"http://127.0.0.1:{web_port}/health", "the web page")
    except RuntimeError as problem:  # a server stopped or never answered: its log says why
        procs.stop()
        pytest.fail(str(problem))
    try:
        yield {
            "rest": f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            "action_port": action_port,
            "api": f"http://127.0.0.1:{rasa_port}",
            "telegram": f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook",
            "slack": f"http://127.0.0.1:{rasa_port}/webhooks/slack/webhook",
            "web": f"http://127.0.0.1:{web_port}",
            "socket": f"http://127.0.0.1:{rasa_port}",
            "logs": logs,
            "tracker_db": tmp / "tracker.db",
            "clock": tmp / "clock.txt",
            "endpoints": files["endpoints"],
            "env": env,
            "processes": procs,
        }
    finally:
        procs.stop()


# --- Layers: the folder a test lives in is its layer, and its marker.

LAYERS = ("unit", "integration", "system")
# What a unit test may not use: it must run with no servers and no trained model.
NOT_UNIT = {"servers", "model_path", "cluster"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        layer = Path(str(item.fspath)).parent.name
        if layer not in LAYERS:
            raise pytest.UsageError(f"{item.nodeid}: tests live in tests/unit, tests/integration or tests/system")
        if layer == "unit" and NOT_UNIT & set(item.fixturenames):
            raise pytest.UsageError(
                f"{item.nodeid} uses {sorted(NOT_UNIT & set(item.fixturenames))}: " "move it to tests/integration"
            )
        item.add_marker(getattr(pytest.mark, layer))
