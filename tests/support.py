"""Helpers the tests share: paths, talking to the servers, reading trackers.
(Fixtures are in conftest.py.)"""

from __future__ import annotations

import socket
from pathlib import Path

import requests
import yaml

from deploy.launcher import ROOT, free_port, wait_until  # noqa: F401 (for the tests)

MODEL = ROOT / "models" / "bfs-assistant.tar.gz"
CONTRACT = ROOT.parent / "shared" / "spec" / "assistant_contract.md"
ARTICLE = ROOT.parent / "shared" / "knowledge" / "bfs_article.txt"
API_TOKEN = "test-token-not-secret"


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a socket listening on `port` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if int(hex_port, 16) == port and state == "0A":
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


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


# --- The symptom check's logic as the action server runs it, from a message's text.


def reading(text: str) -> dict:
    """The parse data's `clinical` field for a message, as the NLU component builds it."""
    from clinical.reading import read_message

    return read_message(text)


def check_turn(requested, text: str, intent, so_far, slots):
    """take_turn with the message read as the NLU component and the form action read it."""
    from clinical.interview import answer_findings, take_turn

    said = answer_findings(reading(text), so_far.subject if requested else None)
    return take_turn(requested, text, intent, so_far, slots, said)


def describes(text: str) -> bool:
    return reading(text)["describes_symptoms"]
