"""Rasa glue: thin actions that turn settings and slots into replies and events."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.check import add_to_check
from actions.emergency import advise_on_latest
from actions.other_parts import SETTINGS, answer_openers, answer_questions
from followup.store import default_store


class ActionOfferConsultation(Action):
    """Gives the consultation path; the link is the clinic's, from settings."""

    def name(self) -> Text:
        return "action_offer_consultation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        answer_openers(dispatcher, tracker)
        dispatcher.utter_message(response="utter_offer_consultation", booking_url=SETTINGS.booking_url)
        if tracker.get_slot("triage_level") and not tracker.active_loop.get("name"):
            dispatcher.utter_message(response="utter_offer_report")  # the check's answers, for the doctor
        answer_questions(dispatcher, tracker)
        return add_to_check(dispatcher, tracker)


class ActionForgetConversation(Action):
    """Ends the forget-me confirmation: forgets on yes, keeps everything on no.

    The `Restarted` event after this action is what the tracker store
    (stores/tracker_store.py) takes as the order to delete every stored event of
    the conversation; the diary and check-ins are deleted here. The website widget is told too, so it clears its copy.
    """

    def name(self) -> Text:
        return "action_forget_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        if tracker.get_slot("forget_confirmed") is True:
            # The diary and any planned check-in go with the conversation.
            default_store().forget(tracker.sender_id)
            dispatcher.utter_message(response="utter_forgotten")
            if tracker.get_latest_input_channel() == "socketio":
                # Emitted as bot_uttered {"conversation_deleted": true}.
                dispatcher.utter_message(json_message={"data": {"conversation_deleted": True}})
            return [Restarted()]
        dispatcher.utter_message(response="utter_forget_cancelled")
        return [SlotSet("forget_confirmed", None)]


class ActionHandleEmergency(Action):
    """Sends the emergency advice (or the crisis response) and records the level
    in the same turn.

    Any open form ends here: after emergency advice, more questions would only
    delay the call for help.
    """

    def name(self) -> Text:
        return "action_handle_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        advise_on_latest(dispatcher, tracker)
        return [SlotSet("triage_level", "emergency"), ActiveLoop(None), SlotSet("requested_slot", None)]
