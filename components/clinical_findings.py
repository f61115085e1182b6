"""Rasa glue for the clinical finding extractor.

Adds every finding of a message as an entity (`finding`, with role `absent` for
denied ones, plus `age` and `duration_days`), and makes emergencies
deterministic: when the findings of a message reach the emergency level of the
triage policy, the intent becomes `report_emergency` whatever the classifier
said, so the emergency rule fires in any state, a form included. The classifier
can still add emergencies the lexicon misses; it can never remove one.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.clinical.extractor import extract, mentions
from actions.clinical.triage import triage

EMERGENCY_INTENT = "report_emergency"
EXTRACTOR = "ClinicalFindingExtractor"


def finding_entities(text: str) -> List[Dict[str, Any]]:
    entities = []
    for mention in mentions(text):
        if mention.hypothetical:
            continue
        entity = {
            "entity": "finding",
            "value": mention.fact,
            "start": mention.start,
            "end": mention.end,
            "confidence_entity": 1.0,
            "extractor": EXTRACTOR,
        }
        if mention.negated:
            entity["role"] = "absent"
        entities.append(entity)
    return entities


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClinicalFindingExtractor(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ClinicalFindingExtractor":
        return cls()

    def __init__(self) -> None:
        # Build the spaCy pipeline once when the model loads, not on the first message.
        extract("warm up")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/"):
                continue
            findings = extract(text)
            entities = list(message.get(ENTITIES) or []) + finding_entities(text)
            if findings.age is not None:
                entities.append({"entity": "age", "value": findings.age, "extractor": EXTRACTOR})
            if findings.duration_days is not None:
                entities.append({"entity": "duration_days", "value": findings.duration_days, "extractor": EXTRACTOR})
            message.set(ENTITIES, entities, add_to_output=True)
            if triage(findings).level == "emergency":
                self._force_emergency(message)
        return messages

    @staticmethod
    def _force_emergency(message: Message) -> None:
        previous = message.get(INTENT) or {}
        if previous.get("name") == EMERGENCY_INTENT:
            return
        ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != EMERGENCY_INTENT]
        message.set(INTENT, {"name": EMERGENCY_INTENT, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": EMERGENCY_INTENT, "confidence": 1.0}] + ranking, add_to_output=True)
