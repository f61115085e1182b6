"""The symptom-check interview without Rasa: what each message answers."""

from __future__ import annotations

import pytest
from support import ROOT, check_turn, describes

from clinical.extractor import Findings, extract
from clinical.interview import NOT_NEEDED, QUESTIONS
from clinical.triage import triage

DEFAULT_ANSWERS = {
    "weakness_or_wasting": ("no", "deny"),
    "speech_breathing_or_numbness": ("none of these", "deny"),
    "symptom_onset": ("gradually over weeks", "describe_symptoms"),
    "twitch_location": ("my left calf", "describe_symptoms"),
    "twitch_duration": ("a few days", "describe_symptoms"),
    "twitch_triggers": ("none of these", "deny"),
    "medicines": ("no medicines", "deny"),
    "family_history": ("no", "deny"),
    "person_age": ("34", "describe_symptoms"),
}


def run_check(first: str, answers: dict = None):
    """Plays a whole check; returns (questions asked, slots, findings)."""
    answers = {**DEFAULT_ANSWERS, **(answers or {})}
    slots = {q: None for q in QUESTIONS}
    turn = check_turn(None, first, "describe_symptoms", Findings(), slots)
    slots.update(turn.slots)
    findings, asked = turn.findings, []
    while requested := next((q for q in QUESTIONS if slots[q] is None), None):
        assert asked.count(requested) < 3, f"stuck on {requested}"
        asked.append(requested)
        text, intent = answers[requested]
        turn = check_turn(requested, text, intent, findings, slots)
        slots.update(turn.slots)
        findings = turn.findings
    return asked, slots, findings


def test_the_first_message_answers_what_it_can():
    asked, slots, _ = run_check("my left calf has been twitching for 3 weeks")
    assert "twitch_location" not in asked and "twitch_duration" not in asked
    assert slots["twitch_location"] == "calf" and slots["twitch_duration"] == "21 days"


def test_a_typical_check_takes_at_most_8_questions():
    for first in [
        "can you check my symptoms?",
        "my eyelid twitches",
        "twitching all over for a month",
        "my hand is weaker and I keep dropping things",
    ]:
        asked, _, _ = run_check(first)
        assert len(asked) <= 8, (first, asked)


def test_red_flags_are_asked_first():
    asked, _, _ = run_check("can you check my symptoms?")
    assert asked[:2] == ["weakness_or_wasting", "speech_breathing_or_numbness"]


def test_questions_that_cannot_change_the_outcome_are_skipped():
    asked, slots, _ = run_check("my eyelid has twitched for 4 days")
    assert slots["symptom_onset"] == NOT_NEEDED and slots["person_age"] == NOT_NEEDED
    assert "symptom_onset" not in asked and "person_age" not in asked


def test_onset_is_asked_after_a_red_flag_and_age_after_widespread_twitching():
    asked, _, findings = run_check("twitching all over my body", {"weakness_or_wasting": ("yes", "affirm")})
    assert "symptom_onset" in asked and "person_age" in asked
    assert triage(findings).level == "urgent"


def test_a_bare_yes_to_weakness_counts_as_functional_weakness():
    _, slots, findings = run_check("my arm twitches", {"weakness_or_wasting": ("yes", "affirm")})
    assert "sign:weakness_function" in findings.present
    assert triage(findings).level == "urgent"


@pytest.mark.parametrize("question", ["weakness_or_wasting", "speech_breathing_or_numbness", "family_history"])
@pytest.mark.parametrize(
    "text,intent,answer",
    [
        ("yes", "affirm", "yes"),
        ("yeah", None, "yes"),
        ("a bit", None, "yes"),
        ("no", "deny", "no"),
        ("nope", None, "no"),
        ("nah", None, "no"),
    ],
)
def test_every_red_flag_question_takes_a_bare_yes_or_no(question, text, intent, answer):
    slots = {q: None for q in QUESTIONS}
    turn = check_turn(question, text, intent, Findings(), slots)
    assert not turn.unclear and turn.slots[question].startswith(answer), turn.slots


def test_a_bare_yes_to_the_mixed_question_is_at_least_urgent_and_brings_the_onset_question():
    slots = {q: None for q in QUESTIONS}
    turn = check_turn("speech_breathing_or_numbness", "yeah", None, Findings(), slots)
    assert turn.slots["speech_breathing_or_numbness"].startswith("yes")
    assert triage(turn.findings).level == "urgent"


