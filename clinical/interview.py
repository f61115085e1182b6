"""The symptom-check interview: which question a message answers, and how.

Plain Python so the conversation logic is tested without Rasa; the form
validation action only moves values between slots and these functions.
Red flags come first; questions that cannot change the outcome are skipped
(onset when no red flag was heard, age when the twitching is not widespread).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from clinical.clauses import is_question
from clinical.extractor import Findings

# The check's questions in the order they are asked: the one place for it
# (domain.yml's form lists the same slots in the same order; a test compares).
QUESTIONS = [
    "weakness_or_wasting",
    "speech_breathing_or_numbness",
    "symptom_onset",
    "twitch_location",
    "twitch_duration",
    "twitch_triggers",
    "medicines",
    "family_history",
    "person_age",
]
MAX_UNCLEAR = 2


class Answer:
    """The values the check writes into its slots besides the person's own words
    (the slots are free text; these are what the code compares against)."""

    YES = "yes"
    YES_PREFIX = "yes: "  # followed by what was heard: "yes: drops things"
    NO = "no"
    NONE = "none"  # no trigger, no medicine
    NOT_SURE = "not sure"
    NOT_SUDDEN = "not sudden"
    NOT_NEEDED = "not needed"  # skipped: it cannot change the outcome
    UNKNOWN = "unknown"  # still unclear after MAX_UNCLEAR tries
    SKIPPED = "skipped (emergency)"  # the emergency advice was given; the check ends
    FELT_WEAKNESS_ONLY = "no real weakness: feels weak, strength kept"


# Short names used throughout.
NOT_NEEDED, UNKNOWN = Answer.NOT_NEEDED, Answer.UNKNOWN

WEAKNESS_FACTS = ["sign:weakness_function", "sign:wasting", "sign:weakness", "sign:heaviness"]
FELT_WEAKNESS_FACTS = {"sign:weakness", "sign:heaviness"}
# The answer to the first question when only a feeling of weakness was heard (see felt_weakness_only).
FELT_WEAKNESS_ONLY = Answer.FELT_WEAKNESS_ONLY
OTHER_RED_FLAG_FACTS = [
    "sign:speech_change",
    "sign:swallowing_change",
    "sign:tongue_twitching",
    "sign:breathless",
    "sign:breathing_difficulty",
    "sign:numbness",
    "sign:morning_headache",
    "sign:daytime_sleepiness",
    "sign:cannot_swallow",
    "sign:bulbar_or_breathing",
]
RELEVANT_PREFIX = {
    "weakness_or_wasting": tuple(WEAKNESS_FACTS) + ("sign:normal_function",),
    "speech_breathing_or_numbness": tuple(OTHER_RED_FLAG_FACTS),
    "symptom_onset": ("onset:",),
    "twitch_location": ("location:", "sign:widespread"),
    "twitch_triggers": ("trigger:",),
    "medicines": ("med:",),
    "family_history": ("history:family_als",),
}
EXAMPLES = {
    "weakness_or_wasting": 'You can answer "no", or tell me what you noticed, for example "I keep dropping cups".',
    "speech_breathing_or_numbness": 'Which one was it? For example "my speech is slurred", "I get short of breath", '
    '"my feet tingle", or "none of these".',
    "symptom_onset": 'For example "suddenly, this morning" or "gradually over a few weeks".',
    "twitch_location": 'For example "my left calf", "my eyelid" or "all over".',
    "twitch_duration": 'For example "3 days", "about 2 weeks" or "a few months".',
    "person_age": 'Just the age in years, for example "34".',
}
NO_WORDS = re.compile(
    r"^\s*(no|nope|nah|naw|none|neither|nothing|never|not really|not at all|none of (these|them|those)|"
    r"no medicines?|no meds|nothing like that|n|nobody|no one|noone|not on any|"
    r"i(?:'m| am)? not (?:on|taking) any|i (?:do not|don'?t) (?:take|have) any|"
    r"(?:she|he|they) (?:does not|doesn'?t|do not|don'?t) (?:take|have) any|"
    r"(?:i|she|he|they|we)(?: (?:has|have|had)n'?t| (?:has|have|had) not| never) (?:noticed|seen|felt) "
    r"(?:anything|any)|not that (?:i|she|he|they|we) (?:know|knows|noticed|can tell))\b",
    re.I,
)
YES_WORDS = re.compile(
    r"^\s*(yes|yeah|yea|yep|yup|ya|y|sure|i have|i do|correct|a bit|a little|slightly|kind of|kinda|"
    r"sort of|maybe a bit|i think so|definitely|absolutely|ok|okay)\b",
    re.I,
)
# The onset question's answers (domain.yml buttons send these texts as payloads).
ONSET_CHOICES = [
    ("In the last day", "in the last day"),
    ("Over days", "over days"),
    ("Over weeks or months", "over weeks or months"),
    ("Not sure", "not sure"),
]
NOT_SURE = re.compile(r"\b(not sure|don'?t know|dunno|no idea|unsure|idk)\b", re.I)
# A sentence that offers a sign with a doubt ("his shoulder looks a bit thinner maybe?"),
# not one that asks about it ("could this lead to wasting?").
DOUBTFUL_STATEMENT = re.compile(
    r"(?:^|[.!?,;]\s*)(?!(?:could|can|does|do|did|is|are|will|would|what|why|how|should|might|may|if)\b)"
    r"[^.!?]*\b(?:maybe|perhaps|possibly|probably|a bit|a little|slightly|i think|looks?|seems?|might be)\b",
    re.I,
)
BARE_AGE = re.compile(r"^\s*(\d{1,3})\s*(?:years?|yrs?|y)?\s*\.?\s*$", re.I)
# Intents handed over to their own rules while the check is open (the check
# asks its question again afterwards). Anything else counts as an answer, and an
# answer that says nothing useful is asked again with an example.
YES_NO_QUESTIONS = {
    "weakness_or_wasting",
    "speech_breathing_or_numbness",
    "family_history",
    "medicines",
    "twitch_triggers",
}
# Messages inside the check that the rules answer before the check goes on. The diary's
# requests ("show my diary") are done and the question asked again; a diary entry is
# told apart by the form's glue (actions/symptom_check.py), as a bare number read as
# an entry is an answer.
NON_ANSWER_INTENTS = {
    "faq",
    "cancel",
    "request_doctor",
    "forget_me",
    "bot_challenge",
    "report_emergency",
    "show_diary",
    "export_my_data",
    "delete_diary_entry",
    "request_report",
}


@dataclass
class Turn:
    """What one message changes: slot values, the merged findings, and whether it was unclear."""

    slots: Dict[str, object] = field(default_factory=dict)
    findings: Findings = field(default_factory=Findings)
    unclear: bool = False
    is_answer: bool = True
    corrected: List[str] = field(default_factory=list)


# Findings about the worry itself, not a symptom of the body.
WORRY_SIGNS = {"sign:health_anxiety"}


def describes_symptoms(text: str, findings: Findings) -> bool:
    """Whether the message reports the person's (or a relative's) own symptoms.

    Judged per clause: "my eye keeps twitching, why?" reports twitching and asks;
    "will my twitching lead to paralysis?" only asks, so findings inside a
    question or a hypothetical are not reported (the extractor leaves them out).
    Such a message starts the symptom check even when the classifier took it for
    an FAQ topic or something out of scope.
    """
    if not text or not text.strip():
        return False
    signs = {fact for fact in findings.present if fact.startswith("sign:")} - WORRY_SIGNS
    if signs == {"sign:twitching"}:
        # "I'm obsessing over every twitch", "my anxiety about my twitching":
        # the twitching is what the worry is about; the worry is the message.
        said = findings.evidence.get("sign:twitching", "")
        if said and re.search(
            rf"\b(?:about|over|every|each)\s+(?:(?:my|the|this|these|those|every|each|a)\s+)?" rf"{re.escape(said)}",
            text,
            re.I,
        ):
            return False
    return bool(signs)


def _label(fact: str) -> str:
    return fact.split(":", 1)[1].replace("_", " ")


def _relevant(slot: str, facts) -> List[str]:
    prefixes = RELEVANT_PREFIX.get(slot, ())
    return sorted(f for f in facts if f.startswith(prefixes))


def _yes(findings: Findings, facts: List[str]) -> str:
    return Answer.YES_PREFIX + ", ".join(findings.evidence.get(f, _label(f)) for f in facts)


def felt_weakness_only(findings: Findings) -> bool:
    """A feeling of weakness or heaviness while strength and function are kept ("I feel weak but I
    can still do everything"): common with benign twitching and worth a routine examination (triage
    policy, Routine), but not the real weakness the first question asks about. As in the rule
    table's ask_onset, it brings no onset question."""
    felt = {f for f in WEAKNESS_FACTS if f in findings.present}
    return bool(felt) and felt <= FELT_WEAKNESS_FACTS and "sign:normal_function" in findings.present


