"""The clinical NLU component: every message's findings as entities and as the
parse result's `clinical` reading. Choosing the intent from that reading is the
main-intent selector's job (tests/unit/test_parts.py)."""

from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from components.clinical_findings import ClinicalFindingExtractor


def processed(text: str, intent: str = "greet", confidence: float = 0.99) -> Message:
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
        }
    )
    return ClinicalFindingExtractor().process([message])[0]


def test_findings_become_entities_with_denials_as_role():
    message = processed("my calf has twitched for 3 weeks, no weakness", intent="describe_symptoms")
    entities = {(e["entity"], e["value"], e.get("role")) for e in message.get("entities")}
    assert ("finding", "sign:twitching", None) in entities
    assert ("finding", "location:calf", None) in entities
    assert ("finding", "sign:weakness", "absent") in entities
    assert ("duration_days", 21.0, None) in entities
    assert message.get("intent")["name"] == "describe_symptoms"  # the component leaves the intent alone


def test_the_clinical_reading_says_emergency_and_description():
    reading = processed("my face is drooping and I can't lift my arm").get("clinical")
    assert reading["emergency"] is True and reading["level"] == "emergency"
    assert "sign:face_droop" in reading["findings"]["present"]
    calm = processed("my calf twitches after the gym").get("clinical")
    assert calm["emergency"] is False and calm["describes_symptoms"] is True
    question = processed("can caffeine cause twitching?").get("clinical")
    assert question["describes_symptoms"] is False and question["emergency"] is False


def test_a_denied_emergency_sign_is_not_an_emergency():
    reading = processed("no chest pain, no trouble breathing, just a twitchy eyelid").get("clinical")
    assert reading["emergency"] is False


def test_button_payloads_parts_and_empty_text_are_left_alone():
    assert processed("/affirm", intent="affirm").get("clinical") is None
    assert processed("   ", intent="greet").get("entities") in (None, [])
    from components.parts import PART_KEY, Part

    part = Message(data={"text": "my face is drooping", PART_KEY: Part("my face is drooping", 0, False)})
    assert ClinicalFindingExtractor().process([part])[0].get("clinical") is None
