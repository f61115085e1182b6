"""The real servers, started as `make run` starts them, answer over REST."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import ROOT

BIN = Path(sys.executable).parent
START_TIMEOUT = 240
API_TOKEN = "test-token-not-secret"
# Messages with too little meaning to answer; several must fall below the NLU
# threshold, and every one that does must get the rephrase offer.
VAGUE = ["hmm", "the thing with the stuff", "what about it", "and then?", "whatever", "idk", "maybe",
         "ok but what about the other one", "the other thing", "what", "and?", "what do you mean",
         "something else", "can you tell me more", "that one", "the usual", "erm so yeah"]
MIN_FALLBACKS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    pytest.fail(f"{url} not up after {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


def listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a socket listening on `port` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


@pytest.fixture(scope="module")
def servers(model_path, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("servers")
    action_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n")
    env = dict(os.environ, SANIC_HOST="127.0.0.1", BFS_BOOKING_URL="https://clinic.example/book")
    logs = {name: tmp / f"{name}.log" for name in ("actions", "rasa")}
    procs = [
        subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(action_port)],
            cwd=ROOT, env=env, stdout=logs["actions"].open("w"), stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", str(model_path), "--endpoints", str(endpoints),
             "--credentials", str(ROOT / "credentials.yml"), "--interface", "127.0.0.1",
             "--port", str(rasa_port), "--enable-api", "--auth-token", API_TOKEN],
            cwd=ROOT, env=env, stdout=logs["rasa"].open("w"), stderr=subprocess.STDOUT,
        ),
    ]
    try:
        wait_for(f"http://127.0.0.1:{action_port}/health", procs[0], logs["actions"])
        wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", procs[1], logs["rasa"])
        yield {"rest": f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", "action_port": action_port,
               "api": f"http://127.0.0.1:{rasa_port}"}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def say(servers, sender: str, message: str) -> list[dict]:
    response = requests.post(servers["rest"], json={"sender": sender, "message": message}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def test_greeting_says_what_it_does_and_that_it_is_not_a_doctor(servers):
    replies = say(servers, "greeter", "hello there")
    assert "not a doctor" in texts(replies)
    assert "emergency number" in texts(replies)
    buttons = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert "BFS or ALS?" in buttons


def test_faq_gets_its_answer_with_the_source(servers):
    reply = texts(say(servers, "asker", "how is BFS different from ALS?"))
    assert "ALS (motor neurone disease)" in reply
    assert "Source: the BFS article" in reply and "Blexrud" in reply


def parse(servers, text: str) -> dict:
    response = requests.post(f"{servers['api']}/model/parse", params={"token": API_TOKEN},
                             json={"text": text}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_vague_messages_get_the_rephrase_offer(servers):
    fallbacks = [text for text in VAGUE if parse(servers, text)["intent"]["name"] == "nlu_fallback"]
    assert len(fallbacks) >= MIN_FALLBACKS, f"only {fallbacks} fell below the NLU threshold"
    for i, text in enumerate(fallbacks):
        replies = say(servers, f"vague-{i}", text)
        assert "say it another way" in texts(replies), text
        assert len([b for r in replies for b in r.get("buttons", [])]) >= 4


def test_http_api_needs_the_token(servers):
    response = requests.post(f"{servers['api']}/model/parse", json={"text": "hi"}, timeout=30)
    assert response.status_code == 401


def test_doctor_request_uses_the_configured_booking_link(servers):
    reply = texts(say(servers, "patient", "I'd like to talk to a doctor please"))
    assert "https://clinic.example/book" in reply


def test_faq_inside_the_forget_me_question_returns_to_it(servers):
    ask = "Do you want me to forget everything"
    assert ask in texts(say(servers, "forgetter", "please delete my data"))
    detour = texts(say(servers, "forgetter", "can caffeine cause twitching?"))
    assert "Caffeine is a stimulant" in detour and ask in detour
    done = texts(say(servers, "forgetter", "yes"))
    assert "fresh conversation" in done


def test_action_server_listens_on_loopback_only(servers):
    assert listening_addresses(servers["action_port"]) == {"127.0.0.1"}
