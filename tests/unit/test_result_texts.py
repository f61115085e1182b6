"""What a result, its safety net and the emergency reply say (issue 12, item 8):
every tier says how soon, the emergency tier names every emergency sign of the
policy, and the texts read as easily as the FAQ answers."""

from __future__ import annotations

import pytest
from test_faq_content import absolute_claims, grade, sentences, undated_referrals, words

from actions.symptom_check import no_warning_signs, result_messages
from clinical.extractor import Findings, extract
from clinical.triage import LEVELS, load_rules, triage

TIERS = load_rules()["safety_net"]
# Every emergency of the triage policy, as the emergency tier says it.
POLICY_EMERGENCIES = [
    "drooping face",
    "weakness",
    "numbness",
    "slurred speech",
    "even if it passes",
    "breathing at rest",
    "choking",
    "spreading over hours",
    "fit",
    "fainting",
    "chest pain",
    "new confusion",
    "antidepressant",
    "antipsychotic",
    "party drugs",
    "pesticide",
    "stroke or heart attack",
    "ending your life",
    "988",
    "116 123",
]


def test_the_emergency_tier_names_every_emergency_of_the_policy():
    missing = [sign for sign in POLICY_EMERGENCIES if sign not in TIERS["emergency"]]
    assert not missing


@pytest.mark.parametrize(
    "tier,how_soon", [("emergency", "emergency number"), ("urgent", "today"), ("routine", "Book an appointment")]
)
def test_each_tier_says_how_soon_first(tier, how_soon):
    assert how_soon in TIERS[tier].splitlines()[0]


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_shows_the_tiers_above_it(level):
    net = triage(Findings()).safety_net if level == "self_care" else None
    tiers = load_rules()["safety_net_tiers"][level]
    expected = {
        "self_care": ["emergency", "urgent", "routine"],
        "routine": ["emergency", "urgent"],
        "urgent": ["emergency"],
        "emergency": [],
    }[level]
    assert tiers == expected
    if net is not None:
        assert net.index("emergency number") < net.index("today") < net.index("Book an appointment")


def result_texts():
    cases = [
        "my calf has twitched for 3 days after the gym",
        "my eyelid twitches, 3 coffees a day, for a month",
        "I keep dropping cups and my calf twitches",
        "my face drooped an hour ago",
        "diagnosed with BFS 2 years ago, nothing new, still twitching",
    ]
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
    for text in [
        "I've had a fever and a cough for two days, I take Sudafed, and my eyelid twitches",
        "I take Adderall and my calf twitches, I feel very restless",
    ]:
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


# --- The second neurologist review ("good, but could be better") -------------------------
# Each test below failed on the text that review read.

import re  # noqa: E402

from support import ROOT, load_yaml  # noqa: E402

RESPONSES = load_yaml(ROOT / "domain.yml")["responses"]


def response_text(name: str) -> str:
    return " ".join(RESPONSES[name][0]["text"].split())


def test_review2_2_the_breathing_question_tells_rest_from_lying_flat_or_effort():
    """Breathless at rest is an emergency; lying flat or on effort is urgent (triage policy)."""
    from support import check_turn

    from clinical.interview import QUESTIONS

    question = RESPONSES["utter_ask_symptom_check_form_speech_breathing_or_numbness"][0]
    assert re.search(r"at rest", question["text"]) and re.search(r"lie flat|lying flat", question["text"])
    levels = {}
    for button in question["buttons"]:
        turn = check_turn(
            "speech_breathing_or_numbness",
            button["payload"],
            "describe_symptoms",
            Findings(),
            {q: None for q in QUESTIONS},
        )
        levels[button["title"]] = triage(turn.findings).level
    at_rest = [t for t in levels if re.search(r"breath", t, re.I) and re.search(r"\brest\b", t, re.I)]
    flat_or_effort = [t for t in levels if re.search(r"breath", t, re.I) and re.search(r"flat|effort|exert", t, re.I)]
    assert len(at_rest) == 1 and levels[at_rest[0]] == "emergency", levels
    assert len(flat_or_effort) == 1 and levels[flat_or_effort[0]] == "urgent", levels


