"""Rasa glue for check-ins: plan one after a result, ask it when due, act on the answer.

A check-in is planned in the database (followup/store.py) for the day the
safety net names (two weeks for twitching that has not settled) or a day the
person picks. When it is due, channels/checkins.py sends `/check_in` into the
conversation on Telegram and Slack; the website's widget sends it when a
remembered visitor comes back. The answer closes it: settled kindly, the same
with the routine advice, worse or new with a fresh symptom check.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.check import start_check
from actions.emergency import latest_findings
from followup import clock
from followup.checkin import ANSWERS, LATEST_DAYS, PUSH_CHANNELS, day_text, due_at, read_answer
from followup.dates import parse_checkin_date
from followup.store import default_store


class ActionPlanCheckin(Action):
    """Plans the check-in: two weeks by default (the button), or the day the person
    names ("in 10 days", "on 9 December"); without a day it asks for one."""

    def name(self) -> Text:
        return "action_plan_checkin"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        today = clock.today()
        day = self._day(tracker, today)
        if day is None:
            dispatcher.utter_message(response="utter_ask_checkin_day")
            return []
        checkin = default_store().plan_checkin(
            tracker.sender_id,
            tracker.get_latest_input_channel() or "unknown",
            due_at(day),
            tracker.get_slot("triage_level"),
            clock.now(),
        )
        how = (
            "I'll send you a message here"
            if checkin.channel in PUSH_CHANNELS
            else "I'll ask you the next time you open this chat"
        )
        dispatcher.utter_message(
            text=f"Done: I'll check in on {day_text(day)}. {how}. Until then, come back any time, "
            "and sooner if anything new appears."
        )
        if not default_store().entries(tracker.sender_id):
            dispatcher.utter_message(response="utter_checkin_diary_hint")
        return []

    @staticmethod
    def _day(tracker: Tracker, today: dt.date) -> Optional[dt.date]:
        days = next(tracker.get_latest_entity_values("checkin_in_days"), None)
        if days is not None:
            try:
                return today + dt.timedelta(days=max(1, min(LATEST_DAYS, int(days))))
            except (TypeError, ValueError):
                pass
        text = (tracker.latest_message or {}).get("text") or ""
        return None if text.startswith("/") else parse_checkin_date(text, today)


class ActionCheckIn(Action):
    """`/check_in`: asks a due check-in (claimed by the scheduler, or claimed here
    for a website visitor), or welcomes a remembered visitor back."""

    def name(self) -> Text:
        return "action_check_in"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        store = default_store()
        person = tracker.sender_id
        checkin = store.open_checkin(person)
        if checkin is not None and checkin.status == "pending":
            claimed = store.claim_due(clock.now(), f"action:{person}", person=person)
            checkin = claimed[0] if claimed else None
        if checkin is None or checkin.status == "pending":
            dispatcher.utter_message(response="utter_welcome_back")
            return []
        store.mark_asked(checkin.id, clock.now())
        dispatcher.utter_message(response="utter_checkin_intro")
        return [SlotSet("checkin_answer", None), FollowupAction("checkin_form")]


# Unclear answers in a row before a follow-up question gives up (the check-in stays open).
MAX_UNCLEAR = 3
UNCLEAR = "unclear"
# Inside the diary's and the check-in's questions, these are never an answer: their rules act.
NEVER_ANSWERS = ("report_emergency", "cancel", "forget_me")
# These are, unless the person asked a question: "about the same" is an answer whatever
# the classifier thought, "can coffee make it worse?" is a question to answer first.
QUESTION_INTENTS = ("faq", "request_doctor", "bot_challenge")
# (components/parts.py has the NLU's own question test; the actions may not import components/.)
QUESTION = re.compile(r"\?\s*$|^\s*(?:what|why|how|can|could|does|do|is|are|should|will|would|when|which)\b", re.I)


def new_signs(present) -> bool:
    """A sign besides the twitching itself (weakness, slurred speech, spreading...): a change."""
    return any(f.startswith("sign:") and f != "sign:twitching" for f in present)


def not_an_answer(message: Dict[Text, Any]) -> bool:
    """Whether a message inside a follow-up form is for the rules, not an answer."""
    intent = (message.get("intent") or {}).get("name")
    if intent in NEVER_ANSWERS:
        return True
    return intent in QUESTION_INTENTS and bool(QUESTION.search(message.get("text") or ""))


class ValidateCheckinForm(Action):
    """Reads the answer to "how is the twitching now?"."""

    def name(self) -> Text:
        return "validate_checkin_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if tracker.get_slot("requested_slot") != "checkin_answer":
            return []
        message = tracker.latest_message or {}
        if not_an_answer(message):
            return []  # the rules answer it (emergency, stop, forget me, a question); the form asks again
        answer = next(tracker.get_latest_entity_values("checkin_answer"), None)
        if answer not in ANSWERS:
            answer = read_answer(message.get("text") or "", new_signs(latest_findings(tracker).present))
        if answer is None:
            # Counted, so the form keeps the turn (a validation that sets nothing is
            # rejected and its reply dropped); after a few, the check-in is left open.
            tries = int(tracker.get_slot("followup_unclear") or 0) + 1
            if tries >= MAX_UNCLEAR:
                return [SlotSet("checkin_answer", UNCLEAR), SlotSet("followup_unclear", 0)]
            dispatcher.utter_message(response="utter_checkin_unclear")
            return [SlotSet("followup_unclear", tries)]
        return [SlotSet("checkin_answer", answer), SlotSet("followup_unclear", 0)]


class ActionCheckinAnswered(Action):
    """Closes the check-in with the answer and does what it calls for."""

    def name(self) -> Text:
        return "action_checkin_answered"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        # The form's answer, or a button pressed after the form had ended.
        answer = tracker.get_slot("checkin_answer") or next(tracker.get_latest_entity_values("checkin_answer"), None)
        events: List[EventType] = [SlotSet("checkin_answer", None)]
        if answer not in ANSWERS:
            dispatcher.utter_message(response="utter_checkin_left_open")
            return events
        default_store().answer_checkin(tracker.sender_id, answer)
        if answer == "settled":
            dispatcher.utter_message(response="utter_checkin_settled")
        elif answer == "same":
            dispatcher.utter_message(response="utter_checkin_same")
        else:
            dispatcher.utter_message(response="utter_checkin_worse")
            events += start_check(dispatcher, tracker, answer_parts=False) + [FollowupAction("symptom_check_form")]
        return events
