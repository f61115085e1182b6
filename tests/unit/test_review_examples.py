"""Every example of issue 11 (the clinical review), through extract() + triage().

`outcome` is the level, or `ask_onset` while an unknown onset decides between
emergency and less (tests/unit/test_clinical_dev.py scores the same way).
"""

from __future__ import annotations

import pytest

from clinical.extractor import extract
from clinical.interview import describes_symptoms
from clinical.triage import triage

RANK = {"self_care": 1, "routine": 2, "urgent": 3, "ask_onset": 3.5, "emergency": 4}

# Missed or lowered red flags: (message, the least it must reach).
RED_FLAGS = [
    ("My speech has been slurred lately which is not normal for me", "urgent"),
    ("I keep dropping things, which isn't normal for me", "urgent"),
    ("My right hand grip is weaker, the rest is fine", "urgent"),
    ("I'm not sleeping well and my legs have suddenly gone weak", "emergency"),
    ("I can't walk far without stumbling", "urgent"),
    ("If I lie flat I can't breathe", "urgent"),
    ("I'm showing signs of weakness in my right hand", "ask_onset"),
    ("My face suddenly drooped and my mum is driving me to hospital", "emergency"),
    ("I can hardly breathe", "emergency"),
    ("I can't get my breath", "emergency"),
    ("I feel like I'm suffocating", "emergency"),
    ("half my body went numb out of the blue", "emergency"),
    ("my arm and leg went heavy and clumsy about 2 hours ago", "emergency"),
    ("I woke up with my left arm weak", "emergency"),
    ("I think I'm having a stroke", "emergency"),
    ("my dad lost consciousness", "emergency"),
    ("my son is having an epileptic fit", "emergency"),
    ("his whole body is jerking and he isn't responding", "emergency"),
    ("since the stomach bug my legs have gone weak and tingly and today I can't walk", "emergency"),
    ("legs getting weaker since Tuesday, today my hands are weak too", "emergency"),
    ("my handwriting has got worse", "urgent"),
    ("I can't open bottles any more", "urgent"),
    ("my calf is thinner than the other one", "urgent"),
    ("I've lost muscle in my hand", "urgent"),
    ("food goes down the wrong way", "urgent"),
    ("water comes back out of my nose", "urgent"),
    ("my dad (70) has fallen three times this month", "urgent"),
    ("my grip is going", "urgent"),
    ("diarrhoea for 5 days and my legs are weak and cramping", "urgent"),
    ("I'm on a statin and my thighs have ached for weeks", "urgent"),
    ("Diagnosed with BFS 2 years ago but now the twitching has spread", "routine"),
]


@pytest.mark.parametrize("text,least", RED_FLAGS)
def test_red_flags_said_plainly_are_heard(text, least):
    result = triage(extract(text))
    assert RANK[result.outcome] >= RANK[least], (result.outcome, extract(text))
    if least == "emergency":
        assert result.level == "emergency"


def test_the_relative_in_passing_does_not_take_the_droop():
    findings = extract("My face suddenly drooped and my mum is driving me to hospital")
    assert findings.subject == "self" and "sign:face_droop" in findings.present


def test_the_review_examples_keep_their_exact_level():
    assert triage(extract("I'm showing signs of weakness in my right hand")).outcome == "ask_onset"
    assert triage(extract("Diagnosed with BFS 2 years ago but now the twitching has spread")).level == "routine"
    assert triage(extract("I sometimes choke when I drink too fast")).level == "urgent"


# False alarms: none of these may raise an emergency, and none more than self-care.
BENIGN = [
    "the left side of my face keeps twitching",
    "a faint twitch in my thigh",
    "my eyelid twitched a number of times this morning",
    "I get sleep paralysis",
    "my whole body jerks when I fall asleep",
    "had a cold since yesterday, feel weak",
    "I stumbled across BFS online",
    "My calf has been twitching since my trip to Spain",
    "got wasted last night and now my eyelid won't stop twitching",
    "I sob every night",
    "the twitches have gradually got weaker",
    "I'm a heavy coffee drinker and my eyelid twitches",
    "I've been on citalopram for 3 years and my eyelid started twitching a few days ago",
]


@pytest.mark.parametrize("text", BENIGN)
def test_red_flag_words_in_unrelated_expressions_are_no_alarm(text):
    result = triage(extract(text))
    assert result.level != "emergency"
    assert result.outcome in ("self_care", "routine"), (result.outcome, [r.rule for r in result.reasons])
    if text != "I sob every night":
        assert result.outcome == "self_care", (result.outcome, [r.rule for r in result.reasons])


def test_choking_on_a_fast_drink_is_at_most_urgent():
    assert triage(extract("I sometimes choke when I drink too fast")).level == "urgent"


def test_a_medicine_taken_for_years_is_not_the_twitching_duration():
    findings = extract("I've been on citalopram for 3 years and my eyelid started twitching a few days ago")
    assert findings.duration_days is not None and findings.duration_days < 14


QUESTIONS = [
    "Will my twitching lead to paralysis?",
    "Could my twitching be a seizure?",
    "Can BFS cause choking?",
    "can twitching cause weakness?",
    "is it normal for muscles to twitch after the gym?",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_about_red_flags_raise_no_emergency(text):
    findings = extract(text)
    assert triage(findings).level == "self_care" and not describes_symptoms(text, findings)