# Jargon in a rule's reason, and the plain words that must explain it in the same reason.
GLOSSES = {
    r"\bTIA\b": r"mini-stroke",
    r"Guillain-Barre": r"immune system attacks the nerves",
    r"serotonin": r"brain chemical",
    r"rhabdomyolysis": r"damaged muscle",
    r"myopathy": r"muscle damage",
    r"neuroleptic malignant": r"dangerous reaction",
    r"delirium": r"confused state",
    r"fluoroquinolone": r"ciprofloxacin",
    # Third review, item J: "palpitations" is glossed wherever it is used. ("autoimmune" left the
    # reasons with item J too: the known-condition reason also covers diabetes, which is not one.)
    r"palpitations": r"racing or pounding heart",
}


def test_review2_3_every_medical_word_in_a_reason_is_glossed():
    rules = load_rules()["rules"]
    assert not [r["id"] for r in rules if re.search(r"serotonergic", r["reason"], re.I)]
    seen = set()
    for rule in rules:
        for term, gloss in GLOSSES.items():
            if re.search(term, rule["reason"], re.I):
                seen.add(term)
                assert re.search(gloss, rule["reason"], re.I), (rule["id"], term)
    assert seen == set(GLOSSES)  # every term is still used somewhere, so the check means something


def test_review2_7_the_worried_question_gets_a_warm_opening_first():
    text = response_text("utter_check_answers_worry")
    first = sentences(text + "\nSource: x")[0]
    assert re.search(r"worr|understand|makes sense|sorry|scary|frightening", first, re.I), first
    assert not re.search(r"can'?t|cannot", first, re.I), first
    assert text.index("I can't tell you what is causing it") > len(first)
    assert re.search(r"how soon to see someone", text)


def test_review2_8_help_coming_also_tells_the_patient_what_to_do():
    text = response_text("utter_emergency_help_coming")
    yours = text[text.index("If it's you") : text.index("If it's someone else")]
    for step in (r"unlock the door", r"sit or lie down", r"don't eat or drink"):
        assert re.search(step, yours, re.I), step
    theirs = text[text.index("If it's someone else") :]
    assert re.search(r"stay with them", theirs) and re.search(r"nothing to eat or drink", theirs)
    assert re.search(r"call handler", text) and re.search(r"worse", text)


@pytest.mark.parametrize(
    "name",
    [
        "utter_check_answers_worry",
        "utter_emergency_help_coming",
        "utter_ask_symptom_check_form_weakness_or_wasting",
        "utter_ask_symptom_check_form_speech_breathing_or_numbness",
    ],
)
def test_review2_the_rewritten_replies_read_easily(name):
    text = response_text(name)
    assert grade(text + "\nSource: x") <= 8, name
    assert max(len(words(s)) for s in sentences(text + "\nSource: x")) <= 25


def test_review2_9_likely_contributing_is_a_short_list_with_one_line_of_advice_each():
    findings = extract("my eyelid twitches, 3 coffees a day, I'm stressed and not sleeping")
    messages = result_messages(triage(findings), findings=findings)
    line = next(m for m in messages if m.startswith("Likely contributing"))
    first, *rest = line.split("\n")
    assert first == "Likely contributing: caffeine, stress or anxiety, and too little sleep."
    advice = [r for r in rest if r.startswith("- ")]
    assert [a.split(":")[0] for a in advice] == ["- Caffeine", "- Stress or anxiety", "- Too little sleep"]
    assert ";" not in line and all(a.endswith(".") for a in advice)
    assert max(len(words(s)) for s in sentences(line + "\nSource: x")) <= 25
    # One cause: one line.
    findings = extract("my calf twitches, I drink lots of coffee")
    line = next(m for m in result_messages(triage(findings), findings=findings) if m.startswith("Likely"))
    assert "\n" not in line and line.startswith("Likely contributing: caffeine. ")


