"""The website: the page, its socket.io channel, and a person using it in Chromium."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
import socketio
from pypdf import PdfReader
from support import ROOT, tracker

STATIC = ROOT / "web" / "static"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "results" / "web_chat.png"


def test_page_loads_nothing_from_the_internet():
    """Every file the page uses is served by us: no http(s) address in any of them."""
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        addresses = [a for a in re.findall(r"https?://[^\s\"')]+", text) if "www.w3.org/2000/svg" not in a]
        assert addresses == [], f"{path.name} refers to {addresses}"
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == [
        "/static/favicon.svg",
        "/static/chat.css",
        "/vendor/socket.io.min.js",
        "/static/chat.js",
        "#main",
    ]


def test_widget_never_builds_html_from_text():
    script = (STATIC / "chat.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.strip().startswith("//"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code


def test_page_health_config_and_security_headers(servers):
    page = requests.get(servers["web"] + "/", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "999" in page.text and "not a doctor" in page.text
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert f"connect-src 'self' {servers['socket']} ws://127.0.0.1:" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert requests.get(servers["web"] + "/health", timeout=10).json() == {"status": "ok"}
    assert requests.get(servers["web"] + "/config.json", timeout=10).json() == {
        "socketUrl": servers["socket"],
        "socketPath": "/socket.io/",
    }
    client = requests.get(servers["web"] + "/vendor/socket.io.min.js", timeout=10)
    assert client.status_code == 200 and "javascript" in client.headers["content-type"]
    assert requests.get(servers["web"] + "/static/nothing-here.js", timeout=10).status_code == 404


def test_config_points_the_browser_at_the_host_it_used(servers):
    port = servers["socket"].rsplit(":", 1)[1]
    config = requests.get(servers["web"] + "/config.json", headers={"Host": "localhost:8080"}, timeout=10)
    assert config.json()["socketUrl"] == f"http://localhost:{port}"


def handshake(servers, origin: str) -> requests.Response:
    return requests.get(
        servers["socket"] + "/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": origin},
        timeout=10,
    )


def test_socket_accepts_the_website_origin_only(servers):
    allowed = handshake(servers, servers["web"])
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == servers["web"]
    for origin in ("http://evil.example", "http://localhost:9999", servers["web"] + ".evil.example"):
        refused = handshake(servers, origin)
        assert refused.status_code == 400, origin
        assert "access-control-allow-origin" not in refused.headers


class Widget:
    """A socket.io client speaking the widget's events."""

    def __init__(self, servers):
        self.client = socketio.Client(reconnection=False)
        self.session_id = None
        self.confirmed = threading.Event()
        self.replies: list = []
        self.replied = threading.Event()
        self.client.on("session_confirm", self._confirm)
        self.client.on("bot_uttered", self._reply)
        self.client.connect(
            servers["socket"], headers={"Origin": servers["web"]}, transports=["polling"], socketio_path="socket.io"
        )

    def _confirm(self, session_id):
        self.session_id = session_id
        self.confirmed.set()

    def _reply(self, data):
        self.replies.append(data)
        self.replied.set()

    def open_session(self, session_id=None):
        self.client.emit("session_request", {"session_id": session_id})
        assert self.confirmed.wait(20), "no session_confirm"
        return self.session_id

    def close(self):
        self.client.disconnect()


def user_texts(servers, sender):
    return [e["text"] for e in tracker(servers, sender)["events"] if e["event"] == "user"]


def test_socket_takes_messages_only_for_its_own_session(servers):
    owner, intruder = Widget(servers), Widget(servers)
    try:
        victim = owner.open_session()
        assert re.fullmatch(r"[0-9a-f]{32}", victim)
        intruder.open_session()
        intruder.client.emit("user_uttered", {"message": "i have weakness", "session_id": victim})
        owner.client.emit("user_uttered", {"message": "what is bfs?", "session_id": victim})
        assert owner.replied.wait(60), "the owner got no reply"
        time.sleep(2)
        assert user_texts(servers, victim) == ["what is bfs?"]
        assert intruder.replies == []
        assert "Source:" in " ".join(r.get("text", "") for r in owner.replies)
    finally:
        owner.close()
        intruder.close()