def _red_flag(findings: Findings) -> bool:
    return any(f in findings.present for f in OTHER_RED_FLAG_FACTS) or (
        any(f in findings.present for f in WEAKNESS_FACTS) and not felt_weakness_only(findings)
    )


def _weakness_ruled_out(findings: Findings) -> bool:
    """ "No weakness, I can still lift and run fine": the story answers the first
    question. A bare "no weakness" does not: the question asks about what people
    do (dropping things, tripping, buttons, stairs), which a denial of "weakness"
    can miss."""
    return (
        "sign:weakness" in findings.absent
        and "sign:normal_function" in findings.present
        and not any(f in findings.present for f in WEAKNESS_FACTS)
    )


def derived_slots(findings: Findings, slots: Dict[str, object]) -> Dict[str, object]:
    """Slot values the findings already answer, including skipped questions.

    Only empty slots are filled, except a red flag heard after a "no", which
    corrects that answer (and brings back the onset question).
    """
    out: Dict[str, object] = {}
    facts = findings.facts()
    for slot, group in (
        ("weakness_or_wasting", WEAKNESS_FACTS),
        ("speech_breathing_or_numbness", OTHER_RED_FLAG_FACTS),
    ):
        present = [f for f in group if f in findings.present]
        if present and group is WEAKNESS_FACTS and felt_weakness_only(findings):
            if slots.get(slot) in (None, Answer.NO, UNKNOWN):
                out[slot] = FELT_WEAKNESS_ONLY
        elif present and (slots.get(slot) in (None, Answer.NO, UNKNOWN, FELT_WEAKNESS_ONLY)):
            out[slot] = _yes(findings, present)
            if slots.get("symptom_onset") == NOT_NEEDED:
                out["symptom_onset"] = None
        elif (
            slots.get(slot) is None
            and group is OTHER_RED_FLAG_FACTS
            and all(f in findings.absent for f in ("sign:speech_change", "sign:breathless", "sign:numbness"))
        ):
            out[slot] = Answer.NO
        elif slots.get(slot) is None and group is WEAKNESS_FACTS and _weakness_ruled_out(findings):
            out[slot] = Answer.NO
    merged = {**slots, **out}
    onset = _relevant("symptom_onset", findings.present)
    if merged.get("symptom_onset") is None:
        if onset:
            out["symptom_onset"] = ", ".join(_label(f) for f in onset)
        elif (
            merged.get("weakness_or_wasting") is not None
            and merged.get("speech_breathing_or_numbness") is not None
            and not _red_flag(findings)
        ):
            out["symptom_onset"] = NOT_NEEDED
    locations = _relevant("twitch_location", facts)
    if merged.get("twitch_location") is None and locations:
        out["twitch_location"] = ", ".join(_label(f) for f in locations)
    if merged.get("twitch_duration") is None and findings.duration_days is not None:
        out["twitch_duration"] = f"{findings.duration_days:g} days"
    triggers = _relevant("twitch_triggers", findings.present)
    if merged.get("twitch_triggers") is None and triggers:
        out["twitch_triggers"] = ", ".join(_label(f) for f in triggers)
    medicines = _relevant("medicines", findings.present)
    if merged.get("medicines") is None and medicines:
        out["medicines"] = ", ".join(findings.evidence.get(f, _label(f)) for f in medicines)
    if merged.get("family_history") is None and "history:family_als" in findings.present:
        out["family_history"] = Answer.YES
    if merged.get("person_age") is None:
        if findings.age is not None:
            out["person_age"] = str(findings.age)
        elif merged.get("twitch_location") is not None and "sign:widespread" not in facts:
            out["person_age"] = NOT_NEEDED
    return out


