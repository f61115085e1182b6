"""What a result, its safety net and the emergency reply say (issue 12, item 8):
every tier says how soon, the emergency tier names every emergency sign of the
policy, and the texts read as easily as the FAQ answers."""
from __future__ import annotations

import pytest

from actions.clinical.extractor import Findings, extract
from actions.clinical.triage import LEVELS, load_rules, triage
from actions.symptom_check import no_warning_signs, result_messages
from test_faq_content import absolute_claims, grade, sentences, undated_referrals, words

TIERS = load_rules()["safety_net"]
# Every emergency of the triage policy, as the emergency tier says it.
POLICY_EMERGENCIES = ["drooping face", "weakness", "numbness", "slurred speech", "even if it passes",
                      "breathing at rest", "choking", "spreading over hours", "fit", "fainting", "chest pain",
                      "new confusion", "antidepressant", "antipsychotic", "party drugs", "pesticide",
                      "stroke or heart attack", "ending your life", "988", "116 123"]


def test_the_emergency_tier_names_every_emergency_of_the_policy():
    missing = [sign for sign in POLICY_EMERGENCIES if sign not in TIERS["emergency"]]
    assert not missing


@pytest.mark.parametrize("tier,how_soon", [("emergency", "emergency number"), ("urgent", "today"),
                                           ("routine", "Book an appointment")])
def test_each_tier_says_how_soon_first(tier, how_soon):
    assert how_soon in TIERS[tier].splitlines()[0]


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_shows_the_tiers_above_it(level):
    net = triage(Findings()).safety_net if level == "self_care" else None
    tiers = load_rules()["safety_net_tiers"][level]
    expected = {"self_care": ["emergency", "urgent", "routine"], "routine": ["emergency", "urgent"],
                "urgent": ["emergency"], "emergency": []}[level]
    assert tiers == expected
    if net is not None:
        assert net.index("emergency number") < net.index("today") < net.index("Book an appointment")


def result_texts():
    cases = ["my calf has twitched for 3 days after the gym", "my eyelid twitches, 3 coffees a day, for a month",
             "I keep dropping cups and my calf twitches", "my face drooped an hour ago",
             "diagnosed with BFS 2 years ago, nothing new, still twitching"]
    for text in cases:
        findings = extract(text)
        yield text, result_messages(triage(findings), findings=findings)


@pytest.mark.parametrize("text,messages", list(result_texts()))
def test_result_texts_read_easily_say_how_soon_and_claim_nothing_absolute(text, messages):
    body = "\n".join(m for m in messages if not m.startswith("A summary you can copy"))
    assert grade(body) <= 8.5, body
    assert max(len(words(s)) for s in sentences(body)) <= 25
    assert not undated_referrals(body)
    assert not absolute_claims(body)


def test_the_result_says_only_what_it_knows_about_time():
    assert no_warning_signs(extract("my calf has twitched for 3 days")).endswith("less than 2 weeks ago.")
    assert no_warning_signs(extract("my calf twitches")).endswith("or feeling.")
    assert "already checked" in no_warning_signs(extract("neurologist said BFS, normal EMG, nothing new"))
    assert "hasn't gone on for long" not in no_warning_signs(extract("my calf has twitched for 2 years"))


def test_second_review_prescribed_stimulants_and_a_cold_are_no_drug_emergency():
    for text in ["I've had a fever and a cough for two days, I take Sudafed, and my eyelid twitches",
                 "I take Adderall and my calf twitches, I feel very restless"]:
        assert triage(extract(text)).level != "emergency", text
    assert triage(extract("took ecstasy at a festival, now jerking, boiling hot and confused")).level == "emergency"


def test_second_review_a_result_waiting_on_the_onset_says_what_it_heard_not_that_nothing_was_heard():
    findings = extract("my left arm feels weak")
    messages = result_messages(triage(findings), findings=findings)
    why = next(m for m in messages if m.startswith("Why:"))
    assert "don't know yet when it started" in why and "weak" in why
    assert "didn't hear any warning sign" not in " ".join(messages)


def test_second_review_the_stimulant_cause_is_named_whole():
    cause = load_rules()["causes"]["med:stimulant"]["name"]
    assert cause == "a stimulant medicine (ADHD medicine or decongestant)"
