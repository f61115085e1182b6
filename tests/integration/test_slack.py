"""Slack through the real Rasa server, with a fake Slack Web API on loopback.

Events are signed as Slack signs them; the tests check the exact outgoing
chat.postMessage calls, that unsigned or stale requests get 4xx and no reply,
and that Slack's retries never produce a second reply.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

import requests
from fake_apis import SLACK_SIGNING_SECRET


def signed_headers(body: str, content_type: str, secret: str = SLACK_SIGNING_SECRET, timestamp: int = None) -> dict:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
    }


def event(event_id: str, channel: str, text: str) -> str:
    return json.dumps(
        {
            "token": "t",
            "team_id": "T1",
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"user_id": "UBOT"}],
            "event": {
                "type": "message",
                "channel": channel,
                "channel_type": "im",
                "user": "U" + channel,
                "text": text,
                "ts": f"{int(time.time())}.000100",
            },
        }
    )


def post_event(servers, body: str, **header_options) -> requests.Response:
    headers = signed_headers(body, "application/json", **header_options)
    return requests.post(servers["slack"], data=body, headers=headers, timeout=60)


def posts_to(api, channel: str, count: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in api.calls_of("chat.postMessage") if c.get("channel") == channel]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return [c for c in api.calls_of("chat.postMessage") if c.get("channel") == channel]


def test_a_signed_message_gets_the_greeting_with_block_kit_buttons(servers, slack_api):
    response = post_event(servers, event("Ev1", "D101", "hello"))
    assert response.status_code == 200
    posted = posts_to(slack_api, "D101", 1)
    assert posted and "not a doctor" in posted[0]["text"]
    buttons = [e for block in posted[0]["blocks"] if block["type"] == "actions" for e in block["elements"]]
    assert {
        "type": "button",
        "text": {"type": "plain_text", "text": "BFS or ALS?"},
        "value": "How is BFS different from ALS?",
    } in buttons


def test_a_button_press_sends_its_value_and_gets_the_answer(servers, slack_api):
    payload = {
        "type": "block_actions",
        "user": {"id": "U102"},
        "channel": {"id": "D102"},
        "message": {"ts": "1700000000.000300"},
        "actions": [{"type": "button", "value": "How is BFS different from ALS?", "action_ts": "1700000001.1"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    response = requests.post(
        servers["slack"], data=body, headers=signed_headers(body, "application/x-www-form-urlencoded"), timeout=60
    )
    assert response.status_code == 200
    texts = " ".join(c["text"] for c in posts_to(slack_api, "D102", 1))
    assert "motor neurone disease" in texts.lower()


def test_more_than_five_buttons_are_all_shown(servers, slack_api):
    post_event(servers, event("Ev3a", "D103", "can you check my symptoms"))
    assert posts_to(slack_api, "D103", 2)
    post_event(servers, event("Ev3b", "D103", "no"))
    post_event(servers, event("Ev3c", "D103", "none of these"))
    post_event(servers, event("Ev3d", "D103", "my left calf"))
    post_event(servers, event("Ev3e", "D103", "3 days"))
    deadline = time.monotonic() + 30
    triggers = []
    while time.monotonic() < deadline and not triggers:
        triggers = [
            c
            for c in slack_api.calls_of("chat.postMessage")
            if c.get("channel") == "D103" and "Tap one" in c.get("text", "")
        ]
        time.sleep(0.3)
    assert triggers, [c.get("text") for c in slack_api.calls_of("chat.postMessage") if c.get("channel") == "D103"]
    buttons = [e for block in triggers[0]["blocks"] if block["type"] == "actions" for e in block["elements"]]
    assert len(buttons) == 7


def test_a_bad_signature_gets_400_and_no_reply(servers, slack_api):
    body = event("Ev4", "D104", "hello")
    response = requests.post(
        servers["slack"], data=body, headers=signed_headers(body, "application/json", secret="wrong-secret"), timeout=60
    )
    assert response.status_code == 400
    stale = requests.post(
        servers["slack"],
        data=body,
        headers=signed_headers(body, "application/json", timestamp=int(time.time()) - 600),
        timeout=60,
    )
    assert stale.status_code == 400
    time.sleep(1)
    assert posts_to(slack_api, "D104", 1, timeout=1) == []


def test_retries_and_repeated_events_get_no_second_reply(servers, slack_api):
    body = event("Ev5", "D105", "hello")
    assert post_event(servers, body).status_code == 200
    assert posts_to(slack_api, "D105", 1)
    retry_headers = {
        **signed_headers(body, "application/json"),
        "X-Slack-Retry-Num": "1",
        "X-Slack-Retry-Reason": "http_error",
    }
    retry = requests.post(servers["slack"], data=body, headers=retry_headers, timeout=60)
    assert retry.status_code == 200 and retry.headers.get("X-Slack-No-Retry") == "1"
    assert post_event(servers, body).status_code == 200  # the same event again, no retry header
    time.sleep(2)
    assert len(posts_to(slack_api, "D105", 2, timeout=1)) == 1
