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
    }
    events = [SlotSet(slot, value) for slot, value in cleared.items() if tracker.get_slot(slot) not in (None, value)]
    if answer_parts and asks_for_report(tracker):  # "... can I get a pdf for my GP?": with the result
        events.append(SlotSet(REPORT_REQUESTED, True))
    return events


def in_check(tracker: Tracker) -> bool:
    return tracker.active_loop.get("name") == "symptom_check_form"


def add_to_check(tracker: Tracker) -> List[EventType]:
    """What a message handed over mid-check (a diary entry) said, added to the check's
    findings, so a sign in it counts in the result. A subject the check has settled
    (someone else's symptoms) stays the check's."""
    so_far = Findings.from_dict(tracker.get_slot(FINDINGS_SLOT))
    said = answer_findings((tracker.latest_message or {}).get("clinical"), so_far.subject)
    if not said.present and not said.absent:
        return []
    merged = so_far.merge(said)
    # What it answers is not asked again ("I can still do everything ... diary: calf 6/10").
    answered = derived_slots(merged, {slot: tracker.get_slot(slot) for slot in QUESTIONS})
    return [SlotSet(FINDINGS_SLOT, merged.to_dict())] + [SlotSet(slot, value) for slot, value in answered.items()]


def described_symptoms(tracker: Tracker) -> bool:
    """Whether the latest message described symptoms (read once, by the NLU pipeline;
    a button's /intent payload describes nothing)."""
    clinical = (tracker.latest_message or {}).get("clinical") or {}
    return bool(clinical.get("describes_symptoms"))
