"""The symptom check's state, shared by every action that starts it, adds to it or
reads it (the check itself, the diary, the report): one place, so those actions
import it and not each other.
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.other_parts import answer_openers, answer_questions, asks_for_report
from clinical.extractor import Findings
from clinical.interview import QUESTIONS, answer_findings, derived_slots

FINDINGS_SLOT = "clinical_findings"
# Set while the check is open: the report for a doctor follows its result.
REPORT_REQUESTED = "report_requested"


def start_check(dispatcher: CollectingDispatcher, tracker: Tracker, answer_parts: bool = True) -> List[EventType]:
    """Answers the other parts of the message ("hi! ... is it ALS?"), introduces
    the check and clears the last one, so its questions are asked again.

    Only slots that hold something are cleared: every event stays in the
    conversation, and each later prediction walks through all of them."""
    if answer_parts:
        answer_openers(dispatcher, tracker)
        answer_questions(dispatcher, tracker, before_check=True)
    dispatcher.utter_message(response="utter_symptom_check_intro")
    cleared = {
        **{slot: None for slot in QUESTIONS},
        FINDINGS_SLOT: None,
        "unclear_answers": 0,
        "triage_level": None,
        "requested_slot": None,
        REPORT_REQUESTED: False,
    }
    events = [SlotSet(slot, value) for slot, value in cleared.items() if tracker.get_slot(slot) not in (None, value)]
    if answer_parts and asks_for_report(tracker):  # "... can I get a pdf for my GP?": with the result
        events.append(SlotSet(REPORT_REQUESTED, True))
    return events


def in_check(tracker: Tracker) -> bool:
    return tracker.active_loop.get("name") == "symptom_check_form"


def add_to_check(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """What a message handed over mid-check said (a diary entry, "show my diary. also my
    leg got weaker", a question), added to the check's findings: every message is
    screened, so a sign in it counts in the result, and the person hears it was kept.
    A subject the check has settled (someone else's symptoms) stays the check's.
    Outside the check it does nothing."""
    if not in_check(tracker):
        return []
    so_far = Findings.from_dict(tracker.get_slot(FINDINGS_SLOT))
    read = answer_findings((tracker.latest_message or {}).get("clinical"), so_far.subject)
    # Signs only: a message that is no answer says no time or age for the check
    # ("how has it been this week?" is not a twitching of 4 days).
    signs = {f for f in read.present | read.absent if f.startswith("sign:")}
    said = Findings(
        present=read.present & signs,
        absent=read.absent & signs,
        subject=read.subject,
        evidence={f: w for f, w in read.evidence.items() if f in signs},
    )
    if not said.present and not said.absent:
        return []
    merged = so_far.merge(said)
    new_signs = [f for f in sorted(said.present - so_far.present) if f != "sign:twitching"]
    if new_signs:
        heard = ", ".join(f'"{said.evidence[f]}"' for f in new_signs if f in said.evidence) or "a new sign"
        dispatcher.utter_message(text=f"You also mentioned {heard}: I've added that to the questions we're on.")
    # What it answers is not asked again ("I can still do everything ... diary: calf 6/10").
    answered = derived_slots(merged, {slot: tracker.get_slot(slot) for slot in QUESTIONS})
    return [SlotSet(FINDINGS_SLOT, merged.to_dict())] + [SlotSet(slot, value) for slot, value in answered.items()]


def described_symptoms(tracker: Tracker) -> bool:
    """Whether the latest message described symptoms (read once, by the NLU pipeline;
    a button's /intent payload describes nothing)."""
    clinical = (tracker.latest_message or {}).get("clinical") or {}
    return bool(clinical.get("describes_symptoms"))