def test_review2_4_10_every_cause_says_how_soon_and_never_to_stop_alone():
    """Each cause's advice that sends the person to someone says how soon; medicines are not to be
    stopped on one's own (the fluoroquinolone's MHRA advice excepted)."""
    causes = load_rules()["causes"]
    for fact, cause in causes.items():
        assert not undated_referrals(cause["advice"] + ".\nSource: x"), fact
        assert ";" not in cause["advice"], fact
    for fact in ("med:ssri_snri", "med:lithium", "med:antipsychotic", "med:corticosteroid"):
        assert re.search(r"don't stop", causes[fact]["advice"], re.I), fact
    # The statin is stopped only with dark urine or severe pain (third review, item C).
    assert re.search(r"keep taking it and see your doctor today", causes["med:statin"]["advice"])


def test_review2_4_lithium_advice_names_the_signs_of_too_much_lithium():
    advice = load_rules()["causes"]["med:lithium"]["advice"]
    parts = sentences(advice + ".\nSource: x")
    today = " ".join(s for s in parts if re.search(r"\btoday\b", s))
    now = " ".join(s for s in parts if re.search(r"emergency number now", s))
    for sign in (r"vomiting", r"diarrhoea", r"unstead"):
        assert re.search(sign, today, re.I), sign
    assert re.search(r"confusion", now, re.I)
    assert re.search(r"don't stop lithium on your own", advice) and re.search(r"blood test", advice)


def test_review2_10_statin_advice_is_the_same_everywhere():
    """Third review, item C: with dark urine or severe muscle pain, stop the statin and see a doctor
    today; with milder aches, keep taking it and see them today. The same words in the cause's advice
    and the FAQ; the safety net's line says when to stop it too."""
    from test_faq_content import ANSWERS

    stop = "with dark urine or severe muscle pain, stop the statin and see a doctor today (within 48 hours at most)"
    keep = "For milder aches, cramps or weakness, keep taking it and see your doctor today"
    advice = load_rules()["causes"]["med:statin"]["advice"]
    faq = " ".join(ANSWERS["medications"].split())
    for text in (advice, faq):
        assert re.search(re.escape(stop), text, re.I) and keep in text, text
        assert not re.search(r"don't stop it before you talk to the prescriber", text, re.I)
    net = next(line for line in TIERS["urgent"].split("\n") if "statin" in line)
    for sign in (r"pain", r"cramps", r"weakness", r"dark urine"):
        assert re.search(sign, net), sign
    assert "\n- dark urine or severe pain on a statin: stop it\n" in TIERS["urgent"]
    assert TIERS["urgent"].startswith("See a doctor today (within 48 hours at most)")


def test_review2_11_an_assessed_person_is_not_told_to_book_what_they_already_had():
    """Already assessed as benign, nothing new: self-care, and the safety net asks only about what
    is new or changed (no "twitching over 2 weeks: book an appointment")."""
    findings = extract("neurologist said BFS, normal EMG, nothing new")
    result = triage(findings)
    assert result.level == "self_care"
    assert "over 2 weeks" not in result.safety_net and "50 or older" not in result.safety_net
    routine = result.safety_net.split("\n\n")[-1]
    assert routine.startswith("Book an appointment") and re.search(r"\bnew\b", routine.split("\n")[0])
    assert re.search(r"twitching in new places|spreads", routine) and "numbness" in routine
    assert TIERS["emergency"] in result.safety_net and TIERS["urgent"] in result.safety_net
    # Anyone not yet assessed still hears about twitching that lasts over 2 weeks.
    assert "over 2 weeks" in triage(extract("my calf has twitched for 3 days")).safety_net
    # Something new after the assessment is judged as usual.
    assert triage(extract("neurologist said BFS, normal EMG, but now I keep dropping things")).level == "urgent"


# --- The third neurologist review --------------------------------------------------------
# Each test below failed on the text or behaviour that review read. Items D, E and the FAQ
# side of I are in test_faq_content.py; the emergency action of item A is in test_answers.py.


