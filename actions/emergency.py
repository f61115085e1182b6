"""The emergency advice, said the same way wherever an emergency is heard.

The crisis response comes first and alone when the person said they do not
want to live (triage policy: warm, crisis lines, the emergency number). Any
other emergency gets the advice and then what was heard, in the person's own
words, so that a misunderstanding ("a faint twitch") can be corrected.
"""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clinical.extractor import Findings
from actions.clinical.triage import TriageResult, emergency_echo, triage


def latest_findings(tracker: Tracker) -> Findings:
    """The findings of the latest message, as the NLU pipeline read them."""
    clinical = (tracker.latest_message or {}).get("clinical") or {}
    return Findings.from_dict(clinical.get("findings"))


def advise(dispatcher: CollectingDispatcher, result: Optional[TriageResult]) -> None:
    if result is not None and result.crisis:
        dispatcher.utter_message(text=result.action)
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
