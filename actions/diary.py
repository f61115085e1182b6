"""Rasa glue for the twitch diary: log a day, show the diary, delete an entry, export.

The reading of an entry, its observations and its chart live in followup/;
the entries in the database (followup/store.py). Every entry is also screened
by the clinical core like any message: an emergency never reaches these
actions (the NLU pipeline makes it `report_emergency`), and a sign that needs a
doctor soon starts a short re-check after the entry is saved.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.check import add_to_check, in_check, start_check
from actions.checkins import MAX_UNCLEAR, not_an_answer
from actions.emergency import latest_findings
from actions.other_parts import answer_openers, answer_questions
from clinical.triage import triage
from followup import clock
from followup.chart import describe, render_png
from followup.diary import SKIP, DiaryEntry, embedded_entry, parse_answer, parse_entry
from followup.observations import observations, overview
from followup.store import default_store

# The guided log's questions, in order (diary_form); each slot holds the answer as read.
GUIDED = ("diary_rating", "diary_location", "diary_sleep", "diary_caffeine", "diary_stress", "diary_more")
# The DiaryEntry field each guided answer fills (diary_more is read as a whole entry).
GUIDED_FIELDS = {
    "diary_rating": "rating",
    "diary_location": "locations",
    "diary_sleep": "sleep_hours",
    "diary_caffeine": "caffeine",
    "diary_stress": "stress",
}
# Observations need at least 3 rated days on each side of a comparison, so below
# this many days there is no pattern to warn about.
MIN_DAYS_FOR_PATTERNS = 6
# "How do I delete my last entry?" asks how, it does not ask to delete yet.
ASKS_HOW = re.compile(r"^\s*(?:how|where)\s+(?:do|can|could|would|should)\s+i\b", re.I)
# How far back "show my diary" looks.
SHOWN_DAYS = 60
# Levels of a sign in an entry that start a short re-check (an emergency is handled before).
RECHECK_LEVELS = ("urgent",)


def _person(tracker: Tracker) -> str:
    return tracker.sender_id


def _new_signs(findings) -> List[str]:
    """What the clinical core heard in the entry, in the person's words."""
    return [findings.evidence[f] for f in sorted(findings.present) if f in findings.evidence]


def _store(dispatcher: CollectingDispatcher, tracker: Tracker, entry: DiaryEntry, findings) -> None:
    """Stores the entry with what the clinical core heard, and says what was stored."""
    stored, new = default_store().save_entry(_person(tracker), entry, sorted(findings.present), clock.now())
    day = _day_name(stored.day)
    if new:
        dispatcher.utter_message(text=f"Saved in your diary for {day}: {stored.summary()}.")
    else:
        dispatcher.utter_message(text=f"Updated your diary for {day}: {stored.summary()}.")
    if not new or len(stored.filled()) <= 2:
        dispatcher.utter_message(response="utter_diary_how_to")