def messages_for(text: str) -> list:
    findings = extract(text)
    return result_messages(triage(findings), findings=findings)


def test_review3_A_the_crisis_response_comes_first_then_the_other_emergency():
    """Thoughts of dying with a sudden face droop: the warm crisis response first, then the
    emergency advice; thoughts of dying alone: no cold "This could be an emergency." first."""
    both = messages_for("My face drooped suddenly an hour ago and I want to die")
    assert both[0].startswith("I'm really sorry") and "988" in both[0] and "116 123" in both[0]
    assert both[1].startswith("This could be an emergency.") and "emergency number now" in both[1]
    assert "face drooped" in next(m for m in both if m.startswith("Why:"))
    alone = messages_for("I want to die, this twitching is ruining me")
    assert alone[0].startswith("I'm really sorry")
    assert not any(m.startswith("This could be an emergency") for m in alone)


def test_review3_A_the_echo_after_the_crisis_response_names_the_other_emergency_only():
    from clinical.triage import emergency_echo

    echo = emergency_echo(triage(extract("My face drooped suddenly an hour ago and I want to die")))
    assert "face drooped" in echo and "want to die" not in echo
    assert emergency_echo(triage(extract("I want to die, this twitching is ruining me"))) == ""


def contributing_line(text: str) -> str:
    return next(m for m in messages_for(text) if m.startswith("Likely contributing"))


SLOW_ADVICE = (r"coming days or weeks", r"rest and fluids help", r"ask me how to manage stress", r"cut down")


def test_review3_B_at_urgent_or_emergency_the_causes_are_for_the_doctor_not_slow_advice():
    for text, level in (
        ("I keep dropping cups, I'm stressed and I just had a virus", "urgent"),
        ("I started tramadol last week and now I'm jerking with a fever and confused", "emergency"),
    ):
        assert triage(extract(text)).level == level, text
        line = contributing_line(text)
        assert "Tell the doctor you see about" in line, line
        for slow in SLOW_ADVICE:
            assert not re.search(slow, line, re.I), (slow, line)
    assert contributing_line("I started tramadol, now jerking with a fever and confused") == (
        "Likely contributing: tramadol (a painkiller). Tell the doctor you see about tramadol (a painkiller)."
    )
    # What must happen today still holds at the urgent level: stop a statin with dark urine.
    statin = contributing_line("I'm on a statin and my legs ache and I keep dropping things")
    assert "Tell the doctor you see about a statin" in statin and "stop the statin" in statin
    # Self-care and routine keep the full advice.
    assert "cut down on coffee" in contributing_line("my calf has twitched for 3 days, I drink lots of coffee")
    routine = "I have diabetes and my calf twitches, I drink lots of coffee"
    assert triage(extract(routine)).level == "routine" and "cut down on coffee" in contributing_line(routine)


def test_review3_F_an_unknown_onset_says_the_emergency_number_first_and_the_why_agrees():
    messages = messages_for("my left arm feels weak")
    first = messages[0]
    assert re.match(r"If this started within the last day, call the emergency number", first)
    assert first.index("emergency number") < first.index("see a doctor today")
    why = next(m for m in messages if m.startswith("Why:"))
    assert re.search(r"emergency number now if it was in the last day", why), why
    assert "safest to see a doctor today" not in why
    # A speech change is asked about too, and its Why says the same.
    why = next(m for m in messages_for("my speech sounds a bit slurred to me") if m.startswith("Why:"))
    assert "don't know yet when it started" in why and "emergency number now" in why


def test_review3_G_help_coming_says_what_to_do_for_someone_not_responding_or_having_a_fit():
    text = response_text("utter_emergency_help_coming")
    assert re.search(r"not responding but (are )?breathing, lay them on their side", text)
    fit = " ".join(s for s in sentences(text + "\nSource: x") if re.search(r"\bfit\b|hard things", s))
    for step in (r"don't hold them down", r"anything in their mouth", r"hard things away", r"time how long"):
        assert re.search(step, fit), step