@pytest.mark.parametrize(
    "payload,fact",
    [("in the last day", "onset:sudden"), ("over days", "onset:days"), ("over weeks or months", "onset:gradual")],
)
def test_onset_choices_are_understood(payload, fact):
    from clinical.interview import ONSET_CHOICES

    assert payload in [p for _, p in ONSET_CHOICES]
    slots = {q: None for q in QUESTIONS}
    earlier = extract("my left arm feels weak")
    assert triage(earlier).outcome == "ask_onset"
    turn = check_turn("symptom_onset", payload, None, earlier, slots)
    assert fact in turn.findings.present and not turn.unclear
    assert triage(turn.findings).outcome == ("emergency" if fact == "onset:sudden" else "urgent")


def test_an_unknown_onset_keeps_the_instruction():
    slots = {q: None for q in QUESTIONS}
    turn = check_turn("symptom_onset", "not sure", None, extract("my left arm feels weak"), slots)
    assert turn.slots["symptom_onset"] == "not sure"
    result = triage(turn.findings)
    assert result.ask_onset and "within the last day" in result.onset_instruction


def test_questions_and_stop_are_handed_over():
    slots = {q: None for q in QUESTIONS}
    for text, intent in [
        ("can caffeine cause twitching?", "faq"),
        ("stop", "cancel"),
        ("I want to talk to a doctor", "request_doctor"),
    ]:
        assert not check_turn("twitch_duration", text, intent, Findings(), slots).is_answer


def test_a_specific_answer_counts_whatever_the_intent():
    slots = {q: None for q in QUESTIONS}
    turn = check_turn("twitch_duration", "3 weeks", "goodbye", Findings(), slots)
    assert turn.is_answer and turn.slots["twitch_duration"] == "21 days"
    turn = check_turn("twitch_triggers", "stress", "faq", Findings(), slots)
    assert turn.slots["twitch_triggers"] == "stress"


def test_an_unclear_answer_is_flagged_not_stored():
    slots = {q: None for q in QUESTIONS}
    turn = check_turn("twitch_location", "hmm not sure really", "out_of_scope", Findings(), slots)
    assert turn.is_answer and turn.unclear and "twitch_location" not in turn.slots


def test_a_correction_updates_an_earlier_answer_and_brings_back_onset():
    slots = {q: None for q in QUESTIONS}
    slots.update(weakness_or_wasting="no", speech_breathing_or_numbness="no", symptom_onset=NOT_NEEDED)
    findings = Findings(absent={"sign:weakness_function"})
    turn = check_turn(
        "twitch_location", "my hand, and actually I keep dropping things", "describe_symptoms", findings, slots
    )
    assert turn.slots["weakness_or_wasting"].startswith("yes")
    assert turn.slots["symptom_onset"] is None
    assert "weakness_or_wasting" in turn.corrected
    assert "sign:weakness_function" in turn.findings.present


def test_someone_else_is_triaged_as_described():
    _, slots, findings = run_check("my dad (64) has twitching all over and keeps tripping")
    assert findings.subject == "other" and slots["person_age"] == "64"
    assert triage(findings).level == "urgent"


def test_a_personal_statement_with_symptoms_is_a_description():
    assert describes("my calf twitches after every gym session")
    assert describes("I keep checking my muscles and my calf won't stop twitching")
    # The worry alone is answered as a question (faq/health_anxiety); so is
    # twitching that is only what the worry is about.
    assert not describes("I keep checking my muscles and can't stop worrying")
    assert not describes("I'm obsessing over every twitch")
    assert not describes("my anxiety about my twitching is taking over my life")
    # Questions without a "?": advice, "which", "does being tired ...".
    for question in [
        "which medications cause muscle twitching",
        "any tips to avoid getting twitches",
        "does being tired cause muscle twitches",
        "when does twitching need a doctor",
        "at what point is twitching a reason to see the GP",
        "begin the twitching checker please",
        "Hi, my GP mentioned benign fasciculation syndrome today. What actually is it?",
    ]:
        assert not describes(question), question
    assert not describes("can caffeine cause twitching?")
    assert not describes("what causes muscle twitches")
    assert not describes("order me a pizza")


@pytest.mark.parametrize(
    "text",
    [
        "hi, my calf has been twitching for 3 weeks and I'm scared it's ALS. Is it?",
        "Hi! Quick question - my eye keeps twitching, why?",
        "I'm 32, my thigh has been twitching on and off since October, no weakness that I can tell, but I read "
        "online that ALS starts like this. Should I be worried?",
        "my calf twitches, is that normal",
        "my legs feel weak, could it be ALS?",
        "why is my face drooping?",
        "why do I keep dropping things",
    ],
)
def test_a_statement_with_a_question_describes_symptoms(text):
    from clinical.interview import describes_symptoms

    assert describes(text)
    assert describes_symptoms(text, extract(text))


