"""The actions that answer a message and its other parts (actions/other_parts.py,
ActionAnswerQuestion, the start of the check), with trackers built in code."""

from __future__ import annotations

import asyncio
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionOfferConsultation
from actions.symptom_check import ActionAnswerQuestion, ActionStartSymptomCheck


def tracker(
    text: str,
    intent: str,
    topic: Optional[str] = None,
    other_parts=(),
    describes: bool = False,
    active_loop: Optional[str] = None,
) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": [],
        "other_parts": list(other_parts),
        "clinical": {"describes_symptoms": describes, "emergency": False},
    }
    if topic:
        message["response_selector"] = {"faq": {"response": {"intent_response_key": topic}}}
    return Tracker(
        sender_id="t",
        slots={},
        latest_message=message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return [m.get("response") for m in dispatcher.messages], events


def part(intent: str, text: str = "x") -> dict:
    return {"intent": intent, "text": text, "confidence": 0.99}


def test_a_question_gets_its_topic_after_a_greeting_or_thanks():
    said, events = run(
        ActionAnswerQuestion(),
        tracker("thanks! also does alcohol make it worse", "faq", "faq/alcohol", [part("thank")]),
    )
    assert said == ["utter_you_are_welcome_briefly", "utter_faq/alcohol"]
    assert events == []


def test_two_questions_get_two_answers_in_the_order_written():
    said, _ = run(
        ActionAnswerQuestion(),
        tracker("can coffee cause it? and alcohol?", "faq", "faq/caffeine", [part("faq/alcohol")]),
    )
    assert said == ["utter_faq/caffeine", "utter_faq/alcohol"]


def test_a_question_that_also_described_symptoms_starts_the_check_after_the_answer():
    said, events = run(
        ActionAnswerQuestion(),
        tracker("my calf twitches after every gym session", "faq", "faq/exercise", describes=True),
    )
    assert said == ["utter_faq/exercise", "utter_symptom_check_intro"]
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "symptom_check_form"}


def test_inside_a_form_the_question_is_only_answered():
    said, events = run(
        ActionAnswerQuestion(),
        tracker(
            "can stress cause this?", "faq", "faq/stress_anxiety", describes=True, active_loop="symptom_check_form"
        ),
    )
    assert said == ["utter_faq/stress_anxiety"] and events == []


def test_a_question_without_a_topic_is_asked_again():
    said, _ = run(ActionAnswerQuestion(), tracker("hmm?", "faq"))
    assert said == ["utter_rephrase"]


def test_the_check_starts_after_a_short_answer_to_a_worried_question():
    t = tracker(
        "hi, my calf has been twitching for 3 weeks. Is it ALS?",
        "describe_symptoms",
        other_parts=[part("greet"), part("faq/bfs_vs_als"), part("faq/is_it_serious")],
        describes=True,
    )
    said, _ = run(ActionStartSymptomCheck(), t)
    # One honest answer about what the check is for, not two FAQ answers before it.
    assert said == ["utter_greet_briefly", "utter_check_answers_worry", "utter_symptom_check_intro"]


def test_a_practical_question_next_to_a_description_gets_its_answer_before_the_check():
    t = tracker(
        "my eyelid twitches and I drink 5 coffees a day. Could that be it?",
        "describe_symptoms",
        other_parts=[part("faq/caffeine")],
        describes=True,
    )
    said, _ = run(ActionStartSymptomCheck(), t)
    assert said == ["utter_faq/caffeine", "utter_symptom_check_intro"]


def test_a_request_for_a_diary_next_to_a_description_is_told_how_once_before_the_check():
    t = tracker(
        "eye and thumb twitching 10 days. can i start some kind of log so i can show my gp?? and see it later",
        "describe_symptoms",
        other_parts=[part("log_symptoms"), part("show_diary")],
        describes=True,
    )
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionStartSymptomCheck().run(dispatcher, t, {}))
    said = [m.get("response") for m in dispatcher.messages]
    assert said == ["utter_diary_alongside", "utter_symptom_check_intro"]


def test_a_report_asked_for_beside_a_description_comes_with_the_checks_result():
    t = tracker(
        "my calf has twitched for 3 weeks. can I get a pdf for my GP at the end?",
        "describe_symptoms",
        other_parts=[part("request_report")],
        describes=True,
    )
    said, events = run(ActionStartSymptomCheck(), t)
    assert said == ["utter_report_after_check", "utter_symptom_check_intro"]
    assert {"event": "slot", "timestamp": None, "name": "report_requested", "value": True} in events