def test_review3_H_the_safety_net_names_salt_loss_night_breathing_and_every_serotonin_medicine():
    salts = [line for line in TIERS["urgent"].split("\n") if "vomiting or diarrhoea" in line]
    assert salts and all(w in salts[0] for w in ("weakness", "racing heart", "spasms", "water tablets"))
    assert re.search(r"unusual daytime sleepiness with breathing trouble at night", TIERS["urgent"])
    lines = TIERS["emergency"].split("\n")
    serotonin = next(i for i, line in enumerate(lines) if "tramadol" in line)
    assert re.search(r"fever, confusion or severe agitation", lines[serotonin])
    assert lines[serotonin + 1].startswith("- the same on")
    for medicine in ("antidepressant", "MAOI", "triptan", "linezolid"):
        assert medicine in lines[serotonin] + lines[serotonin + 1], medicine
    # Readable as the person reads them: all three tiers (a self-care result, the FAQ answer), and
    # the two above a routine result. (Each is no harder to read than before this review.)
    for shown in ([TIERS["emergency"], TIERS["urgent"], TIERS["routine"]], [TIERS["emergency"], TIERS["urgent"]]):
        text = "\n\n".join(shown) + "\nSource: x"
        assert grade(text) <= 8 and max(len(words(s)) for s in sentences(text)) <= 25


def test_review3_I_dropping_things_and_breathlessness_are_worded_not_to_over_alarm():
    question = response_text("utter_ask_symptom_check_form_weakness_or_wasting")
    for text in (question, TIERS["urgent"]):
        assert re.search(r"dropping things or tripping that is new and keeps happening", text), text
    assert "new breathlessness on light effort" in TIERS["urgent"]
    assert not re.search(r"(?<!light )effort", TIERS["urgent"])


def test_review3_J_the_serotonin_why_names_the_medicine_once():
    for text, medicine in (
        ("I started tramadol last week and now I'm jerking with a fever and confused", "tramadol"),
        ("I started sertraline last week and now I'm twitching with a fever and confused", "sertraline"),
    ):
        why = next(m for m in messages_for(text) if m.startswith("Why:"))
        assert why.lower().count(medicine) == 1, why
    for rule in load_rules()["rules"]:
        if re.search(r"serotonin", rule["reason"]):
            assert not re.search(r"antidepressant|tramadol|triptan", rule["reason"]), rule["id"]


def test_review3_J_the_stroke_reason_has_no_brackets_inside_the_why_brackets():
    reason = next(r["reason"] for r in load_rules()["rules"] if r["id"] == "stroke_or_tia")
    assert "(" not in reason and "mini-stroke" in reason and "TIA" in reason
    why = next(m for m in messages_for("my face drooped an hour ago") if m.startswith("Why:"))
    depth = deepest = 0
    for char in why:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    assert deepest == 1, why


def test_review3_J_diabetes_is_not_called_an_autoimmune_condition():
    result = triage(extract("I have diabetes and my calf twitches"))
    assert [r for r in result.reasons if r.rule == "known_condition_with_new_symptoms"]
    assert not [r.rule for r in result.reasons if re.search(r"autoimmune", r.text, re.I)]
    for fact, cause in load_rules()["causes"].items():
        assert not re.search(r"autoimmune", cause["name"] + cause["advice"], re.I), fact


def owned_texts() -> dict:
    """Every text the person reads: the replies, the FAQ answers (without their source line), and
    the rule table's levels, reasons, causes, safety net and instructions."""
    from test_faq_content import ANSWERS, prose

    rules = load_rules()
    texts = {name: response_text(name) for name in RESPONSES}
    texts.update({f"faq/{topic}": prose(text) for topic, text in ANSWERS.items()})
    texts.update({f"level/{name}": spec["headline"] + " " + spec["action"] for name, spec in rules["levels"].items()})
    texts.update({f"reason/{rule['id']}": rule["reason"] for rule in rules["rules"]})
    texts.update({f"cause/{fact}": c["name"] + ". " + c["advice"] for fact, c in rules["causes"].items()})
    texts.update({f"safety_net/{tier}": text for tier, text in rules["safety_net"].items()})
    for key in ("crisis_response", "happening_now"):
        texts[key] = rules[key]
    texts["ask_onset"] = rules["ask_onset"]["instruction"]
    return {name: " ".join(text.split()) for name, text in texts.items()}


