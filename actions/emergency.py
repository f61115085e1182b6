"""The emergency advice, said the same way wherever an emergency is heard.

The crisis response comes first when the person said they do not want to live
(triage policy: warm, crisis lines, the emergency number, before anything
else). Any other emergency, alone or after the crisis response ("my face
drooped an hour ago and I want to die"), gets the advice and then what was
heard, in the person's own words, so that a misunderstanding ("a faint twitch")
can be corrected.
"""

from __future__ import annotations

import re
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from clinical.extractor import Findings
from clinical.triage import TriageResult, emergency_echo, triage


def latest_findings(tracker: Tracker) -> Findings:
    """The findings of the latest message, as the NLU pipeline read them."""
    clinical = (tracker.latest_message or {}).get("clinical") or {}
    return Findings.from_dict(clinical.get("findings"))


def advise(dispatcher: CollectingDispatcher, result: Optional[TriageResult]) -> None:
    if result is not None and result.crisis:
        dispatcher.utter_message(text=result.action)
        if result.onset_instruction:  # "my arm feels weak and I want to die": the weakness too
            dispatcher.utter_message(text=result.onset_instruction)
        if not result.other_emergencies:
            return
    dispatcher.utter_message(response="utter_emergency")
    echo = emergency_echo(result) if result is not None else ""
    if echo:
        dispatcher.utter_message(text=echo)
    else:  # the classifier heard an emergency the clinical core did not name
        dispatcher.utter_message(response="utter_emergency_misunderstood")


def advise_on_latest(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    findings = latest_findings(tracker)
    advise(dispatcher, triage(findings) if findings.present else None)


# After the emergency advice: help is on its way, or the person plays it down.
HELP_ON_ITS_WAY = re.compile(
    r"\b(?:called|calling|rang|phoned|dialled|dialed)\b.{0,30}\b(?:911|999|112|ambulance|"
    r"emergency)|\bambulance\b.{0,20}\b(?:coming|on (?:its|the) way|here)\b|"
    r"\b(?:they|paramedics)(?:'re| are) (?:coming|on (?:their|the) way)\b",
    re.I,
)
PLAYED_DOWN = re.compile(
    r"\b(?:went away|gone (?:now|away)|it passed|has passed|better now|fine now|back to normal|"
    r"(?:bother|waste)\b.{0,30}\b(?:ambulance|them|anyone|for nothing)|for nothing|"
    r"can (?:i|we) (?:just )?wait|wait (?:till|until|for|and see)|tomorrow|monday|in the morning|"
    r"(?:does ?n[o']?t|do ?n[o']?t|won'?t) want to go|refuses|not going)\b",
    re.I,
)


def just_advised(tracker: Tracker) -> bool:
    """Whether the assistant's last action before this message was the emergency advice."""
    seen_message = False
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            if seen_message:
                return False
            seen_message = True
        elif seen_message and event.get("event") == "action" and event.get("name") != "action_listen":
            return event.get("name") == "action_handle_emergency"
    return False


def follow_up(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Right after the emergency advice, whatever the person writes first gets
    either what to do while help comes or, again, to call now: waiting, "it
    passed" or a question must not end the emergency (a TIA passes too)."""
    if not just_advised(tracker):
        return False
    text = (tracker.latest_message or {}).get("text") or ""
    dispatcher.utter_message(
        response="utter_emergency_help_coming" if HELP_ON_ITS_WAY.search(text) else "utter_emergency_reminder"
    )
    return True


def plays_it_down(tracker: Tracker) -> bool:
    return bool(PLAYED_DOWN.search((tracker.latest_message or {}).get("text") or ""))
