"""The diary and check-in actions, run with a CollectingDispatcher and trackers built
in code, on the test run's own database (conftest.py sets TRACKER_DB)."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from typing import Any, Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from support import reading

from actions.checkins import ActionCheckIn, ActionCheckinAnswered, ActionPlanCheckin, ValidateCheckinForm
from actions.diary import (
    ActionDeleteDiaryEntry,
    ActionExportMyData,
    ActionLogSymptoms,
    ActionSaveGuidedEntry,
    ActionShowDiary,
    ValidateDiaryForm,
)
from followup import clock
from followup.store import default_store


def tracker(
    person: str,
    text: str = "",
    intent: str = "log_symptoms",
    slots: Optional[Dict[str, Any]] = None,
    entities=None,
    channel: str = "rest",
    active_loop: Optional[str] = None,
) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent},
        "entities": entities or [],
        "clinical": reading(text) if text and not text.startswith("/") else {},
    }
    return Tracker(
        sender_id=person,
        slots=slots or {},
        latest_message=message,
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action, tracker_: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker_, {}))
    return dispatcher.messages, events


def said(messages) -> str:
    return "\n".join(m.get("text") or m.get("response") or "" for m in messages)


def person() -> str:
    return "unit-" + uuid.uuid4().hex[:8]


def test_an_entry_in_one_message_is_saved_and_said_back():
    who = person()
    messages, events = run(ActionLogSymptoms(), tracker(who, "log today: twitching 6/10 in both calves, 4 coffees"))
    assert "Saved in your diary for today" in said(messages) and "6/10" in said(messages)
    (entry,) = default_store().entries(who)
    assert (entry.rating, entry.caffeine, entry.day) == (6, 4, clock.today())
    assert events == []


def test_a_log_with_nothing_to_save_starts_the_guided_log():
    messages, events = run(ActionLogSymptoms(), tracker(person(), "I want to add a diary entry"))
    assert said(messages) == "utter_diary_guided_intro"
    assert events[-1] == {"event": "followup", "name": "diary_form", "timestamp": None}


def test_the_guided_answers_become_the_days_entry():
    who = person()
    for slot, answer, expected in [
        ("diary_rating", "6", 6.0),
        ("diary_sleep", "5.5 hours", 5.5),
        ("diary_caffeine", "skip", "skip"),
    ]:
        _, events = run(ValidateDiaryForm(), tracker(who, answer, "nlu_fallback", {"requested_slot": slot}))
        assert events[0] == {"event": "slot", "name": slot, "value": expected, "timestamp": None}
    answers = {
        "diary_rating": 6.0,
        "diary_location": "calves",
        "diary_sleep": 5.5,
        "diary_caffeine": "skip",
        "diary_stress": "high",
        "diary_more": "went for a run, 2 beers",
    }
    messages, _ = run(ActionSaveGuidedEntry(), tracker(who, "went for a run, 2 beers", slots=answers))
    (entry,) = default_store().entries(who)
    assert (entry.rating, entry.sleep_hours, entry.caffeine, entry.stress) == (6.0, 5.5, None, "high")
    assert (entry.locations, entry.exercise, entry.alcohol) == (["calves"], True, 2)


def test_an_entry_with_an_urgent_sign_starts_a_recheck_after_saving():
    who = person()
    text = "log today: twitching 4/10, and for two weeks my right hand grip has been getting weaker, I drop cups"
    messages, events = run(ActionLogSymptoms(), tracker(who, text))
    assert "Saved in your diary" in said(messages) and "a few quick questions" in said(messages)
    assert {"event": "followup", "name": "symptom_check_form", "timestamp": None} in events
    assert default_store().entries(who)


def test_an_entry_written_during_the_symptom_check_is_saved_and_its_signs_join_the_check():
    who = person()
    text = "diary: twitching 5/10 in my eyelid, and my grip has been getting weaker for two weeks"
    check = {"requested_slot": "twitch_duration", "clinical_findings": {"present": ["sign:twitching"]}}
    messages, events = run(ActionLogSymptoms(), tracker(who, text, slots=check, active_loop="symptom_check_form"))
    (entry,) = default_store().entries(who)
    assert entry.rating == 5
    assert "Saved in your diary" in said(messages) and "added that to the questions" in said(messages)
    # no second check is started over the open one: the entry's findings go into it
    assert not [e for e in events if e["event"] == "followup"]
    (findings,) = [e["value"] for e in events if e.get("name") == "clinical_findings"]
    assert "sign:twitching" in findings["present"] and any("weak" in f for f in findings["present"])


def test_an_answer_inside_a_diary_entry_during_the_check_is_not_asked_again():
    who = person()
    text = "no weakness, I can still lift and run fine. oh and diary: calf twitched nonstop, 6/10, 4 coffees"
    check = {"requested_slot": "weakness_or_wasting", "clinical_findings": {"present": ["sign:twitching"]}}
    messages, events = run(ActionLogSymptoms(), tracker(who, text, slots=check, active_loop="symptom_check_form"))
    assert "Saved in your diary" in said(messages) and default_store().entries(who)[0].rating == 6
    assert {"event": "slot", "timestamp": None, "name": "weakness_or_wasting", "value": "no"} in events


def test_asking_for_a_diary_during_the_symptom_check_is_told_how_and_the_check_goes_on():
    who = person()
    t = tracker(
        who, "can I keep a log of this?", slots={"requested_slot": "twitch_location"}, active_loop="symptom_check_form"
    )
    messages, events = run(ActionLogSymptoms(), t)
    assert [m.get("response") for m in messages] == ["utter_diary_alongside"]
    assert events == [] and default_store().entries(who) == []


def test_show_diary_sends_a_png_chart_with_its_words():
    who = person()
    run(ActionLogSymptoms(), tracker(who, "log yesterday: twitching 7/10, slept 5 hours"))
    run(ActionLogSymptoms(), tracker(who, "log today: twitching 2/10, slept 8 hours"))
    messages, _ = run(ActionShowDiary(), tracker(who, "show my diary", "show_diary"))
    (chart,) = [m for m in messages if m.get("image")]
    assert base64.b64decode(chart["image"].split(",", 1)[1])[:4] == b"\x89PNG"
    assert chart["text"].startswith("Chart:")
    assert "No clear patterns yet" in said(messages)
    assert "utter_diary_observations_caveat" not in said(messages)  # no pattern named, nothing to warn about


def test_an_empty_diary_says_how_to_start():
    messages, _ = run(ActionShowDiary(), tracker(person(), "show my diary", "show_diary"))
    assert said(messages) == "utter_diary_empty"


def test_delete_removes_the_last_entry_and_export_has_the_rest():
    who = person()
    run(ActionLogSymptoms(), tracker(who, "log yesterday: twitching 3/10"))
    run(ActionLogSymptoms(), tracker(who, "log today: twitching 5/10"))
    messages, _ = run(ActionDeleteDiaryEntry(), tracker(who, "delete my last entry", "delete_diary_entry"))
    assert "Deleted your diary entry for today" in said(messages)
    messages, _ = run(ActionExportMyData(), tracker(who, "export my data", "export_my_data"))
    (file,) = [m["custom"]["data"]["file"] for m in messages if m.get("custom")]
    document = json.loads(base64.b64decode(file["data_base64"]))
    assert [e["rating"] for e in document["diary"]] == [3.0]


def test_a_checkin_is_planned_for_the_day_named_and_asked_when_due(tmp_path, monkeypatch):
    who = person()
    monkeypatch.setenv("BFS_TEST_CLOCK", str(tmp_path / "clock.txt"))
    (tmp_path / "clock.txt").write_text("2026-03-02T12:00:00+00:00")
    plan = tracker(who, "/plan_checkin", "plan_checkin", entities=[{"entity": "checkin_in_days", "value": "14"}])
    messages, _ = run(ActionPlanCheckin(), plan)
    assert "I'll check in on Monday 16 March" in said(messages)
    assert "next time you open this chat" in said(messages)

    (tmp_path / "clock.txt").write_text("2026-03-10T12:00:00+00:00")
    messages, events = run(ActionCheckIn(), tracker(who, "/check_in", "check_in"))
    assert said(messages) == "utter_welcome_back" and events == []  # not due yet

    (tmp_path / "clock.txt").write_text("2026-03-16T10:00:00+00:00")
    messages, events = run(ActionCheckIn(), tracker(who, "/check_in", "check_in"))
    assert said(messages) == "utter_checkin_intro"
    assert events[-1] == {"event": "followup", "name": "checkin_form", "timestamp": None}

    answer = tracker(who, "much better now, hardly any", "nlu_fallback", {"requested_slot": "checkin_answer"})
    _, events = run(ValidateCheckinForm(), answer)
    assert events[0]["value"] == "settled"
    messages, _ = run(ActionCheckinAnswered(), tracker(who, "", slots={"checkin_answer": "settled"}))
    assert said(messages) == "utter_checkin_settled"
    assert default_store().open_checkin(who) is None


def test_without_a_day_the_assistant_asks_for_one():
    messages, _ = run(ActionPlanCheckin(), tracker(person(), "can you check in with me later?", "plan_checkin"))
    assert said(messages) == "utter_ask_checkin_day"


def test_a_checkin_answer_naming_a_new_sign_is_a_change():
    text = "the twitching is better but now my speech is slurred"
    answer = tracker(person(), text, "describe_symptoms", {"requested_slot": "checkin_answer"})
    _, events = run(ValidateCheckinForm(), answer)
    assert events[0]["value"] == "worse"


def test_every_button_of_the_guided_log_answers_its_question(domain):
    """The guided log's buttons are read by its form, not by the classifier."""
    from followup.diary import parse_answer

    for slot in ("diary_rating", "diary_location", "diary_sleep", "diary_caffeine", "diary_stress", "diary_more"):
        (variant,) = domain["responses"][f"utter_ask_diary_form_{slot}"]
        for button in variant["buttons"]:
            assert parse_answer(slot, button["payload"]) is not None, (slot, button)


