"""`make run`'s launcher for real: a restart keeps conversations, the API needs a token, logs keep no text.

The launcher (`python -m deploy.launcher run`) is started twice on the same SQLite file, as a person restarting
`make run` would: first with RASA_API_TOKEN, then without.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from support import ROOT, free_port, listening_addresses

# A name nobody would type by chance: it must never reach a log file.
PLANTED = "Quillon Zebrowska"
TOKEN = "run-test-token-not-secret"


class Run:
    """`python -m deploy.launcher run` on free ports, its output captured."""

    def __init__(self, tmp: Path, model: Path, ports: dict, **env):
        self.ports = ports
        self.output = tmp / f"run-{time.monotonic_ns()}.out"
        environment = {k: v for k, v in os.environ.items() if k not in ("RASA_API_TOKEN", "RASA_JWT_SECRET")}
        environment.update(
            MODEL=str(model),
            LOGS=str(tmp / "logs"),
            TRACKER_DB=str(tmp / "tracker.db"),
            **{k: str(v) for k, v in ports.items()},
            **env,
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "deploy.launcher", "run"],
            cwd=ROOT,
            env=environment,
            stdout=self.output.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 240
        while "The assistant is ready" not in self.text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the launcher did not get ready:\n{self.text()[-3000:]}")
            time.sleep(1)

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.ports['RASA_PORT']}{path}"

    def say(self, sender: str, message: str) -> str:
        response = requests.post(
            self.url("/webhooks/rest/webhook"), json={"sender": sender, "message": message}, timeout=60
        )
        assert response.status_code == 200, response.text
        return "\n".join(r.get("text", "") for r in response.json())

    def stop(self) -> None:
        """Ctrl-C, as a person would."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture(scope="module")
def ports():
    return {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}


def test_restart_keeps_the_conversation_and_the_api_needs_a_token(model_path, tmp_path, ports):
    first = Run(tmp_path, model_path, ports, RASA_API_TOKEN=TOKEN)
    try:
        assert "HTTP API on" in first.text()
        assert requests.get(first.url("/status"), timeout=10).status_code == 401
        status = requests.get(first.url("/status"), params={"token": TOKEN}, timeout=10)
        assert status.status_code == 200
        assert listening_addresses(ports["ACTION_PORT"]) == {"127.0.0.1"}
        assert listening_addresses(ports["RASA_PORT"]) == {"127.0.0.1"}
        first.say("restarter", "hello")
        question = first.say("restarter", f"I'm {PLANTED}, my calf has been twitching for 3 weeks")
        assert "weakness" in question
    finally:
        first.stop()
    for port in ports.values():
        assert listening_addresses(port) == set(), "a process outlived Ctrl-C"

    second = Run(tmp_path, model_path, ports)
    try:
        assert "HTTP API off" in second.text()
        assert requests.get(second.url("/status"), params={"token": TOKEN}, timeout=10).status_code == 404
        # The check goes on where it stopped: the next question, not a new start.
        follow_up = second.say("restarter", "no")
        assert "weakness" not in follow_up and "Hi, I'm a guide" not in follow_up
        assert "speech" in follow_up.lower() or "?" in follow_up
    finally:
        second.stop()

    logs = [first.output, second.output, *sorted((tmp_path / "logs").iterdir())]
    assert {log.name for log in logs[2:]} == {"actions.log", "web.log"}
    for log in logs:
        assert PLANTED not in log.read_text(errors="replace"), f"{log.name} contains the person's words"
