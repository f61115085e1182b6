"""Rasa glue for messages with several parts (components/parts.py has the rules).

Two components frame the NLU pipeline in config.yml:

- `MessagePartSplitter`, first: adds each part of a message ("hi!", "my calf
  has twitched for 3 weeks", "is it ALS?") to the batch as a message of its own,
  so the tokenizer, featurizers, DIET and the FAQ selector that follow classify
  every part exactly as they classify a whole message (every Rasa component
  processes a list of messages). A message of one part adds nothing.
- `MainIntentSelector`, last: takes the parts out of the batch again, and sets
  the message's `intent` to its most important reading in the contract's order,
  from the whole message, its parts, and the clinical findings (an emergency
  finding makes it `report_emergency`; a described symptom `describe_symptoms`).
  The other parts to answer go to the parse result's `other_parts`.

Both are registered as intent classifiers so that they run at prediction time
only (a non-trainable classifier is not part of the training graph).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components import parts as message_parts
from components.clinical_findings import FINDINGS_PROPERTY
from components.parts import PART_KEY
from followup.diary import is_diary_request

# Set on a whole message: its parts (Message objects, removed again before the
# parse result is built).
PARTS_KEY = "message_parts"
OTHER_PARTS = "other_parts"
FAQ = "faq"
# A part's reading counts when the classifier is this sure of it (the whole
# message's reading has already passed the FallbackClassifier).
PART_THRESHOLD = 0.8
# The FAQ selector's confidence is spread over 24 topics: a question part's
# topic counts from here (measured on the long held-out set's questions).
TOPIC_THRESHOLD = 0.5
# Below this, even a confident `faq` is no question the FAQ can answer: on the
# held-out sets every right topic scored 0.22 or more, and markup scored 0.12.
FAQ_TOPIC_MIN = 0.2
FALLBACK = "nlu_fallback"


def is_part(message: Message) -> bool:
    return message.get(PART_KEY) is not None


def faq_topic(message: Message) -> Optional[str]:
    """`faq/<topic>` chosen by the FAQ selector for this message, if any."""
    selected = (message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get(FAQ, {}).get("response", {})
    return selected.get("intent_response_key")


def question_topic(message: Message) -> tuple:
    """(`faq/<topic>`, confidence) the FAQ selector gave a message or part, or (None, 0)."""
    selected = (message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get(FAQ, {}).get("response", {})
    if not selected.get("intent_response_key"):
        return None, 0.0
    return selected["intent_response_key"], float(selected.get("confidence") or 0.0)


def reading(message: Message) -> tuple:
    """(label, confidence): the intent, or `faq/<topic>` when it is an FAQ."""
    intent = message.get(INTENT) or {}
    name = intent.get(INTENT_NAME_KEY) or ""
    if name == FAQ:
        name = faq_topic(message) or FAQ
    return name, float(intent.get("confidence") or 0.0)


class _PredictOnly(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "_PredictOnly":
        return cls()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MessagePartSplitter(_PredictOnly):
    """Puts the parts of each message into the batch, right after the message."""

    def process(self, messages: List[Message]) -> List[Message]:
        out: List[Message] = []
        for message in messages:
            out.append(message)
            found = message_parts.split(message.get(TEXT) or "")
            if not found:
                continue
            part_messages = [Message(data={TEXT: p.text, PART_KEY: p}) for p in found]
            message.set(PARTS_KEY, part_messages)
            out.extend(part_messages)
        return out


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class MainIntentSelector(_PredictOnly):
    """Sets each message's intent to its most important part and lists the others."""

    def process(self, messages: List[Message]) -> List[Message]:
        wholes = [m for m in messages if not is_part(m)]
        for message in wholes:
            if (message.get(TEXT) or "").startswith("/"):
                continue  # a button's intent payload says exactly what it is
            self._choose(message, message.data.pop(PARTS_KEY, None) or [])
        return wholes

    def _choose(self, message: Message, part_messages: List[Message]) -> None:
        label, confidence = reading(message)
        if label.startswith(FAQ + "/") and question_topic(message)[1] < FAQ_TOPIC_MIN:
            # "faq" with no topic the selector can stand behind is no question it can answer.
            label = FALLBACK
        whole = message_parts.Candidate(label, confidence, message.get(TEXT) or "", 0)
        parts: List[message_parts.Candidate] = []
        questions: List[message_parts.Candidate] = []  # answered alongside, never the main reading
        for order, part in enumerate(part_messages, start=1):
            part_label, part_confidence = reading(part)
            if part_confidence >= PART_THRESHOLD:
                parts.append(message_parts.Candidate(part_label, part_confidence, part.get(TEXT), order))
            # A question with its FAQ topic, a request ("could you make me something to print
            # for my GP?") or one about the diary is answered as such.
            answered = part_confidence >= PART_THRESHOLD and (
                part_label.startswith(FAQ + "/")
                or part_label in message_parts.REQUESTS
                or is_diary_request(part_label, part.get(TEXT) or "")
            )
            if getattr(part.get(PART_KEY), "question", False) and not answered:
                # "my calf twitches, is it ALS?" classified as a description is
                # still a question to answer: with its FAQ topic when the
                # selector is sure of one, else as a question about the symptoms.
                topic, topic_confidence = question_topic(part)
                asked = topic if topic and topic_confidence >= TOPIC_THRESHOLD else message_parts.QUESTION
                questions.append(message_parts.Candidate(asked, topic_confidence, part.get(TEXT), order))
        if not part_messages and not label.startswith(FAQ) and message_parts.is_question_sentence(whole.text):
            # One sentence that tells and asks: "my eye keeps twitching, why?"
            questions.append(message_parts.Candidate(message_parts.QUESTION, confidence, whole.text, 1))
        clinical = message.get(FINDINGS_PROPERTY) or {}
        if label == "report_emergency" and clinical.get("judged_red_flags"):
            # The classifier's emergency on a red flag the clinical core read in
            # its context (a question, someone else, "if I lie flat"): the core's
            # reading stands, and the message is read as if the classifier were unsure.
            whole = message_parts.Candidate(FALLBACK, confidence, whole.text, 0)
        main = message_parts.decide(
            whole, parts, bool(clinical.get("emergency")), bool(clinical.get("describes_symptoms"))
        )
        if main is None:
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != FALLBACK:
                self._set_intent(message, FALLBACK, confidence)
            return  # the fallback stands
        candidates = [whole] + parts + questions
        others = message_parts.other_parts(candidates, main)
        if others:
            message.set(OTHER_PARTS, others, add_to_output=True)
        name = main.intent.split("/")[0]
        if main.intent != label:
            self._set_intent(message, name, main.confidence)
        if name == FAQ and main.order:
            # The topic of the part that asked it (the whole message may have no selection).
            chosen = part_messages[main.order - 1]
            message.set(
                RESPONSE_SELECTOR_PROPERTY_NAME, chosen.get(RESPONSE_SELECTOR_PROPERTY_NAME), add_to_output=True
            )

    @staticmethod
    def _set_intent(message: Message, name: str, confidence: float) -> None:
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != name]
        message.set(INTENT, {INTENT_NAME_KEY: name, "confidence": confidence}, add_to_output=True)
        message.set(
            INTENT_RANKING_KEY, [{INTENT_NAME_KEY: name, "confidence": confidence}] + ranking, add_to_output=True
        )