def test_a_doctor_request_answers_thanks_before_and_a_question_after():
    said, _ = run(
        ActionOfferConsultation(),
        tracker(
            "thanks, can I see a doctor? and can stress cause this?",
            "request_doctor",
            other_parts=[part("thank"), part("faq/stress_anxiety")],
        ),
    )
    assert said == ["utter_you_are_welcome_briefly", "utter_offer_consultation", "utter_faq/stress_anxiety"]


# --- The emergency advice, the crisis response, and a question about a red flag -----------


def clinical_tracker(text: str, intent: str, topic: Optional[str] = None) -> Tracker:
    from clinical.extractor import extract

    t = tracker(text, intent, topic)
    t.latest_message["clinical"] = {"findings": extract(text).to_dict()}
    return t


def run_texts(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return [m.get("response") or m.get("text") for m in dispatcher.messages], events


def test_the_emergency_reply_says_what_it_heard_and_how_to_go_back():
    from actions.actions import ActionHandleEmergency

    said, events = run_texts(
        ActionHandleEmergency(), clinical_tracker("my face suddenly drooped an hour ago", "report_emergency")
    )
    assert said[0] == "utter_emergency"
    assert "because you said" in said[1] and "drooped" in said[1] and "misunderstood" in said[1]
    assert {"event": "slot", "timestamp": None, "name": "triage_level", "value": "emergency"} in events


def test_an_emergency_only_the_classifier_heard_still_says_how_to_correct_it():
    from actions.actions import ActionHandleEmergency

    said, _ = run_texts(ActionHandleEmergency(), clinical_tracker("call an ambulance", "report_emergency"))
    assert said == ["utter_emergency", "utter_emergency_misunderstood"]


def test_thoughts_of_not_wanting_to_live_get_the_crisis_response_first_and_alone():
    from actions.actions import ActionHandleEmergency

    said, _ = run_texts(
        ActionHandleEmergency(),
        clinical_tracker(
            "honestly I don't want to live anymore, the twitching and the fear have taken everything",
            "report_emergency",
        ),
    )
    assert len(said) == 1 and "sorry" in said[0] and "988" in said[0] and "116 123" in said[0]


def test_review3_A_thoughts_of_dying_with_another_emergency_get_the_crisis_response_then_the_advice():
    """Third review, item A: the crisis response first, then the emergency advice and the echo of
    the other emergency (not of the thoughts of dying), so the face droop is not lost."""
    from actions.actions import ActionHandleEmergency

    said, events = run_texts(
        ActionHandleEmergency(),
        clinical_tracker("My face drooped suddenly an hour ago and I want to die", "report_emergency"),
    )
    assert "sorry" in said[0] and "988" in said[0] and "116 123" in said[0]
    assert said[1] == "utter_emergency"
    assert "because you said" in said[2] and "drooped" in said[2] and "want to die" not in said[2]
    assert len(said) == 3
    assert {"event": "slot", "timestamp": None, "name": "triage_level", "value": "emergency"} in events


def test_review3_A_an_emergency_heard_mid_check_after_a_crisis_gets_the_same_order():
    from actions.emergency import advise
    from clinical.extractor import extract
    from clinical.triage import triage

    dispatcher = CollectingDispatcher()
    advise(dispatcher, triage(extract("on sertraline, now jerking with a fever and confused, I want to die")))
    said = [m.get("response") or m.get("text") for m in dispatcher.messages]
    assert "988" in said[0] and said[1] == "utter_emergency" and "fever" in said[2]


def test_a_question_about_a_red_flag_gets_its_answer_and_what_to_do_if_it_is_happening_now():
    said, events = run_texts(ActionAnswerQuestion(), clinical_tracker("can BFS cause choking?", "faq", "faq/symptoms"))
    assert said[0] == "utter_faq/symptoms"
    assert "right now" in said[1] and "emergency number" in said[1]
    assert events == []
    plain, _ = run_texts(ActionAnswerQuestion(), clinical_tracker("can coffee cause twitching?", "faq", "faq/caffeine"))
    assert plain == ["utter_faq/caffeine"]


def test_an_unknown_onset_gets_the_instruction_and_the_onset_question_first():
    from actions.symptom_check import ValidateSymptomCheckForm
    from clinical.interview import QUESTIONS

    t = clinical_tracker("my left arm feels weak and my calf twitches", "describe_symptoms")
    t.slots = {q: None for q in QUESTIONS}
    t.active_loop = {"name": "symptom_check_form"}
    said, events = run_texts(ValidateSymptomCheckForm(), t)
    assert any("within the last day" in (s or "") and "emergency number" in (s or "") for s in said)
    assert {"event": "slot", "timestamp": None, "name": "requested_slot", "value": "symptom_onset"} in events


def test_a_question_with_no_clear_topic_next_to_a_description_gets_what_the_check_is_for():
    t = tracker("my eye keeps twitching, why?", "describe_symptoms", other_parts=[part("question")], describes=True)
    said, _ = run(ActionStartSymptomCheck(), t)
    assert said == ["utter_check_answers_worry", "utter_symptom_check_intro"]
    # Next to an FAQ answer it needs nothing more.
    said, _ = run(ActionAnswerQuestion(), tracker("why? can coffee do it?", "faq", "faq/caffeine", [part("question")]))
    assert said == ["utter_faq/caffeine"]


# --- Right after the emergency advice -------------------------------------------------------


def after_emergency(text: str, intent: str, topic: Optional[str] = None) -> Tracker:
    t = tracker(text, intent, topic)
    t.events = [
        {"event": "user", "text": "my face drooped an hour ago"},
        {"event": "action", "name": "action_handle_emergency"},
        {"event": "slot", "name": "triage_level", "value": "emergency"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text},
    ]
    return t


def test_playing_it_down_right_after_the_advice_gets_the_advice_again_not_an_faq():
    said, events = run(
        ActionAnswerQuestion(),
        after_emergency(
            "no its not happening now, it went away. i dont want to bother the ambulance for nothing",
            "faq",
            "faq/prevention",
        ),
    )
    assert said == ["utter_emergency_reminder"] and events == []


def test_a_question_right_after_the_advice_is_answered_after_the_reminder():
    said, _ = run(ActionAnswerQuestion(), after_emergency("is this ALS?", "faq", "faq/bfs_vs_als"))
    assert said == ["utter_emergency_reminder", "utter_faq/bfs_vs_als"]


def test_help_on_its_way_gets_what_to_do_while_waiting():
    said, _ = run(
        ActionAnswerQuestion(),
        after_emergency("ok i called 911 theyre coming. what should i do while we wait?", "faq", "faq/treatment"),
    )
    assert said[0] == "utter_emergency_help_coming"


def test_a_no_after_the_advice_goes_back_to_the_check_unless_it_plays_it_down():
    from actions.symptom_check import ActionEmergencyDenied

    said, events = run(ActionEmergencyDenied(), after_emergency("no, I said a faint twitch, not a droop", "deny"))
    assert said == ["utter_emergency_corrected", "utter_symptom_check_intro"]
    assert events[-1]["name"] == "symptom_check_form"
    said, events = run(ActionEmergencyDenied(), after_emergency("no it went away, I'll wait till monday", "deny"))
    assert said == ["utter_emergency_reminder"] and events == []


def test_later_messages_are_answered_as_usual():
    t = after_emergency("is this ALS?", "faq", "faq/bfs_vs_als")
    t.events = t.events + [
        {"event": "action", "name": "action_answer_question"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "ok"},
    ]
    said, _ = run(ActionAnswerQuestion(), t)
    assert said == ["utter_faq/bfs_vs_als"]


def test_not_wanting_to_go_or_waiting_to_see_is_playing_it_down():
    from actions.emergency import PLAYED_DOWN

    for text in ["he doesnt want to go, can we just wait and see", "she refuses to go", "can i wait till monday"]:
        assert PLAYED_DOWN.search(text), text
    assert not PLAYED_DOWN.search("no, I said a faint twitch, not a droop")


def test_when_to_see_doctor_is_answered_with_the_one_safety_net_filled_in():
    """The answer's text has a {safety_net} placeholder; the action sends the rule table's net
    with it, as a question part too ("is it ALS? when should I see a doctor?")."""
    from clinical.triage import whole_safety_net

    for t in (
        tracker("when should I see a doctor", "faq", "faq/when_to_see_doctor"),
        tracker("does coffee matter? when do I see a doctor?", "faq", "faq/caffeine", [part("faq/when_to_see_doctor")]),
    ):
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAnswerQuestion().run(dispatcher, t, {}))
        sent = [m for m in dispatcher.messages if m.get("response") == "utter_faq/when_to_see_doctor"]
        assert len(sent) == 1 and sent[0]["safety_net"] == whole_safety_net()
        assert "Call the emergency number" in sent[0]["safety_net"]
        others = [m for m in dispatcher.messages if m.get("response") != "utter_faq/when_to_see_doctor"]
        assert all("safety_net" not in m for m in others)
