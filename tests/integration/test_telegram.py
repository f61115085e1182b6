"""Telegram through the real Rasa server, with a fake Telegram API on loopback.

The server starts with the project's connector (channels/telegram.py) pointed at
the fake; the tests post real update payloads to the webhook and check the
exact calls the server makes to the API.
"""

from __future__ import annotations

import json
import time

import requests
from fake_apis import TELEGRAM_SECRET_TOKEN
from support import ROOT, load_yaml

from channels.telegram import SECRET_HEADER, TEXT_ONLY_REPLY

CHAT = {"id": 4242, "type": "private"}
USER = {"id": 4242, "is_bot": False, "first_name": "Sam"}
TELEGRAM_CALLBACK_LIMIT = 64  # bytes of callback_data Telegram accepts


def post(servers, update: dict, secret: str = TELEGRAM_SECRET_TOKEN) -> requests.Response:
    return requests.post(servers["telegram"], json=update, headers={SECRET_HEADER: secret}, timeout=60)


def messages_to(api, chat_id: int, count: int, timeout: float = 30) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sent = [c for c in api.calls_of("sendMessage") if str(c.get("chat_id")) == str(chat_id)]
        if len(sent) >= count:
            return sent
        time.sleep(0.2)
    return [c for c in api.calls_of("sendMessage") if str(c.get("chat_id")) == str(chat_id)]


def message(update_id: int, chat_id: int, **fields) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1700000000,
            "chat": {**CHAT, "id": chat_id},
            "from": USER,
            **fields,
        },
    }


def test_the_server_started_without_calling_telegram(servers, telegram_api):
    assert telegram_api.calls_of("setWebhook") == []


def test_a_message_gets_the_greeting_with_an_inline_keyboard(servers, telegram_api):
    response = post(servers, message(1, 1001, text="hello"))
    assert response.status_code == 200 and response.text == "success"
    sent = messages_to(telegram_api, 1001, 1)
    assert sent and "not a doctor" in sent[0]["text"]
    keyboard = json.loads(sent[0]["reply_markup"])["inline_keyboard"]
    buttons = [b for row in keyboard for b in row]
    assert {"text": "BFS or ALS?", "callback_data": "How is BFS different from ALS?"} in buttons


def test_a_button_press_sends_its_payload_and_gets_the_answer(servers, telegram_api):
    update = {
        "update_id": 2,
        "callback_query": {
            "id": "cb-1",
            "from": USER,
            "chat_instance": "ci",
            "data": "How is BFS different from ALS?",
            "message": {"message_id": 7, "date": 1700000000, "chat": {**CHAT, "id": 1002}, "text": "menu"},
        },
    }
    assert post(servers, update).status_code == 200
    assert telegram_api.calls_of("answerCallbackQuery") == [{"callback_query_id": "cb-1"}]
    texts = " ".join(c["text"] for c in messages_to(telegram_api, 1002, 3))
    assert "motor neurone disease" in texts.lower() and "Source: the BFS article" in texts


def test_an_edited_message_is_answered(servers, telegram_api):
    update = {
        "update_id": 3,
        "edited_message": {
            "message_id": 8,
            "date": 1700000000,
            "edit_date": 1700000001,
            "chat": {**CHAT, "id": 1003},
            "from": USER,
            "text": "can caffeine cause twitching?",
        },
    }
    assert post(servers, update).status_code == 200
    texts = " ".join(c["text"] for c in messages_to(telegram_api, 1003, 1))
    assert "Caffeine is a stimulant" in texts


def test_a_sticker_gets_a_text_only_note(servers, telegram_api):
    sticker = {"file_id": "f", "file_unique_id": "u", "width": 512, "height": 512, "is_animated": False}
    assert post(servers, message(4, 1004, sticker=sticker)).status_code == 200
    time.sleep(1)
    assert [c["text"] for c in messages_to(telegram_api, 1004, 1, timeout=5)] == [TEXT_ONLY_REPLY]


def test_a_file_in_a_group_is_not_answered(servers, telegram_api):
    document = {"file_id": "d", "file_unique_id": "v", "file_name": "scan.pdf"}
    update = message(5, 1005, document=document)
    update["message"]["chat"] = {"id": 1005, "type": "group", "title": "family"}
    assert post(servers, update).status_code == 200
    time.sleep(1)
    assert messages_to(telegram_api, 1005, 1, timeout=1) == []


def test_an_update_without_the_webhook_secret_is_refused(servers, telegram_api):
    for secret in ("", "wrong-secret"):
        response = post(servers, message(6, 1006, text="hello"), secret=secret)
        assert response.status_code == 403
    time.sleep(1)
    assert messages_to(telegram_api, 1006, 1, timeout=1) == []


def test_every_button_payload_fits_telegram_callback_data():
    domain = load_yaml(ROOT / "domain.yml")
    for name, variants in domain["responses"].items():
        for button in variants[0].get("buttons", []):
            assert len(button["payload"].encode()) <= TELEGRAM_CALLBACK_LIMIT, (name, button["payload"])