def test_a_checkin_answer_is_taken_even_when_the_classifier_calls_it_a_question():
    answer = tracker(person(), "about the same", "faq", {"requested_slot": "checkin_answer"})
    _, events = run(ValidateCheckinForm(), answer)
    assert events[0]["value"] == "same"
    question = tracker(person(), "can coffee make it worse?", "faq", {"requested_slot": "checkin_answer"})
    assert run(ValidateCheckinForm(), question)[1] == []  # a real question: answered, then asked again


def test_asking_how_to_delete_explains_and_deletes_nothing():
    who = person()
    run(ActionLogSymptoms(), tracker(who, "log today: twitching 3/10"))
    messages, _ = run(ActionDeleteDiaryEntry(), tracker(who, "how do I delete my last entry?", "delete_diary_entry"))
    assert said(messages) == "utter_diary_how_to"
    assert len(default_store().entries(who)) == 1


def test_a_checkin_answer_that_only_names_where_it_twitches_is_not_a_change():
    text = "honestly it's mostly gone, just the odd flicker in my eyelid"
    answer = tracker(person(), text, "describe_symptoms", {"requested_slot": "checkin_answer"})
    _, events = run(ValidateCheckinForm(), answer)
    assert events[0]["value"] == "settled"


def test_an_unclear_answer_is_asked_again_and_after_three_the_question_is_let_go():
    who = person()
    slots = {"requested_slot": "checkin_answer"}
    messages, events = run(ValidateCheckinForm(), tracker(who, "hmm", "nlu_fallback", slots))
    assert said(messages) == "utter_checkin_unclear"
    assert events == [{"event": "slot", "name": "followup_unclear", "value": 1, "timestamp": None}]
    _, events = run(ValidateCheckinForm(), tracker(who, "hmm", "nlu_fallback", {**slots, "followup_unclear": 2}))
    assert events[0]["value"] == "unclear"
    messages, _ = run(ActionCheckinAnswered(), tracker(who, "", slots={"checkin_answer": "unclear"}))
    assert said(messages) == "utter_checkin_left_open"