def test_a_reconnecting_widget_keeps_its_session(servers):
    first = Widget(servers)
    try:
        session = first.open_session()
        first.client.emit("user_uttered", {"message": "can coffee cause twitching?", "session_id": session})
        assert first.replied.wait(60)
    finally:
        first.close()
    again = Widget(servers)
    try:
        assert again.open_session(session) == session
        again.client.emit("user_uttered", {"message": "thanks", "session_id": session})
        assert again.replied.wait(60)
        assert user_texts(servers, session) == ["can coffee cause twitching?", "thanks"]
    finally:
        again.close()


def browser_command(script: str, servers, screenshot: Path) -> list:
    """`node tests/browser/<script> <page> <screenshot>`, with a fresh screenshot path."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make system-packages` (make test does it)")
    screenshot.parent.mkdir(exist_ok=True)
    screenshot.unlink(missing_ok=True)
    return ["node", str(ROOT / "tests" / "browser" / script), servers["web"], str(screenshot)]


def test_a_person_in_the_browser(servers):
    """Greeting, an FAQ, a link, markup as text, a symptom check by button, a reload, forget me."""
    browser = subprocess.Popen(
        browser_command("chat_flow.cjs", servers, SCREENSHOT),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = browser.stdout.readline()
        if not first:
            pytest.fail(browser.stderr.read())
        seen = json.loads(first)

        assert "weakness" in seen["firstQuestion"]
        assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        # The server kept one conversation across the reload: every message, in order.
        said = user_texts(servers, seen["sessionId"])
        assert said[0] == "/greet"
        assert said[1:5] == [
            "how is BFS different from ALS",
            '<img src=x onerror="window.__injected=1"><b>bold?</b>',
            "I want to talk to a doctor",
            "can you check my symptoms?",
        ]
        assert len(said) == 7, said  # two answers by button, one of them after the reload
        slots = tracker(servers, seen["sessionId"])["slots"]
        assert slots["weakness_or_wasting"] is not None
        assert slots["speech_breathing_or_numbness"] is not None

        out, err = browser.communicate("go\n", timeout=300)
    finally:
        if browser.poll() is None:
            browser.kill()
    assert browser.returncode == 0, err + out
    assert json.loads(out.strip().splitlines()[-1])["forgotten"] is True
    assert user_texts(servers, seen["sessionId"]) == []


DIARY_SCREENSHOT = ROOT / "results" / "web_diary.png"


def test_a_person_keeps_a_diary_in_the_browser_and_is_remembered_until_forgotten(servers):
    """Remember me, two diary days, the chart (screenshot), a new tab, forget me."""
    run = subprocess.run(
        browser_command("diary_flow.cjs", servers, DIARY_SCREENSHOT),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert DIARY_SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "6/10" in seen["first"] and "3/10" in seen["second"]
    # Forgotten on the server too: no conversation, no diary row.
    assert user_texts(servers, seen["sessionId"]) == []
    with sqlite3.connect(servers["tracker_db"]) as db:
        left = db.execute("SELECT COUNT(*) FROM bfs_diary_entries WHERE person = ?", (seen["sessionId"],)).fetchone()
    assert left == (0,)


def test_the_report_link_in_the_widget_saves_a_pdf_once(servers, tmp_path):
    """A diary day, "a report for my doctor", the download link clicked in Chromium."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: run `make system-packages` (make test does it)")
    run = subprocess.run(
        ["node", str(ROOT / "tests" / "browser" / "report_flow.cjs"), servers["web"], str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    saved = Path(seen["saved"])
    assert saved.name.startswith("twitch-report-") and saved.suffix == ".pdf"
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "report for your doctor" in text and "left calf" in text
    # Handed out once: nothing of that PDF waits on the server any more.
    with sqlite3.connect(servers["tracker_db"]) as db:
        left = db.execute(
            "SELECT COUNT(*) FROM bfs_waiting_files WHERE person = ? AND mime_type = 'application/pdf'",
            (seen["sessionId"],),
        ).fetchone()
    assert left == (0,)
