"""The Rasa NLU component: findings as entities, and emergencies made deterministic."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from components.clinical_findings import ClinicalFindingExtractor


def processed(text: str, intent: str = "greet", confidence: float = 0.99) -> Message:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": intent, "confidence": confidence}]})
    return ClinicalFindingExtractor().process([message])[0]


def test_findings_become_entities_with_denials_as_role():
    message = processed("my calf has twitched for 3 weeks, no weakness", intent="describe_symptoms")
    entities = {(e["entity"], e["value"], e.get("role")) for e in message.get("entities")}
    assert ("finding", "sign:twitching", None) in entities
    assert ("finding", "location:calf", None) in entities
    assert ("finding", "sign:weakness", "absent") in entities
    assert ("duration_days", 21.0, None) in entities
    assert message.get("intent")["name"] == "describe_symptoms"


def test_an_emergency_finding_overrides_any_intent():
    for intent in ["faq", "describe_symptoms", "nlu_fallback", "affirm"]:
        message = processed("my face is drooping and I can't lift my arm", intent=intent)
        assert message.get("intent") == {"name": "report_emergency", "confidence": 1.0}
        assert message.get("intent_ranking")[0]["name"] == "report_emergency"
        assert intent in [r["name"] for r in message.get("intent_ranking")]


def test_the_classifier_can_add_an_emergency_but_the_component_never_removes_one():
    message = processed("call an ambulance", intent="report_emergency")
    assert message.get("intent")["name"] == "report_emergency"
    message = processed("my calf twitches", intent="describe_symptoms")
    assert message.get("intent")["name"] == "describe_symptoms"


def test_a_denied_emergency_sign_is_not_an_emergency():
    message = processed("no chest pain, no trouble breathing, just a twitchy eyelid", intent="describe_symptoms")
    assert message.get("intent")["name"] == "describe_symptoms"


def test_button_payloads_and_empty_text_are_left_alone():
    assert processed("/affirm", intent="affirm").get("intent")["name"] == "affirm"
    assert processed("   ", intent="greet").get("entities") in (None, [])


def test_an_unsure_intent_on_a_symptom_statement_becomes_a_description():
    for intent in ["out_of_scope", "nlu_fallback"]:
        message = processed("on atorvastatin and my muscles ache all the time", intent=intent, confidence=0.6)
        assert message.get("intent")["name"] == "describe_symptoms"
    assert processed("order me a pizza", intent="out_of_scope").get("intent")["name"] == "out_of_scope"
    assert processed("my calf twitches after the gym", intent="faq").get("intent")["name"] == "faq"
