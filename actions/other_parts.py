"""Answers to the other parts of a message ("hi! ... is it ALS?").

The NLU pipeline sets the message's intent to its most important part and lists
the rest in the parse result's `other_parts` (components/message_parts.py). The
action that answers the main part calls `answer_openers` before its answer
("hi!", "thanks!") and `answer_questions` around it, so every part gets its
answer.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import emergency
from actions.settings import load_settings
from clinical.triage import whole_safety_net
from followup.diary import DIARY_REQUESTS

# Before a symptom check, a worried question about the meaning of the symptoms
# ("is it ALS?", "should I worry?") gets one short, honest answer: what the
# check is for. A full FAQ answer would come between the person and the check.
WORRY_TOPICS = {
    "bfs_vs_als",
    "is_it_serious",
    "outlook",
    "health_anxiety",
    "symptoms",
    "diagnosis",
    "what_is_bfs",
    "when_to_see_doctor",
}
# Parts that open a message ("hi!", "thanks!") are answered before the main
# part; questions and requests after it, in the order written.
OPENERS = {"greet": "utter_greet_briefly", "thank": "utter_you_are_welcome_briefly", "bot_challenge": "utter_iamabot"}
# Read once at start-up so a bad setting stops the action server with a clear
# message instead of failing in the middle of a conversation.
SETTINGS = load_settings()


# FAQ answers whose text has a {safety_net} placeholder: the safety net is kept
# once, in the rule table, and filled in here (tests/unit/test_faq_content.py checks the set).
SAFETY_NET_TOPICS = {"faq/when_to_see_doctor"}


def utter_faq(dispatcher: CollectingDispatcher, intent_response_key: str) -> None:
    """Utters `utter_faq/<topic>`, with the safety net filled in where its text asks for it."""
    extra = {"safety_net": whole_safety_net()} if intent_response_key in SAFETY_NET_TOPICS else {}
    dispatcher.utter_message(response=f"utter_{intent_response_key}", **extra)


def other_parts(tracker: Tracker) -> List[Dict[str, Any]]:
    return list((tracker.latest_message or {}).get("other_parts") or [])


def asks_for_report(tracker: Tracker) -> bool:
    """Whether a part of the latest message asked for the report for a doctor."""
    return any(str(part.get("intent")) == "request_report" for part in other_parts(tracker))


def faq_topic(tracker: Tracker) -> Optional[str]:
    """`faq/<topic>` the FAQ selector chose for the latest message, if any."""
    selector = (tracker.latest_message or {}).get("response_selector") or {}
    return ((selector.get("faq") or {}).get("response") or {}).get("intent_response_key")


def answer_openers(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Answers a greeting, thanks or "are you a bot?" among the other parts,
    after what the person must hear first if the emergency advice came just before."""
    emergency.follow_up(dispatcher, tracker)
    for part in other_parts(tracker):
        base = str(part.get("intent") or "").split("/")[0]
        if base in OPENERS:
            dispatcher.utter_message(response=OPENERS[base])


def answer_questions(dispatcher: CollectingDispatcher, tracker: Tracker, before_check: bool = False) -> None:
    """Answers the questions and requests among the other parts.

    `before_check`: the main part is a description and the symptom check
    follows, so a worried question gets the short answer about the check.
    """
    worry_answered = diary_answered = False
    for part in other_parts(tracker):
        intent = str(part.get("intent") or "")
        base, _, topic = intent.partition("/")
        if base in DIARY_REQUESTS:
            if not diary_answered:  # one pointer however many diary requests
                dispatcher.utter_message(response="utter_diary_alongside")
                diary_answered = True
        elif base == "request_report":
            if before_check:  # the report follows the check's result (start_check remembers it)
                dispatcher.utter_message(response="utter_report_after_check")
        elif base == "request_doctor":
            dispatcher.utter_message(response="utter_offer_consultation", booking_url=SETTINGS.booking_url)
        elif base == "question" and before_check and not worry_answered:
            dispatcher.utter_message(response="utter_check_answers_worry")
            worry_answered = True
        elif base == "faq" and topic:
            if before_check and topic in WORRY_TOPICS:
                if not worry_answered:
                    dispatcher.utter_message(response="utter_check_answers_worry")
                    worry_answered = True
            else:
                utter_faq(dispatcher, intent)
