"""Rasa glue for the clinical finding extractor.

Every message is screened by the clinical core, whatever its intent. This
component adds each finding as an entity (`finding`, with role `absent` for
denied ones, plus `age` and `duration_days`) and the whole reading to the parse
result's `clinical` field: the findings, the triage level they reach on their
own, and whether the message describes symptoms. `MainIntentSelector`
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

from actions.clinical.extractor import extract_with_mentions, heard
from actions.clinical.interview import describes_symptoms
from actions.clinical.triage import load_rules, triage
from components.parts import PART_KEY
from deploy import speedups

# Every Rasa process that loads this project's model imports this module, so
# the fixes for Rasa's hottest avoidable costs go with it (deploy/speedups.py).
speedups.install()

EXTRACTOR = "ClinicalFindingExtractor"
# The parse result's field with the clinical reading of the message.
FINDINGS_PROPERTY = "clinical"



def clinical_entities(text: str):
    """Findings of a message and their entities, in Rasa's entity format."""
    findings, used, measures = extract_with_mentions(text)
    entities = []
    for mention in used:
        entity = {"entity": "finding", "value": mention.fact, "start": mention.start, "end": mention.end,
                  "confidence_entity": 1.0, "extractor": EXTRACTOR}
        if mention.negated:
            entity["role"] = "absent"
        entities.append(entity)
    for name, (value, start, end) in measures.items():
        entities.append({"entity": name, "value": value, "start": start, "end": end,
                         "confidence_entity": 1.0, "extractor": EXTRACTOR})
    # Entities do not overlap (Rasa's format cannot express it): the longer,
    # more specific one wins ("face is drooping" over "face"). The findings keep both.
    kept: List[Dict[str, Any]] = []
    for entity in sorted(entities, key=lambda e: (e["start"] - e["end"], e["start"])):
        if all(entity["end"] <= k["start"] or entity["start"] >= k["end"] for k in kept):
            kept.append(entity)
    return findings, sorted(kept, key=lambda e: e["start"])


def judged_red_flags(message: Message, text: str, level) -> List[str]:
    """Acute red flags the clinical core read in their context and found no
    emergency ("if I lie flat I can't breathe", "a video of someone having a
    seizure"), listed only when the classifier called the message an emergency:
    then the core's reading stands. A red flag it did not hear at all leaves the
    classifier's emergency in place."""
    if level == "emergency" or (message.get(INTENT) or {}).get("name") != "report_emergency":
        return []
    acute = set(load_rules()["happening_now_signs"])
    return sorted(heard(text) & acute)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ClinicalFindingExtractor(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ClinicalFindingExtractor":
        return cls()

    def __init__(self) -> None:
        # Build the spaCy pipeline once when the model loads, not on the first message.
        extract_with_mentions("warm up")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/") or message.get(PART_KEY) is not None:
                continue
            findings, entities = clinical_entities(text)
            message.set(ENTITIES, list(message.get(ENTITIES) or []) + entities, add_to_output=True)
            level = triage(findings).level if findings.present else None
            message.set(FINDINGS_PROPERTY, {
                "findings": findings.to_dict(),
                "level": level,
                "emergency": level == "emergency",
                "describes_symptoms": describes_symptoms(text, findings),
                "judged_red_flags": judged_red_flags(message, text, level),
            }, add_to_output=True)
        return messages