def save_embedded_entry(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """An answer in the check that carries a diary entry ("none of those. log today:
    eyelid 3/10"): the entry is saved too (the answer's findings are the check's)."""
    tail = embedded_entry((tracker.latest_message or {}).get("text") or "")
    entry = parse_entry(tail, clock.today()) if tail else None
    if entry is not None and entry.filled():
        _store(dispatcher, tracker, entry, latest_findings(tracker))


def save_entry(dispatcher: CollectingDispatcher, tracker: Tracker, entry: DiaryEntry) -> List[EventType]:
    """Stores the entry, says what was stored, and starts a re-check for a sign
    that needs a doctor soon."""
    findings = latest_findings(tracker)
    _store(dispatcher, tracker, entry, findings)
    if in_check(tracker):  # written during the symptom check: what the entry says counts in its result
        return add_to_check(dispatcher, tracker)
    result = triage(findings) if findings.present else None
    if result is not None and result.level in RECHECK_LEVELS:
        heard = ", ".join(f'"{w}"' for w in _new_signs(findings)[:3]) or "a new sign"
        dispatcher.utter_message(
            text=f"You also mentioned {heard}. That is worth a closer look, so let me ask a few quick questions."
        )
        return start_check(dispatcher, tracker, answer_parts=False) + [FollowupAction("symptom_check_form")]
    return []


def _day_name(day: dt.date) -> str:
    today = clock.today()
    if day == today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    return f"{day:%a} {day.day} {day:%b}"


class ActionLogSymptoms(Action):
    """A diary entry in one message ("log today: 6/10 in my calves, 4 coffees"), or
    the guided log when the message says nothing to store ("log my twitching")."""

    def name(self) -> Text:
        return "action_log_symptoms"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        answer_openers(dispatcher, tracker)
        text = (tracker.latest_message or {}).get("text") or ""
        entry = parse_entry("" if text.startswith("/") else text, clock.today())
        if not entry.filled() and in_check(tracker):
            # "can I keep a log of this?" mid-check: how (an entry can be written now; the guided log waits).
            dispatcher.utter_message(response="utter_diary_alongside")
            return add_to_check(dispatcher, tracker)
        if not entry.filled():
            dispatcher.utter_message(response="utter_diary_guided_intro")
            return [SlotSet(slot, None) for slot in GUIDED] + [FollowupAction("diary_form")]
        events = save_entry(dispatcher, tracker, entry)
        answer_questions(dispatcher, tracker)
        return events


class ValidateDiaryForm(Action):
    """Reads each answer of the guided log (buttons, numbers or words; "skip")."""

    def name(self) -> Text:
        return "validate_diary_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if requested not in GUIDED:
            return []
        message = tracker.latest_message or {}
        if not_an_answer(message):
            return []  # the rules handle it and the form asks again
        value = parse_answer(requested.replace("diary_", ""), message.get("text") or "")
        if value is None:
            # Counted, so the form keeps the turn; after a few the question is skipped.
            tries = int(tracker.get_slot("followup_unclear") or 0) + 1
            if tries >= MAX_UNCLEAR:
                return [SlotSet(requested, SKIP), SlotSet("followup_unclear", 0)]
            dispatcher.utter_message(response="utter_diary_unclear")
            return [SlotSet("followup_unclear", tries)]
        return [SlotSet(requested, value), SlotSet("followup_unclear", 0)]


class ActionSaveGuidedEntry(Action):
    """The guided log's answers as today's entry."""

    def name(self) -> Text:
        return "action_save_guided_entry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        answers = {slot: tracker.get_slot(slot) for slot in GUIDED}
        more = answers.pop("diary_more")
        today = clock.today()
        entry = parse_entry(more, today) if more not in (None, SKIP) else DiaryEntry(day=today)
        given = {GUIDED_FIELDS[slot]: value for slot, value in answers.items() if value not in (None, SKIP)}
        if "locations" in given:
            given["locations"] = [given["locations"]]
        # The buttons' answers, then what was added in words on top.
        entry = DiaryEntry(day=entry.day, **given).merged_with(entry)
        events = save_entry(dispatcher, tracker, entry)
        return [SlotSet(slot, None) for slot in GUIDED] + events


class ActionShowDiary(Action):
    """The diary as a chart, its text for screen readers, and what the entries show."""

    def name(self) -> Text:
        return "action_show_diary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        answer_openers(dispatcher, tracker)
        since = clock.today() - dt.timedelta(days=SHOWN_DAYS)
        entries = default_store().entries(_person(tracker), since=since)
        if not entries:
            dispatcher.utter_message(response="utter_diary_empty")
            return add_to_check(dispatcher, tracker)
        dispatcher.utter_message(text=overview(entries))
        if len(entries) >= 2:
            png = render_png(entries)
            dispatcher.utter_message(
                text="Chart: " + describe(entries),
                image="data:image/png;base64," + base64.b64encode(png).decode("ascii"),
            )
        lines = observations(entries)
        dispatcher.utter_message(text="\n".join(f"- {line}" for line in lines))
        if len(entries) >= MIN_DAYS_FOR_PATTERNS:  # patterns are named: they are not causes
            dispatcher.utter_message(response="utter_diary_observations_caveat")
        answer_questions(dispatcher, tracker)
        return add_to_check(dispatcher, tracker)


class ActionDeleteDiaryEntry(Action):
    """Deletes the entry written or changed last, and says which it was."""

    def name(self) -> Text:
        return "action_delete_diary_entry"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if ASKS_HOW.match((tracker.latest_message or {}).get("text") or ""):
            dispatcher.utter_message(response="utter_diary_how_to")
            return add_to_check(dispatcher, tracker)
        deleted = default_store().delete_last_entry(_person(tracker))
        if deleted is None:
            dispatcher.utter_message(response="utter_diary_empty")
        else:
            dispatcher.utter_message(
                text=f"Deleted your diary entry for {_day_name(deleted.day)} ({deleted.summary()})."
            )
        return add_to_check(dispatcher, tracker)


# The file "export my data" sends (channels/attachments.py: a download or a document on every channel).
EXPORT_NAME = "twitch-assistant-my-data.json"


def export_document(tracker: Tracker) -> Dict[str, Any]:
    """Everything kept about the person: the diary, the check-ins, and what this
    conversation holds (its answers and result)."""
    kept = default_store().export(_person(tracker))
    answers = {
        slot: value
        for slot, value in (tracker.slots or {}).items()
        if value not in (None, "", [], {}) and slot not in ("requested_slot", "session_started_metadata")
    }
    return {
        "exported_at": dt.datetime.fromtimestamp(clock.now(), tz=dt.timezone.utc).isoformat(timespec="seconds"),
        "about": "What the muscle-twitching assistant keeps about you: your diary, "
        "planned check-ins and the answers of this conversation.",
        **kept,
        "this_conversation": answers,
    }


class ActionExportMyData(Action):
    """Sends the person their data as a JSON file."""

    def name(self) -> Text:
        return "action_export_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        answer_openers(dispatcher, tracker)
        document = export_document(tracker)
        data = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
        dispatcher.utter_message(
            text=f"Here is a copy of your diary ({len(document['diary'])} entries), your check-ins "
            f"({len(document['checkins'])}) and the answers of this conversation, as a JSON file."
        )
        dispatcher.utter_message(
            json_message={
                "data": {
                    "file": {
                        "name": EXPORT_NAME,
                        "mime_type": "application/json",
                        "data_base64": base64.b64encode(data).decode("ascii"),
                    }
                }
            }
        )
        return add_to_check(dispatcher, tracker)