def _yes_no(text: str, intent: Optional[str]) -> Tuple[bool, bool]:
    """Whether a message says yes, and whether it says no (by intent or by its first words)."""
    return intent == "affirm" or bool(YES_WORDS.match(text)), intent == "deny" or bool(NO_WORDS.match(text))


def _answer(slot: str, text: str, intent: Optional[str], said: Findings, findings: Findings) -> Optional[object]:
    """The value a message gives the question `slot`, or None when it is unclear."""
    relevant = _relevant(slot, said.present | said.absent)
    says_yes, says_no = _yes_no(text, intent)
    if slot in ("weakness_or_wasting", "speech_breathing_or_numbness"):
        present = [f for f in relevant if f in said.present and f != "sign:normal_function"]
        if present and slot == "weakness_or_wasting" and felt_weakness_only(findings):
            return FELT_WEAKNESS_ONLY
        if present:
            return _yes(findings, present)
        if says_no or (relevant and not present):
            return Answer.NO
        if says_yes:
            return Answer.YES
        return None
    if slot == "family_history":
        if NOT_SURE.search(text):
            return Answer.NOT_SURE
        if "history:family_als" in said.present or (says_yes and not says_no):
            return Answer.YES
        return Answer.NO if says_no else None
    if slot == "symptom_onset":
        onset = [f for f in relevant if f in said.present]
        if onset:
            return ", ".join(_label(f) for f in onset)
        if "onset:sudden" in said.absent:
            return Answer.NOT_SUDDEN
        return Answer.NOT_SURE if NOT_SURE.search(text) else None
    if slot == "twitch_location":
        return ", ".join(_label(f) for f in relevant) if relevant else None
    if slot == "twitch_duration":
        return f"{said.duration_days:g} days" if said.duration_days is not None else None
    if slot == "person_age":
        bare = BARE_AGE.match(text)
        age = said.age if said.age is not None else (int(bare.group(1)) if bare else None)
        return str(age) if age is not None and 1 <= age <= 110 else None
    if slot in ("twitch_triggers", "medicines"):
        named = [f for f in relevant if f in said.present]
        if named:
            return ", ".join(findings.evidence.get(f, _label(f)) if slot == "medicines" else _label(f) for f in named)
        if says_no or NOT_SURE.search(text):
            return Answer.NONE
        return text.strip()[:200] or None  # anything else in their words: a supplement, "work is hectic"
    return None


