"""Conversations as people start them: long, mixed, story-like messages, through
the real servers (REST), answered part by part (issue 10)."""

from __future__ import annotations

import random

import pytest
from support import ROOT, say, texts, tracker

CHECK_INTRO = "I'll ask a few short questions"
FIRST_QUESTION = "have you noticed real weakness"
REPHRASE = "say it another way"


def actions(servers, sender: str) -> list:
    return [e["name"] for e in tracker(servers, sender)["events"] if e["event"] == "action"]


def test_a_story_with_a_worried_question_starts_the_check_prefilled_after_a_short_answer(servers):
    reply = texts(
        say(servers, "story-1", "hi, my calf has been twitching for 3 weeks and I'm scared it's ALS. " "Is it?")
    )
    assert REPHRASE not in reply
    assert "I can't tell you what is causing it" in reply  # the question, answered without a diagnosis
    assert reply.index("I can't tell you") < reply.index(CHECK_INTRO) < reply.index(FIRST_QUESTION)
    state = tracker(servers, "story-1")
    assert state["active_loop"]["name"] == "symptom_check_form"
    assert state["slots"]["twitch_location"] == "calf"  # what the story said is not asked again
    assert state["slots"]["twitch_duration"] == "21 days"


def test_a_long_forum_post_starts_the_check(servers):
    post = (
        "I'm 32, my thigh has been twitching on and off since October, no weakness that I can tell, "
        "but I read online that ALS starts like this. Should I be worried?"
    )
    reply = texts(say(servers, "story-2", post))
    assert CHECK_INTRO in reply and REPHRASE not in reply


def test_a_greeting_with_a_question_gets_both(servers):
    reply = texts(say(servers, "mixed-1", "Hi! Quick question - can coffee make your muscles twitch?"))
    assert "Hi, thanks for writing." in reply
    assert "Caffeine" in reply and REPHRASE not in reply


def test_a_greeting_with_a_described_symptom_and_why_starts_the_check(servers):
    reply = texts(say(servers, "mixed-2", "Hi! Quick question - my eye keeps twitching, why?"))
    assert "Hi, thanks for writing." in reply
    # The "why?" gets an answer (with its source) before the questions start.
    assert "Source:" in reply.split(CHECK_INTRO)[0] or "I can't tell you" in reply.split(CHECK_INTRO)[0]
    assert "action_start_symptom_check" in actions(servers, "mixed-2")


def test_thanks_with_a_new_question_gets_both(servers):
    say(servers, "mixed-3", "what causes muscle twitching?")
    reply = texts(say(servers, "mixed-3", "thanks! also, does alcohol make it worse?"))
    assert reply.startswith("You're welcome.")
    assert "alcohol" in reply.lower() and REPHRASE not in reply


@pytest.mark.parametrize("question", ["am I getting ALS?", "do I have it", "could this be it?", "is this ALS"])
def test_short_als_questions_get_the_als_answer(servers, question):
    reply = texts(say(servers, f"als-{question}", question))
    assert "ALS" in reply and REPHRASE not in reply
    assert "automated assistant" not in reply and "Take care" not in reply


def test_when_to_see_a_doctor_shows_the_safety_net_filled_in(servers):
    """The FAQ answer's {safety_net} placeholder is filled by Rasa from what the action sends."""
    reply = texts(say(servers, "when-doctor", "when should I see a doctor about twitching?"))
    assert "{safety_net}" not in reply
    assert (
        reply.index("Call the emergency number")
        < reply.index("See a doctor today")
        < reply.index("Book an appointment")
        < reply.index("Source:")
    )


def test_a_worry_without_a_body_symptom_gets_the_health_anxiety_answer(servers):
    reply = texts(
        say(servers, "worry", "I keep checking my muscles and can't stop worrying it's ALS, " "it's ruining my sleep")
    )
    assert "Book an appointment" in reply or "book an appointment" in reply
    assert "988" in reply and REPHRASE not in reply


def test_the_fallback_offers_the_check_first_and_a_description_after_it_works(servers):
    replies = say(servers, "after-fallback", "the thing with the stuff")
    assert REPHRASE in texts(replies)
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert buttons[0]["title"] == "Check my symptoms"
    reply = texts(
        say(
            servers,
            "after-fallback",
            "ok so basically my left arm and both calves have been jumping "
            "for about a month, mostly at night, and I've been drinking way "
            "too much coffee because of work",
        )
    )
    assert CHECK_INTRO in reply
    assert tracker(servers, "after-fallback")["active_loop"]["name"] == "symptom_check_form"


def test_the_fallback_button_starts_the_check(servers):
    replies = say(servers, "fallback-button", "the thing with the stuff")
    payload = [b for r in replies for b in r.get("buttons", [])][0]["payload"]
    assert CHECK_INTRO in texts(say(servers, "fallback-button", payload))


def test_a_question_in_the_middle_of_the_check_is_answered_and_the_check_goes_on(servers):
    assert FIRST_QUESTION in texts(say(servers, "mid-check", "can you check my symptoms?"))
    reply = texts(say(servers, "mid-check", "before that - can stress cause twitching?"))
    assert "stress" in reply.lower() and FIRST_QUESTION in reply
    assert tracker(servers, "mid-check")["active_loop"]["name"] == "symptom_check_form"
    assert "Any of these" in texts(say(servers, "mid-check", "no"))


def long_descriptions() -> list:
    """Every symptom description of the long held-out set, in a fixed random order."""
    from scripts.evaluate_nlu import load_examples

    found = [
        text for text, label in load_examples(ROOT / "tests" / "nlu_long_test.yml") if label == "describe_symptoms"
    ]
    random.Random(10).shuffle(found)
    return found


def test_long_descriptions_start_the_check_end_to_end(servers):
    """A stratified sample: about themselves and about someone else, short and long."""
    found = long_descriptions()
    about_others = [
        t
        for t in found
        if any(
            w in t.lower()
            for w in (
                "my dad",
                "my mum",
                "my mom",
                "my husband",
                "my wife",
                "my son",
                "my daughter",
                "father",
                "mother",
                "grandad",
                "grandma",
            )
        )
    ]
    sample = list(dict.fromkeys(about_others[:12] + [t for t in found if t not in about_others][:50]))
    assert len(sample) >= 60
    missed = []
    for i, text in enumerate(sample):
        reply = texts(say(servers, f"long-{i}", text))
        if CHECK_INTRO not in reply and "emergency number now" not in reply:
            missed.append((text, reply[:200]))
    assert not missed, "\n".join(f"{t}\n  -> {r}" for t, r in missed)


def test_after_the_emergency_advice_waiting_is_never_the_answer(servers):
    first = texts(
        say(
            servers,
            "after-emergency",
            "my husband's speech went weird about 30 mins ago and his right " "arm is floppy, he says he's fine now",
        )
    )
    assert "emergency number now" in first and "because you said" in first
    for message in ["he doesnt want to go, can we just wait and see", "is this ALS?"]:
        reply = texts(say(servers, "after-emergency", message))
        assert "Please don't wait" in reply, message
        say(servers, "after-emergency", "my husband's speech went weird about 30 mins ago")  # advice again
