"""What a report for the doctor says, built from the check and the diary.

Plain Python (no Rasa): the actions pass the check's slots, its merged findings
and the diary; pdf.py lays the report out for a person and fhir.py writes the
same data for a clinic's systems. Nothing here is worded as a diagnosis: the
level is the assistant's triage, the causes are what the person mentioned.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence

from clinical.extractor import Findings
from clinical.interview import QUESTIONS, Answer
from clinical.triage import load_rules, triage
from followup.diary import DiaryEntry

QUESTIONNAIRE_FILE = Path(__file__).with_name("questionnaire.json")
# The check's questions as a doctor reads them, in the order they are asked: the
# texts of the project's FHIR Questionnaire, so the PDF and the FHIR file say the same.
QUESTION_TEXTS: Dict[str, str] = {
    item["linkId"]: item["text"]
    for item in json.loads(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))["item"]
    if item["linkId"] in QUESTIONS
}
# Slot values that mean the question was not asked or not answered: left out of the report.
NOT_ANSWERED = {None, "", Answer.NOT_NEEDED, Answer.SKIPPED}
LEVEL_NAMES = {
    "emergency": "Emergency",
    "urgent": "Urgent: see a doctor today (within 48 hours at most)",
    "routine": "Routine: book an appointment with a doctor",
    "self_care": "Self-care: no warning signs heard",
}
NOT_CHECKED = "No symptom check in this conversation"
NOT_CHECKED_ADVICE = (
    "This report holds the twitch diary only. Ask the assistant for the symptom check to add how soon to see a doctor."
)
NOT_FINISHED = "Symptom check not finished"
NOT_FINISHED_ADVICE = (
    "The check stopped before all its questions were answered, so it gives no level. "
    "What was said so far is below; ask the assistant to finish the check."
)
# Facts that say something is kept, not a sign: "absent" would read as a double negative.
KEPT_SIGNS = {"sign:normal_function"}
# How many diary days the report's table shows (the newest).
DIARY_ROWS = 14
NOT_A_DIAGNOSIS = (
    "This report was written by a chat assistant from what the person told it. It is not a "
    "diagnosis and not a medical examination. The triage level says how soon to see a doctor."
)
SOURCES = [
    "Triage policy of the muscle-twitching assistant, based on NICE NG42 (motor neurone disease: "
    "recognition and referral), NHS guidance, MHRA Drug Safety Updates 2012 and 2019.",
    "Blexrud MD, Windebank AJ, Daube JR. Long-term follow-up of 121 patients with benign "
    "fasciculations. Ann Neurol 1993.",
    "Filippakis A et al. A prospective study of benign fasciculation syndrome. Muscle Nerve 2018.",
    "de Carvalho M, Kiernan MC, Swash M. Fasciculation in amyotrophic lateral sclerosis: origin "
    "and pathophysiological relevance. JNNP 2017.",
    '"Benign fasciculation syndrome, how to stop muscle twitching", Your Doctors Online, '
    "medically reviewed by Dr. Mandy Liedeman.",
]


@dataclass(frozen=True)
class QuestionAnswer:
    link_id: str  # the check's slot name, also the Questionnaire item's linkId
    question: str
    answer: str  # as the check recorded it: the person's words or a plain value


@dataclass(frozen=True)
class Heard:
    label: str  # what it is, in plain clinical words
    words: str = ""  # the person's own words, when the assistant kept them


@dataclass
class Report:
    created: dt.datetime  # timezone-aware, UTC
    level: str  # triage level: emergency, urgent, routine, self_care; "" with no check (a diary only)
    level_name: str
    advice: str  # the level's headline and action, as the person was told
    about_someone_else: bool  # told by a relative or friend
    answers: List[QuestionAnswer] = field(default_factory=list)
    reasons: List[Heard] = field(default_factory=list)  # what decided the level
    also: List[Heard] = field(default_factory=list)  # what else a rule heard, at a lower level
    present: List[Heard] = field(default_factory=list)  # findings reported
    denied: List[str] = field(default_factory=list)  # signs the person said are absent
    locations: List[str] = field(default_factory=list)
    duration_days: Optional[float] = None
    onset: str = ""
    medicines: List[Heard] = field(default_factory=list)  # class, and the person's words
    family_history: str = ""  # "yes", "no" or "" when not asked
    age: Optional[int] = None
    causes: List[str] = field(default_factory=list)  # likely contributing causes heard
    safety_net: str = ""
    diary: List[DiaryEntry] = field(default_factory=list)  # the newest DIARY_ROWS days, oldest first
    sources: List[str] = field(default_factory=lambda: list(SOURCES))
    disclaimer: str = NOT_A_DIAGNOSIS

    @property
    def duration_text(self) -> str:
        if self.duration_days is None:
            return ""
        days = self.duration_days
        if days >= 60:
            return f"about {round(days / 30)} months"
        if days >= 14:
            return f"about {round(days / 7)} weeks"
        whole = max(1, round(days))
        return f"about {whole} day" + ("s" if whole != 1 else "")


ONSET_NAMES = {
    "onset:sudden": "sudden (seconds to hours)",
    "onset:days": "over days",
    "onset:gradual": "gradual (weeks to months)",
    "onset:recurrent": "comes and goes",
    "onset:worsening": "getting worse",
    "onset:rapid_spread": "spreading quickly",
    "onset:unknown": "not known",
}


def _label(fact: str, labels: Mapping[str, str]) -> str:
    return labels.get(fact) or fact.split(":", 1)[1].replace("_", " ")


def _heard(reason) -> Heard:
    """A triage reason with the person's words behind it, each once."""
    return Heard(reason.text, ", ".join(dict.fromkeys(reason.evidence)))