def _specific_answer(slot: str, text: str, said: Findings) -> bool:
    if slot == "twitch_duration":
        return said.duration_days is not None
    if slot == "person_age":
        return said.age is not None or bool(BARE_AGE.match(text))
    return bool(_relevant(slot, said.present | said.absent))


def _affirmed_facts(slot: str, said: Findings) -> Findings:
    """A bare yes/no to a red-flag or family question, as findings."""
    if slot == "weakness_or_wasting":
        said.present.add("sign:weakness_function")
        said.evidence["sign:weakness_function"] = "yes to weakness (dropping things, tripping, buttons or stairs)"
    elif slot == "speech_breathing_or_numbness":
        # Which one is not said: any of them is at least urgent, and the onset is asked next.
        said.present.add("sign:bulbar_or_breathing")
        said.evidence["sign:bulbar_or_breathing"] = "yes to a change in speech, swallowing, breathing or feeling"
    elif slot == "family_history":
        said.present.add("history:family_als")
        said.evidence["history:family_als"] = "ALS in the family"
    return said


def _denied_facts(slot: str, said: Findings) -> Findings:
    denied = {
        "weakness_or_wasting": ["sign:weakness_function", "sign:wasting", "sign:weakness"],
        "speech_breathing_or_numbness": [
            "sign:speech_change",
            "sign:swallowing_change",
            "sign:breathless",
            "sign:numbness",
        ],
        "family_history": ["history:family_als"],
    }.get(slot, [])
    said.absent |= {f for f in denied if f not in said.present}
    return said