def test_the_answered_action_takes_the_answer_from_the_buttons_entity_too(tmp_path, monkeypatch):
    who = person()
    monkeypatch.setenv("BFS_TEST_CLOCK", str(tmp_path / "clock.txt"))
    (tmp_path / "clock.txt").write_text("2026-03-02T12:00:00+00:00")
    plan = tracker(who, "/plan_checkin", "plan_checkin", entities=[{"entity": "checkin_in_days", "value": "3"}])
    run(ActionPlanCheckin(), plan)
    (tmp_path / "clock.txt").write_text("2026-03-06T12:00:00+00:00")
    run(ActionCheckIn(), tracker(who, "/check_in", "check_in"))
    button = tracker(who, "/affirm", "affirm", entities=[{"entity": "checkin_answer", "value": "worse"}])
    messages, events = run(ActionCheckinAnswered(), button)
    assert said(messages).startswith("utter_checkin_worse")
    assert {"event": "followup", "name": "symptom_check_form", "timestamp": None} in events
    assert default_store().open_checkin(who) is None


def test_a_diary_entry_with_tingling_is_saved_and_rechecked_not_an_emergency():
    who = person()
    messages, events = run(ActionLogSymptoms(), tracker(who, "log today: twitching 5/10, tingling in my feet"))
    assert "Saved in your diary" in said(messages)
    assert {"event": "followup", "name": "symptom_check_form", "timestamp": None} in events


def test_a_sign_in_a_diary_request_during_the_check_joins_the_check_but_no_time_does():
    """A reviewer's case: "show my diary. also my leg has gotten weaker" handed over mid-check lost the sign."""
    who = person()
    run(ActionLogSymptoms(), tracker(who, "log today: twitching 3/10 in my calf"))
    text = "show my diary. also my leg has gotten weaker this week"
    check = {
        "requested_slot": "twitch_duration",
        "clinical_findings": {"present": ["sign:twitching"], "duration_days": 21.0},
    }
    messages, events = run(ActionShowDiary(), tracker(who, text, "show_diary", check, active_loop="symptom_check_form"))
    (findings,) = [e["value"] for e in events if e.get("name") == "clinical_findings"]
    assert any(f.startswith("sign:weakness") for f in findings["present"])
    assert findings["duration_days"] == 21.0  # "this week" is not how long the twitching has lasted
    assert "added that to the questions" in said(messages)
    # outside the check nothing is added to a check
    _, events = run(ActionShowDiary(), tracker(who, text, "show_diary"))
    assert not [e for e in events if e.get("name") == "clinical_findings"]