@pytest.mark.parametrize(
    "text",
    [
        "can twitching cause weakness?",
        "Will my twitching lead to paralysis?",
        "is it normal for muscles to twitch after the gym?",
        "Could my twitching be a seizure?",
        "Can BFS cause choking?",
        "what if I get weakness later?",
        "can caffeine cause muscle twitching",
        "does BFS ever cause slurred speech",
        "is sudden weakness a sign of a stroke?",
        "I was wondering if twitching can lead to paralysis",
    ],
)
def test_a_question_reports_nothing_and_raises_no_emergency(text):
    from clinical.interview import describes_symptoms

    findings = extract(text)
    assert not describes_symptoms(text, findings), findings
    assert triage(findings).level == "self_care", findings


def test_a_red_flag_only_asked_about_is_kept_apart():
    from clinical.triage import happening_now_line

    findings = extract("Can BFS cause choking?")
    assert not findings.present and findings.asked & {"sign:cannot_swallow", "sign:swallowing_change"}
    assert "right now" in happening_now_line(findings)
    assert happening_now_line(extract("can caffeine cause twitching?")) == ""


def test_the_form_asks_the_questions_in_the_order_the_code_keeps(domain):
    """QUESTIONS is the order; domain.yml's form must list the same slots in it."""
    assert domain["forms"]["symptom_check_form"]["required_slots"] == QUESTIONS


def test_slot_values_the_code_writes_are_named_once():
    """Every constant value the check writes is one of Answer's, and they are all different."""
    from clinical.interview import Answer

    values = [v for k, v in vars(Answer).items() if k.isupper()]
    assert len(values) == len(set(values))
    source = (ROOT / "clinical" / "interview.py").read_text()
    for literal in ('"no"', '"yes"', '"not needed"', '"unknown"', '"not sure"', '"none"', '"skipped'):
        body = source.split("class Answer:")[1].split("# Short names used throughout.")[1]
        assert f"return {literal}" not in body and f"= {literal}" not in body, literal


def test_every_answer_button_answers_its_question(domain):
    prefix = "utter_ask_symptom_check_form_"
    questions = {
        name[len(prefix) :]: variants for name, variants in domain["responses"].items() if name.startswith(prefix)
    }
    assert set(questions) == set(QUESTIONS)
    for question, variants in questions.items():
        for button in variants[0].get("buttons", []):
            slots = {q: None for q in QUESTIONS}
            turn = check_turn(question, button["payload"], "describe_symptoms", Findings(), slots)
            assert turn.is_answer and not turn.unclear, (question, button)
            assert turn.slots[question] not in (None, "unknown"), (question, button)


def test_full_sentence_answers_as_a_patient_gives_them():
    cases = [
        ("family_history", "No, nobody in my family has had ALS", "deny", "no"),
        ("family_history", "My grandfather had ALS", "describe_symptoms", "yes"),
        ("weakness_or_wasting", "My strength seems completely normal", "describe_symptoms", "no"),
        ("weakness_or_wasting", "No, I haven't noticed any weakness or muscle loss", "deny", "no"),
        (
            "speech_breathing_or_numbness",
            "No problems with speech, swallowing or breathing, and no numbness",
            "deny",
            "no",
        ),
        ("twitch_duration", "Since last Tuesday", "describe_symptoms", "7 days"),
        ("twitch_duration", "About three weeks now", "describe_symptoms", "21 days"),
        (
            "twitch_triggers",
            "I've been stressed at work and drinking a lot of coffee",
            "describe_symptoms",
            "caffeine, stress",
        ),
        ("medicines", "I'm not on any medication", "deny", "none"),
        ("person_age", "I'm 42 years old", "describe_symptoms", "42"),
    ]
    for question, text, intent, expected in cases:
        turn = check_turn(question, text, intent, Findings(), {q: None for q in QUESTIONS})
        assert turn.slots.get(question) == expected, (question, text, turn.slots.get(question))


@pytest.mark.parametrize(
    "answer,value",
    [
        ("she says no weakness she still goes to the gym every day", "no"),
        ("he can still do everything fine", "no"),
        ("she hasnt noticed anything like that", "no"),
        ("not that I know of", "no"),
        ("she drops things a lot lately", "yes: drops things"),
    ],
)
def test_in_a_check_about_someone_else_their_answers_are_about_that_person(answer, value):
    start = extract("my mum (58) has had twitching in her calves for a month")
    assert start.subject == "other"
    turn = check_turn("weakness_or_wasting", answer, None, start, {})
    assert not turn.unclear and turn.slots["weakness_or_wasting"] == value
    assert turn.findings.subject == "other"


def test_in_a_check_about_oneself_a_bystanders_symptom_stays_theirs():
    turn = check_turn(
        "weakness_or_wasting", "no, but my brother drops things all the time", None, extract("my calf twitches"), {}
    )
    assert turn.slots["weakness_or_wasting"] == "no"
    assert "sign:weakness_function" not in turn.findings.present


