"""Rasa glue for the clinical finding extractor.

Every message is screened by the clinical core, whatever its intent. This
component adds each finding as an entity (`finding`, with role `absent` for
denied ones, plus `age` and `duration_days`) and the whole reading to the parse
result's `clinical` field: the findings, the triage level they reach on their
own, whether the message describes symptoms, and what it says as an answer
inside a check (clinical/reading.py). The actions read it from there
and never parse the text again. `MainIntentSelector`
(components/message_parts.py) turns that into the intent: an emergency finding
makes a message `report_emergency` whatever the classifier said, so the
emergency rule fires in any state, a form included. The classifier can still
add emergencies the lexicon misses; it can never remove one.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from clinical.extractor import Understanding, understand
from clinical.reading import payload
from components.parts import PART_KEY

EXTRACTOR = "ClinicalFindingExtractor"
# The parse result's field with the clinical reading of the message.
FINDINGS_PROPERTY = "clinical"


def entities_of(understanding: Understanding) -> List[Dict[str, Any]]:
    """The findings of a message as entities, in Rasa's entity format."""
    entities = []
    for mention in understanding.mentions:
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
    for name, (value, start, end) in understanding.measures.items():
        entities.append(
            {
                "entity": name,
                "value": value,
                "start": start,
                "end": end,
                "confidence_entity": 1.0,
                "extractor": EXTRACTOR,
            }
        )
    # Entities do not overlap (Rasa's format cannot express it): the longer,
    # more specific one wins ("face is drooping" over "face"). The findings keep both.
    kept: List[Dict[str, Any]] = []
    for entity in sorted(entities, key=lambda e: (e["start"] - e["end"], e["start"])):
        if all(entity["end"] <= k["start"] or entity["start"] >= k["end"] for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e["start"])


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClinicalFindingExtractor(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ClinicalFindingExtractor":
        return cls()

    def __init__(self) -> None:
        # Build the spaCy pipeline once when the model loads, not on the first message.
        understand("warm up")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/") or message.get(PART_KEY) is not None:
                continue
            understanding = understand(text)
            message.set(ENTITIES, list(message.get(ENTITIES) or []) + entities_of(understanding), add_to_output=True)
            says_emergency = (message.get(INTENT) or {}).get("name") == "report_emergency"
            message.set(FINDINGS_PROPERTY, payload(text, understanding, says_emergency), add_to_output=True)
        return messages
