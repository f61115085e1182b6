"""The real servers, started as `make run` starts them, answer over REST."""

from __future__ import annotations

import requests
from support import API_TOKEN, listening_addresses, say, texts

# Messages with too little meaning to answer; several must fall below the NLU
# threshold, and every one that does must get the rephrase offer.
VAGUE = [
    "hmm",
    "the thing with the stuff",
    "what about it",
    "and then?",
    "whatever",
    "idk",
    "maybe",
    "ok but what about the other one",
    "the other thing",
    "what",
    "and?",
    "what do you mean",
    "something else",
    "can you tell me more",
    "that one",
    "the usual",
    "erm so yeah",
]
MIN_FALLBACKS = 3


def test_greeting_says_what_it_does_and_that_it_is_not_a_doctor(servers):
    replies = say(servers, "greeter", "hello there")
    assert "not a doctor" in texts(replies)
    assert "emergency number" in texts(replies)
    buttons = [b["title"] for r in replies for b in r.get("buttons", [])]
    assert "BFS or ALS?" in buttons


def test_faq_gets_its_answer_with_the_source(servers):
    reply = texts(say(servers, "asker", "how is BFS different from ALS?"))
    assert "motor neurone disease" in reply.lower()
    assert "Source: the BFS article" in reply and "Blexrud" in reply


def parse(servers, text: str) -> dict:
    response = requests.post(
        f"{servers['api']}/model/parse", params={"token": API_TOKEN}, json={"text": text}, timeout=30
    )
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
    assert "deleted our conversation" in done


def test_action_server_listens_on_loopback_only(servers):
    assert listening_addresses(servers["action_port"]) == {"127.0.0.1"}