def test_feeling_weak_with_everything_still_possible_is_no_real_weakness(domain):
    """Second neurologist review, item 1: a feeling of weakness with strength and function kept is
    common in health anxiety. It has its own button, and its answer is not the real weakness the
    question asks about: no "yes", no onset question, and routine (an examination), not urgent.
    Real weakness said later still corrects it."""
    from clinical.interview import FELT_WEAKNESS_ONLY

    buttons = domain["responses"]["utter_ask_symptom_check_form_weakness_or_wasting"][0]["buttons"]
    felt = [b for b in buttons if "feel weak" in b["title"].lower() and "still do everything" in b["title"].lower()]
    assert len(felt) == 1, buttons
    payload = felt[0]["payload"]

    turn = check_turn("weakness_or_wasting", payload, "describe_symptoms", Findings(), {q: None for q in QUESTIONS})
    assert turn.slots["weakness_or_wasting"] == FELT_WEAKNESS_ONLY and not turn.unclear
    assert {"sign:weakness", "sign:normal_function"} <= turn.findings.present
    result = triage(turn.findings)
    assert result.level == "routine" and not result.ask_onset
    assert [r.rule for r in result.reasons] == ["felt_weakness_function_kept"]

    asked, slots, findings = run_check("my calf twitches", {"weakness_or_wasting": (payload, "describe_symptoms")})
    assert "symptom_onset" not in asked and slots["symptom_onset"] == NOT_NEEDED
    assert triage(findings).level == "routine"

    # "... and actually I keep dropping things" later is real weakness: the answer is corrected.
    later = check_turn(
        "twitch_location",
        "my hand, and actually I keep dropping things",
        "describe_symptoms",
        turn.findings,
        {**{q: None for q in QUESTIONS}, **turn.slots},
    )
    assert later.slots["weakness_or_wasting"].startswith("yes") and "weakness_or_wasting" in later.corrected
    assert triage(later.findings).level == "urgent"


def test_a_story_that_rules_out_weakness_is_not_asked_about_it_again():
    """ "No weakness, I can still lift and run fine" answers the first question; a bare
    "no weakness" does not, since the question asks about what people do."""
    told = check_turn(
        None,
        "my calf has twitched for 3 weeks, no weakness, I can still lift and run fine",
        "describe_symptoms",
        Findings(),
        {},
    )
    assert told.slots["weakness_or_wasting"] == "no"
    bare = check_turn(None, "my calf has twitched for 3 weeks, no weakness", "describe_symptoms", Findings(), {})
    assert "weakness_or_wasting" not in bare.slots
    mixed = check_turn(
        None, "no weakness, I can still run fine, but I keep tripping", "describe_symptoms", Findings(), {}
    )
    assert mixed.slots["weakness_or_wasting"].startswith("yes")


def test_a_no_never_denies_a_sign_offered_with_a_doubt_in_the_same_answer():
    """Found trying it as a relative: the "no" denied the thinner shoulder it went on to describe."""
    so_far = extract("my dad is 71 and has had twitching in his shoulders for a few months")
    text = "no. although his right shoulder looks a bit thinner than the left maybe? hard to say, he's always been lopsided"
    turn = check_turn("weakness_or_wasting", text, "describe_symptoms", so_far, {})
    assert "sign:wasting" in turn.findings.present and "sign:wasting" not in turn.findings.absent
    assert turn.slots["weakness_or_wasting"].startswith("yes")
    assert triage(turn.findings).level == "urgent"
    # a plain "no" still denies, and a question alone still reports nothing
    plain = check_turn("weakness_or_wasting", "no", "deny", so_far, {})
    assert "sign:wasting" in plain.findings.absent
    asked = check_turn("weakness_or_wasting", "can a thinner muscle be from BFS?", "faq", so_far, {})
    assert not asked.is_answer and "sign:wasting" not in asked.findings.present
    # a "no" with a question after it reports nothing either (a reviewer's case)
    question = check_turn("weakness_or_wasting", "no. could this lead to wasting", "deny", so_far, {})
    assert "sign:wasting" not in question.findings.present and question.slots["weakness_or_wasting"] == "no"


def test_not_sure_answers_the_family_question_whatever_the_classifier_said():
    """Found trying it as a relative: it was answered as an FAQ and the question came again."""
    so_far = extract("my dad's arm twitches for months")
    text = "not sure, his brother died young of something neurological nobody talks about"
    turn = check_turn("family_history", text, "faq", so_far, {})
    assert turn.is_answer and turn.slots["family_history"] == "not sure"
