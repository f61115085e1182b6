"""The trained model understands messages it has never seen."""
from __future__ import annotations

import pytest

from conftest import ROOT

MIN_ACCURACY = 0.90


@pytest.fixture(scope="module")
def report(model_path):
    from evaluate_nlu import evaluate, format_report

    result = evaluate(model_path, ROOT / "tests" / "nlu_test.yml")
    print(format_report(result))
    return result


def test_held_out_accuracy_counting_the_faq_topic(report):
    assert len(report.labels) >= 150
    assert report.accuracy >= MIN_ACCURACY, f"accuracy {report.accuracy:.3f} < {MIN_ACCURACY}"


def test_no_emergency_message_is_missed(report):
    missed = [(t, p) for t, e, p in report.labels if e == "report_emergency" and p != e]
    assert not missed


def test_every_text_button_is_understood_as_its_training_label(model_path, domain, training_examples):
    """Buttons send plain questions; each must land on the topic it names.

    The symptom check's answer buttons are read by the interview instead
    (tests/test_interview.py::test_every_answer_button_answers_its_question).
    """
    import asyncio

    from evaluate_nlu import label_of, parse_all

    trained = {text: label for text, label in training_examples}
    payloads = sorted({
        button["payload"]
        for name, variants in domain["responses"].items()
        if not name.startswith("utter_ask_symptom_check_form_")
        for variant in variants
        for button in variant.get("buttons", [])
        if not button["payload"].startswith("/")
    })
    assert payloads
    parses = asyncio.run(parse_all(model_path, payloads))
    for payload, parse in zip(payloads, parses):
        expected = trained.get(payload)
        assert expected, f"button payload {payload!r} is not a training example"
        assert label_of(parse) == expected, payload


def test_the_faq_topic_is_picked_for_faq_messages_only(model_path):
    """components/faq_selector.py: other messages carry an empty selection."""
    import asyncio

    from evaluate_nlu import parse_all

    faq, greeting, symptoms = asyncio.run(parse_all(model_path, [
        "can coffee cause twitching?", "hello there", "my left calf has twitched for 3 weeks"]))
    assert faq["intent"]["name"] == "faq"
    assert faq["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/caffeine"
    for other in (greeting, symptoms):
        assert other["intent"]["name"] != "faq"
        assert other["response_selector"] == {"all_retrieval_intents": ["faq"]}