def answer_findings(clinical: Optional[Dict[str, Any]], about: Optional[str]) -> Findings:
    """The findings of a message as an answer in a check about `about` ("self" or
    "other"), or on its own when no check is running (`about` None)."""
    clinical = clinical or {}
    if about in ("self", "other") and about in (clinical.get("as_answer") or {}):
        return Findings.from_dict(clinical["as_answer"][about])
    return Findings.from_dict(clinical.get("findings"))


def take_turn(
    requested: Optional[str],
    text: str,
    intent: Optional[str],
    findings_so_far: Findings,
    slots: Dict[str, object],
    said: Findings,
) -> Turn:
    """Interprets one user message inside the symptom check.

    `requested` is the question being asked (None when the check starts with
    this message); `said` is what the message says, as read once by the NLU
    pipeline (answer_findings). Messages that are not answers (an FAQ
    question, "stop", a request for a doctor) change nothing, so the form can
    hand them over.
    """
    text = text or ""
    if requested is None:
        findings = findings_so_far.merge(said)
        return Turn(slots=derived_slots(findings, slots), findings=findings)

    # An FAQ question is answered by the FAQ rule and the form resumes; "stop",
    # "book a doctor" and the like are handed over too, unless the message also
    # answers the question specifically ("3 weeks" misread as a goodbye).
    if intent == "faq" and is_question(text):
        return Turn(findings=findings_so_far, is_answer=False)
    # "no family history of ALS", "no medicines" (the buttons), "not sure, his brother had
    # something neurological" answer their question whatever the classifier made of them.
    plainly_answers = requested in YES_NO_QUESTIONS and (any(_yes_no(text, None)) or bool(NOT_SURE.match(text.strip())))
    if intent in NON_ANSWER_INTENTS and not plainly_answers and not _specific_answer(requested, text, said):
        return Turn(findings=findings_so_far, is_answer=False)

    says_yes, says_no = _yes_no(text, intent)
    hedged = _relevant(requested, said.asked) if DOUBTFUL_STATEMENT.search(text) else []
    if (says_yes or says_no) and hedged:
        # "no. although his shoulder looks a bit thinner maybe?": a sign the question asks
        # about, offered with a doubt inside the answer, is reported, never denied by the "no".
        said = Findings(**{**said.__dict__, "present": said.present | set(hedged), "asked": said.asked - set(hedged)})
    if says_yes and not _relevant(requested, said.present):
        said = _affirmed_facts(requested, said)
    elif says_no and not _relevant(requested, said.present):
        said = _denied_facts(requested, said)
    findings = findings_so_far.merge(said)
    value = _answer(requested, text, intent, said, findings)

    turn = Turn(findings=findings)
    updates = derived_slots(findings, {**slots, requested: value} if value is not None else slots)
    turn.corrected = [s for s, v in updates.items() if s != requested and slots.get(s) not in (None, v)]
    if value is None:
        turn.unclear = True
    else:
        updates[requested] = value
    turn.slots = updates
    return turn