def build_report(
    findings: Findings,
    slots: Mapping[str, object],
    diary: Sequence[DiaryEntry] = (),
    created: Optional[dt.datetime] = None,
    finished: bool = True,
) -> Report:
    """The report of one conversation: the check's answers (`slots`, keyed by
    the question), its merged findings, and the person's diary. `finished`: the
    check gave its result; a check left before that gets no level (what was heard
    is listed), as a stopped check asked too little to say "no warning signs"."""
    created = created or dt.datetime.now(dt.timezone.utc)
    table = load_rules()
    labels = table.get("labels", {})
    causes_table = table.get("causes", {})
    result = triage(findings)
    # A diary alone, or a check stopped before its result: no level is made up for it.
    heard = bool(findings.present or findings.absent)
    checked = heard and finished
    level = result.level if checked else ""
    answers = [
        QuestionAnswer(slot, QUESTION_TEXTS[slot], str(slots[slot]))
        for slot in QUESTIONS
        if slots.get(slot) not in NOT_ANSWERED
    ]
    # A stopped check has no deciding reasons: what its rules heard so far is listed as such.
    reasons = [_heard(r) for r in result.deciding_reasons] if checked else []
    also = [_heard(r) for r in result.reasons if not checked or r.level != result.level]
    present = [
        Heard(_label(f, labels), findings.evidence.get(f, ""))
        for f in sorted(findings.present)
        if f.startswith("sign:") and f != "sign:twitching"
    ]
    denied = sorted({_label(f, labels) for f in findings.absent if f.startswith("sign:") and f not in KEPT_SIGNS})
    medicines = [
        Heard(causes_table.get(f, {}).get("name") or _label(f, labels), findings.evidence.get(f, ""))
        for f in sorted(findings.present)
        if f.startswith("med:")
    ]
    # The onset is of a new sign besides the twitching; with none, a stray time word means nothing.
    onset = next((ONSET_NAMES[f] for f in sorted(findings.present) if f in ONSET_NAMES), "") if present else ""
    family = ""
    if "history:family_als" in findings.present:
        family = "yes"
    elif slots.get("family_history") == Answer.NOT_SURE:
        family = "not sure"
    elif "history:family_als" in findings.absent or slots.get("family_history") == Answer.NO:
        family = "no"
    newest = sorted(diary, key=lambda e: e.day)[-DIARY_ROWS:]
    return Report(
        created=created,
        level=level,
        level_name=LEVEL_NAMES[level] if checked else (NOT_FINISHED if heard else NOT_CHECKED),
        advice=f"{result.headline} {result.level_action or result.action}".strip()
        if checked
        else (NOT_FINISHED_ADVICE if heard else NOT_CHECKED_ADVICE),
        about_someone_else=findings.subject == "other",
        answers=answers,
        reasons=reasons,
        also=also,
        present=present,
        denied=denied,
        locations=sorted(f.split(":", 1)[1] for f in findings.present if f.startswith("location:")),
        duration_days=findings.duration_days,
        onset=onset,
        medicines=medicines,
        family_history=family,
        age=findings.age,
        causes=[c["name"] for c in result.causes],
        safety_net=result.safety_net,
        diary=newest,
    )
