"""The symptom-check actions with a CollectingDispatcher and trackers built in code."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from support import reading

from actions.symptom_check import (
    SKIPPED,
    ActionGiveTriageResult,
    ActionStartSymptomCheck,
    ValidateSymptomCheckForm,
)
from clinical.extractor import extract
from clinical.interview import QUESTIONS


def tracker(text: str, intent: str, slots: Optional[Dict[str, Any]] = None) -> Tracker:
    return Tracker(
        sender_id="t",
        slots={**{q: None for q in QUESTIONS}, **(slots or {})},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [],
            "clinical": reading(text),
        },  # as the NLU pipeline reads it
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "symptom_check_form"},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_start_clears_the_last_check_and_introduces_the_questions():
    messages, slots = run(
        ActionStartSymptomCheck(), tracker("check me", "start_symptom_check", {"twitch_location": "calf"})
    )
    assert [m["response"] for m in messages] == ["utter_symptom_check_intro"]
    assert slots == {"twitch_location": None}  # what is already empty is not cleared again
    done = {q: "no" for q in QUESTIONS}
    _, slots = run(
        ActionStartSymptomCheck(),
        tracker(
            "check me again",
            "start_symptom_check",
            {
                **done,
                "clinical_findings": {"present": ["sign:twitching"]},
                "unclear_answers": 1,
                "triage_level": "routine",
                "requested_slot": "twitch_location",
            },
        ),
    )
    assert slots == {
        **{q: None for q in QUESTIONS},
        "clinical_findings": None,
        "unclear_answers": 0,
        "triage_level": None,
        "requested_slot": None,
    }


def test_validation_fills_the_answer_and_the_findings():
    messages, slots = run(
        ValidateSymptomCheckForm(), tracker("about 3 weeks", "describe_symptoms", {"requested_slot": "twitch_duration"})
    )
    assert slots["twitch_duration"] == "21 days" and slots["unclear_answers"] == 0
    assert "clinical_findings" in slots and messages == []


def test_a_non_answer_returns_nothing_so_the_rules_take_over():
    _, slots = run(
        ValidateSymptomCheckForm(), tracker("can stress cause this?", "faq", {"requested_slot": "twitch_duration"})
    )
    assert slots == {}


def test_diary_requests_inside_the_check_are_handed_to_the_diary_rules():
    for text, intent, requested in [
        ("show me how its been", "show_diary", "twitch_duration"),
        ("export my data", "export_my_data", "weakness"),
        ("delete my last entry", "delete_diary_entry", "twitch_duration"),
        ("can i start a log of this", "log_symptoms", "twitch_duration"),
        # an entry that opens with a diary command is an entry, even where it names the place asked for
        ("diary: eye flicker 5/10, 3 monsters", "log_symptoms", "twitch_location"),
    ]:
        messages, slots = run(ValidateSymptomCheckForm(), tracker(text, intent, {"requested_slot": requested}))
        assert (messages, slots) == ([], {}), text


def test_an_answer_the_classifier_read_as_a_diary_entry_still_answers_the_question():
    _, slots = run(
        ValidateSymptomCheckForm(),
        tracker("both calves, about 5/10", "log_symptoms", {"requested_slot": "twitch_location"}),
    )
    assert slots.get("twitch_location") and slots["twitch_location"] != "unknown"
    # a bare number read as an entry is an answer too: unclear here, asked again with an example
    messages, slots = run(
        ValidateSymptomCheckForm(), tracker("24", "log_symptoms", {"requested_slot": "twitch_location"})
    )
    assert slots.get("unclear_answers") == 1 and messages[0]["response"] == "utter_unclear_answer"


def test_an_unclear_answer_is_asked_again_with_an_example_at_most_twice():
    t = tracker("banana", "out_of_scope", {"requested_slot": "twitch_location", "unclear_answers": 0})
    messages, slots = run(ValidateSymptomCheckForm(), t)
    assert messages[0]["response"] == "utter_unclear_answer" and "calf" in messages[0]["example"]
    assert slots["unclear_answers"] == 1 and "twitch_location" not in slots
    t = tracker("banana", "out_of_scope", {"requested_slot": "twitch_location", "unclear_answers": 2})
    messages, slots = run(ValidateSymptomCheckForm(), t)
    assert slots["twitch_location"] == "unknown" and slots["unclear_answers"] == 0 and messages == []


def test_an_emergency_across_messages_is_advised_in_the_same_turn():
    earlier = extract("I take sertraline and my legs twitch").to_dict()
    t = tracker(
        "now I have a fever and I'm confused",
        "describe_symptoms",
        {"requested_slot": "speech_breathing_or_numbness", "clinical_findings": earlier},
    )
    messages, slots = run(ValidateSymptomCheckForm(), t)
    assert {"utter_emergency"} <= {m.get("response") for m in messages}
    assert slots["triage_level"] == "emergency"
    assert slots["family_history"] == SKIPPED  # the form finishes without more questions


def test_result_gives_level_reasons_causes_safety_net_and_summary():
    findings = extract("my calf twitches for 3 days after loads of energy drinks, no weakness").to_dict()
    messages, slots = run(ActionGiveTriageResult(), tracker("no", "deny", {"clinical_findings": findings}))
    texts = [m.get("text") or m.get("response") for m in messages]
    assert slots["triage_level"] == "self_care"
    assert texts[0].startswith("This sounds most likely benign") and "121" in texts[0]
    assert any(t.startswith("Likely contributing: caffeine") for t in texts)
    assert any("2 weeks" in t for t in texts)
    assert any(t.startswith("A summary you can copy for a doctor") for t in texts)
    # After a self-care result: "anything else?", with the offer to check in in 2 weeks.
    assert texts[-1] == "utter_after_triage_checkin"


def test_result_names_the_persons_words_as_the_reason():
    findings = extract("my hand is weaker and I keep dropping cups").to_dict()
    messages, slots = run(ActionGiveTriageResult(), tracker("no", "deny", {"clinical_findings": findings}))
    assert slots["triage_level"] == "urgent"
    # Urgent: see a doctor within 48 hours, no check-in offered instead.
    assert messages[-1].get("response") == "utter_after_triage"
    assert any('"keep dropping cups"' in (m.get("text") or "") for m in messages)


def test_result_after_an_emergency_does_not_repeat_the_advice():
    findings = extract("my face suddenly drooped").to_dict()
    messages, _ = run(
        ActionGiveTriageResult(), tracker("x", "deny", {"clinical_findings": findings, "triage_level": "emergency"})
    )
    assert not any("Call your local emergency number" in (m.get("text") or "") for m in messages)
    assert any((m.get("text") or "").startswith("Why: you mentioned") for m in messages)


def test_a_report_asked_for_inside_an_answer_comes_with_the_result():
    t = tracker("stress mostly. can you give me a report for her doctor?", "describe_symptoms")
    t.slots["requested_slot"] = "twitch_triggers"
    t.latest_message["other_parts"] = [{"intent": "request_report", "text": "can you give me a report?"}]
    messages, slots = run(ValidateSymptomCheckForm(), t)
    assert "utter_report_after_check" in [m.get("response") for m in messages]
    assert slots["report_requested"] is True and slots.get("twitch_triggers")


def test_an_answer_that_carries_a_diary_entry_answers_and_saves_the_entry():
    """Found trying it as a new user: the answer was lost behind the entry."""
    from followup.store import default_store

    text = "no not really, i can still do everything - diary: calf twitched nonstop, maybe 6/10, 4 coffees"
    t = tracker(text, "log_symptoms", {"requested_slot": "weakness_or_wasting"})
    t.sender_id = "embedded-entry"
    messages, slots = run(ValidateSymptomCheckForm(), t)
    assert slots["weakness_or_wasting"] == "no"
    assert any("Saved in your diary" in (m.get("text") or "") for m in messages)
    assert default_store().entries("embedded-entry")[0].rating == 6
