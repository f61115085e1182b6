"""Custom actions, run with a CollectingDispatcher and trackers built in code."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    SETTINGS,
    ActionForgetConversation,
    ActionHandleEmergency,
    ActionOfferConsultation,
)


def tracker(slots: Optional[Dict[str, Any]] = None, channel: str = "rest") -> Tracker:
    return Tracker(
        sender_id="test-user",
        slots=slots or {},
        latest_message={"text": "", "intent": {}, "entities": []},
        events=[{"event": "user", "text": "yes", "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action, slots=None, channel="rest"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, channel), {}))
    return dispatcher.messages, events


def test_consultation_sends_the_configured_booking_link():
    messages, events = run(ActionOfferConsultation())
    assert [m["response"] for m in messages] == ["utter_offer_consultation"]
    assert messages[0]["booking_url"] == SETTINGS.booking_url
    assert events == []


def test_after_a_result_the_consultation_offers_the_report_to_bring():
    messages, _ = run(ActionOfferConsultation(), {"triage_level": "routine"})
    assert [m["response"] for m in messages] == ["utter_offer_consultation", "utter_offer_report"]


def test_confirmed_forget_me_restarts_and_says_what_was_cleared():
    messages, events = run(ActionForgetConversation(), {"forget_confirmed": True})
    assert [m["response"] for m in messages] == ["utter_forgotten"]
    assert [e["event"] for e in events] == ["restart"]


def test_confirmed_forget_me_tells_the_website_widget_to_clear_its_copy():
    messages, events = run(ActionForgetConversation(), {"forget_confirmed": True}, channel="socketio")
    assert [m["response"] for m in messages] == ["utter_forgotten", None]
    assert messages[1]["custom"] == {"data": {"conversation_deleted": True}}
    assert [e["event"] for e in events] == ["restart"]


def test_declined_forget_me_keeps_the_conversation():
    messages, events = run(ActionForgetConversation(), {"forget_confirmed": False})
    assert [m["response"] for m in messages] == ["utter_forget_cancelled"]
    assert events == [{"event": "slot", "timestamp": None, "name": "forget_confirmed", "value": None}]


def test_forget_me_without_an_answer_deletes_nothing():
    _, events = run(ActionForgetConversation(), {"forget_confirmed": None})
    assert all(e["event"] != "restart" for e in events)


def test_emergency_sends_the_advice_and_sets_the_level_in_the_same_turn():
    messages, events = run(ActionHandleEmergency())
    # No finding of the clinical core behind it: the advice, and how to correct a misunderstanding.
    assert [m["response"] for m in messages] == ["utter_emergency", "utter_emergency_misunderstood"]
    assert {"event": "slot", "timestamp": None, "name": "triage_level", "value": "emergency"} in events


def test_emergency_ends_any_open_form():
    _, events = run(ActionHandleEmergency(), {"requested_slot": "forget_confirmed"})
    assert {"event": "active_loop", "timestamp": None, "name": None} in events
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None} in events


def test_action_names_follow_the_domain(domain):
    for action in (ActionForgetConversation(), ActionHandleEmergency(), ActionOfferConsultation()):
        assert action.name() in domain["actions"]
