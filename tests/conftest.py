"""Shared paths and fixtures for the test suite."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "bfs-assistant.tar.gz"
CONTRACT = ROOT.parent / "shared" / "spec" / "assistant_contract.md"
ARTICLE = ROOT.parent / "shared" / "knowledge" / "bfs_article.txt"

# As `make` sets it: no telemetry or crash reports from the servers the tests start.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from deploy.cluster import free_port, wait_until  # noqa: E402,F401 (free_port: for the tests)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


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
    from evaluate_nlu import load_examples

    return load_examples(ROOT / "data" / "nlu")


@pytest.fixture(scope="session")
def test_examples():
    from evaluate_nlu import load_examples

    return load_examples(ROOT / "tests" / "nlu_test.yml")


# --- The real servers, started as `make run` starts them (shared by the end-to-end tests).

BIN = Path(sys.executable).parent
API_TOKEN = "test-token-not-secret"


def wait_for(url: str, proc: subprocess.Popen, log: Path) -> None:
    try:
        wait_until(lambda: requests.get(url, timeout=2).ok, url, proc, log)
    except RuntimeError as problem:  # the server stopped or never answered: its log says why
        pytest.fail(str(problem))


def listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a socket listening on `port` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


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
    from deploy.config import render
    from fake_apis import (SLACK_SIGNING_SECRET, SLACK_TOKEN, TELEGRAM_BOT_NAME, TELEGRAM_SECRET_TOKEN,
                           TELEGRAM_TOKEN)

    tmp = tmp_path_factory.mktemp("servers")
    action_port, rasa_port, web_port = free_port(), free_port(), free_port()
    env = dict(os.environ, SANIC_HOST="127.0.0.1", BFS_BOOKING_URL="https://clinic.example/book",
               TELEGRAM_TOKEN=TELEGRAM_TOKEN, TELEGRAM_BOT_NAME=TELEGRAM_BOT_NAME,
               TELEGRAM_WEBHOOK_URL="https://bot.example/webhooks/telegram/webhook",
               TELEGRAM_API_BASE_URL=telegram_api.url, TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET_TOKEN,
               SLACK_TOKEN=SLACK_TOKEN, SLACK_SIGNING_SECRET=SLACK_SIGNING_SECRET,
               SLACK_API_BASE_URL=slack_api.url + "/api/",
               WEB_ORIGINS=f"http://127.0.0.1:{web_port}",
               ACTION_PORT=str(action_port), TRACKER_DB=str(tmp / "tracker.db"))
    endpoints = render(ROOT / "endpoints.yml", env, tmp / "endpoints.yml")
    credentials_path = render(ROOT / "credentials.yml", env, tmp / "credentials.yml")
    logs = {name: tmp / f"{name}.log" for name in ("actions", "rasa", "web")}
    procs = [
        subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)],
            cwd=ROOT, env=env, stdout=logs["actions"].open("w"), stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", str(model_path), "--endpoints", str(endpoints),
             "--credentials", str(credentials_path), "--interface", "127.0.0.1",
             "--port", str(rasa_port), "--enable-api", "--auth-token", API_TOKEN],
            cwd=ROOT, env=env, stdout=logs["rasa"].open("w"), stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "python"), "-m", "web.app", "--host", "127.0.0.1", "--port", str(web_port),
             "--rasa-port", str(rasa_port)],
            cwd=ROOT, env=env, stdout=logs["web"].open("w"), stderr=subprocess.STDOUT,
        ),
    ]
    try:
        wait_for(f"http://127.0.0.1:{action_port}/health", procs[0], logs["actions"])
        wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", procs[1], logs["rasa"])
        wait_for(f"http://127.0.0.1:{web_port}/health", procs[2], logs["web"])
        yield {"rest": f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", "action_port": action_port,
               "api": f"http://127.0.0.1:{rasa_port}",
               "telegram": f"http://127.0.0.1:{rasa_port}/webhooks/telegram/webhook",
               "slack": f"http://127.0.0.1:{rasa_port}/webhooks/slack/webhook",
               "web": f"http://127.0.0.1:{web_port}", "socket": f"http://127.0.0.1:{rasa_port}",
               "logs": logs, "tracker_db": tmp / "tracker.db", "endpoints": endpoints, "env": env}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def post_message(webhook: str, sender: str, message: str, timeout: float = 60) -> list[dict]:
    """One message through a REST webhook; the replies."""
    response = requests.post(webhook, json={"sender": sender, "message": message}, timeout=timeout)
    assert response.status_code == 200, response.text
    return response.json()


def say(servers, sender: str, message: str) -> list[dict]:
    return post_message(servers["rest"], sender, message)


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def fetch_tracker(api: str, sender: str, token: str = API_TOKEN) -> dict:
    """A conversation's tracker from a Rasa server's HTTP API."""
    response = requests.get(f"{api}/conversations/{sender}/tracker", params={"token": token}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def tracker(servers, sender: str) -> dict:
    return fetch_tracker(servers["api"], sender)