def test_review3_J_palpitations_are_glossed_and_als_mnd_has_one_wording_everywhere():
    for name, text in owned_texts().items():
        for m in re.finditer(r"palpitations", text, re.I):
            assert re.match(r" \(a racing or pounding heart\)", text[m.end() :]), name
        for m in re.finditer(r"motor neurone disease", text, re.I):
            assert text[m.end() :].startswith(" (MND, which includes ALS)"), name
        assert not re.search(r"ALS,? \(?(also called|motor neuron)|also called motor neuron", text), name


def test_review3_K_every_call_to_the_emergency_number_says_now():
    for name in RESPONSES:
        for sentence in sentences(response_text(name) + "\nSource: x"):
            if re.search(r"\bcall\b[^.]*emergency number", sentence, re.I):
                assert re.search(r"emergency number[^.]{0,40}\bnow\b", sentence), (name, sentence)


@pytest.mark.parametrize("name", ["utter_goodbye", "utter_emergency_corrected"])
def test_review3_the_rewritten_replies_read_easily(name):
    text = response_text(name)
    assert grade(text + "\nSource: x") <= 8, name
    assert max(len(words(s)) for s in sentences(text + "\nSource: x")) <= 25


# --- The sign-off review (fourth): each test failed on the code it read.


def test_review4_a_crisis_does_not_hide_a_weakness_of_unknown_onset():
    findings = extract("My arm feels weak and I want to die")
    result = triage(findings)
    messages = result_messages(result, findings=findings)
    assert result.crisis and result.ask_onset
    assert messages[0] == result.action  # the crisis response first
    assert messages[1].startswith("If this started within the last day")


def test_review4_a_drooping_eyelid_is_a_droop():
    assert triage(extract("My left eyelid droops since yesterday")).level != "self_care"
    assert "sign:face_droop" in extract("I have a drooping eyelid").present


def test_review4_a_handful_of_pills_swallowed_is_poisoning():
    assert triage(extract("My son swallowed a handful of my sertraline")).level == "emergency"


def test_review4_the_summary_says_twitching_only_when_it_was_reported():
    assert "Twitching" not in triage(extract("I want to die")).summary
    assert "Twitching in: calf" in triage(extract("my calf twitches")).summary


def test_review4_pesticide_advice_is_what_to_do_now():
    rules = load_rules()
    reason = next(r["reason"] for r in rules["rules"] if r["id"] == "pesticide_exposure")
    assert re.search(r"emergency number now", reason)
    assert rules["causes"]["trigger:pesticide"]["advice"].startswith("now:")
    assert "soap and water" in rules["causes"]["trigger:pesticide"]["advice"]
    poisoned = triage(extract("sprayed insecticide in the garden, now twitching, drooling and sweating"))
    assert poisoned.level == "emergency" and "pesticide_exposure" not in [r.rule for r in poisoned.reasons]


def test_review4_a_child_described_by_a_parent_is_someone_else_in_the_summary():
    summary = triage(extract("My 6 year old swallowed some of my tablets")).summary
    assert summary.startswith("Patient described by a relative or friend")


@pytest.mark.parametrize(
    "text",
    [
        "My son swallowed some of my sertraline",
        "my daughter drank bleach",
        "My toddler swallowed some insecticide",
        "My urine is very dark and I'm hardly peeing",
        "After a fall my muscles hurt, my pee is dark and I've barely passed any",
    ],
)
def test_review4_rewordings_of_poisoning_and_little_urine_are_emergencies(text):
    assert triage(extract(text)).level == "emergency"


def test_review4_a_little_boy_is_someone_else():
    assert extract("My little boy's eye twitches").subject == "other"
