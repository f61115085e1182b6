"""No input crashes the assistant: odd text, wrong types, huge messages, floods.

Property-based (hypothesis) against the NLU component and the running REST
channel, plus the cases people actually send.
"""

from __future__ import annotations

import json
import string
from concurrent.futures import ThreadPoolExecutor

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.shared.nlu.training_data.message import Message
from support import say, texts

from channels import guard
from components.clinical_findings import ClinicalFindingExtractor

EXTRACTOR = ClinicalFindingExtractor()
SERVER_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that looks like what reaches a chat: words, symptoms, any Unicode, controls.
WORDS = st.sampled_from(
    [
        "twitch",
        "calf",
        "no",
        "weakness",
        "for",
        "3",
        "weeks",
        "my",
        "dad",
        "ALS",
        "can't",
        "breathe",
        "not",
        "coffee",
        ",",
        ".",
        "?",
        "!",
        "😟",
        "年",
        "\n",
    ]
)
CHAT_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(WORDS, max_size=40).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.text(alphabet=string.printable, max_size=guard.MAX_MESSAGE_CHARS + 50),
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(text=CHAT_TEXT)
def test_the_nlu_component_takes_any_text(text):
    message = Message(
        data={
            "text": text,
            "intent": {"name": "nlu_fallback", "confidence": 0.3},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}],
        }
    )
    result = EXTRACTOR.process([message])[0]
    for entity in result.get("entities", []):
        assert 0 <= entity["start"] <= entity["end"] <= len(text)
    assert result.get("intent")["name"] in ("nlu_fallback", "describe_symptoms", "report_emergency")


@given(text=st.text(max_size=200))
@settings(max_examples=300, deadline=None, derandomize=True)
def test_cleaned_text_is_valid_utf8_without_controls(text):
    cleaned = guard.clean_text(text)
    cleaned.encode("utf-8")  # no lone surrogates left
    assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)


def post(servers, body, **kwargs) -> requests.Response:
    return requests.post(
        servers["rest"],
        data=body if isinstance(body, bytes) else json.dumps(body),
        headers={"Content-Type": "application/json"},
        timeout=120,
        **kwargs,
    )


def assert_sensible(response: requests.Response, sender: str) -> str:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    replies = response.json()
    assert isinstance(replies, list) and replies, "no reply at all"
    assert all(r["recipient_id"] == sender for r in replies)
    reply = texts(replies)
    assert reply.strip()
    return reply


@SERVER_SETTINGS
@given(
    sender=st.one_of(st.text(min_size=1, max_size=20), st.integers()),
    message=st.one_of(
        CHAT_TEXT,
        st.none(),
        st.integers(),
        st.lists(st.text(max_size=5), max_size=3),
        st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
    ),
)
def test_any_body_gets_a_reply_or_a_clear_400(servers, sender, message):
    response = post(servers, {"sender": sender, "message": message})
    assert response.status_code in (200, 400), (response.status_code, response.text[:300])
    if response.status_code == 400:
        problem = response.json()
        assert problem["error"] and "sender" in problem["usage"]
        usable_sender, _ = guard.check_sender(sender)
        assert usable_sender is None or not isinstance(message, str)
    else:
        assert_sensible(response, str(sender))


@SERVER_SETTINGS
@given(body=st.binary(max_size=200))
def test_any_bytes_get_a_reply_or_a_clear_400(servers, body):
    response = post(servers, body)
    assert response.status_code in (200, 400), (response.status_code, response.text[:300])


def test_messages_people_send(servers):
    cases = {
        "empty": "",
        "spaces": " \t\n  ",
        "emoji": "😟😟😟",
        "spanish": "tengo espasmos musculares en la pierna desde hace semanas",
        "chinese": "我的腿一直在抽搐",
        "html": '<script>alert("x")</script><img src=x onerror=alert(1)>',
        "sql": "'; DROP TABLE events; --",
        "controls": "twitch\x00ing\x07 in my \x1b[31mcalf",
        "invalid surrogate": "my calf \ud800 twitches",
        "right-to-left": "\u202eyrrow I",
    }
    for name, message in cases.items():
        reply = assert_sensible(post(servers, {"sender": f"odd-{name}", "message": message}), f"odd-{name}")
        assert "<script>" not in reply, name
    # The store survived the SQL-looking text: conversations are still kept.
    assert "Source:" in texts(say(servers, "odd-after", "what is bfs?"))


def test_a_100_kb_message_gets_a_clear_answer_fast(servers):
    response = post(servers, {"sender": "long", "message": "my calf twitches " * 6000})
    assert response.elapsed.total_seconds() < 5
    assert assert_sensible(response, "long") == guard.TOO_LONG_REPLY


def test_bad_json_and_wrong_fields_get_400_with_the_reason(servers):
    cases = [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (json.dumps({"message": "hi"}).encode(), "'sender'"),
        (json.dumps({"sender": "a"}).encode(), "'message' is missing"),
        (json.dumps({"sender": ["a"], "message": "hi"}).encode(), "'sender'"),
        (json.dumps({"sender": "a\nb", "message": "hi"}).encode(), "control characters"),
        (json.dumps({"sender": "x" * 200, "message": "hi"}).encode(), "1 to 128"),
        (json.dumps({"sender": "a", "message": {"text": "hi"}}).encode(), "must be a string"),
        (json.dumps({"sender": "a", "message": "hi", "metadata": [1]}).encode(), "'metadata'"),
    ]
    for body, reason in cases:
        response = post(servers, body)
        assert response.status_code == 400, body
        assert reason in response.json()["error"], (body, response.json())


def test_a_flood_from_one_sender_is_turned_away_while_others_are_answered(servers):
    def flood(i):
        return post(servers, {"sender": "flooder", "message": f"is twitching dangerous? {i}"})

    with ThreadPoolExecutor(max_workers=40) as pool:
        burst = [pool.submit(flood, i) for i in range(1000)]
        other = pool.submit(say, servers, "bystander", "can coffee cause twitching?")
        responses = [f.result() for f in burst]
        assert "Caffeine" in texts(other.result())
    statuses = {r.status_code for r in responses}
    assert statuses <= {200, 429}, statuses
    busy = [r for r in responses if r.status_code == 429]
    assert busy and all(texts(r.json()) == guard.BUSY_REPLY for r in busy)
    assert all(texts(r.json()).strip() for r in responses if r.status_code == 200)
    # After the flood the sender is answered normally again.
    assert "Source:" in texts(say(servers, "flooder", "what is bfs?"))
