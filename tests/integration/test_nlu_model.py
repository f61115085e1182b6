"""The trained model understands messages it has never seen."""

from __future__ import annotations

import pytest
from support import ROOT

MIN_ACCURACY = 0.90
# tests/nlu_long_test.yml: long and mixed messages, scored on the main intent in
# the contract's order. Issue 10 asks for 0.95; the trained model measures 0.955
# (make evaluate), and the gate leaves a point for training-to-training variation.
MIN_LONG_INTENT_ACCURACY = 0.94
# tests/nlu_report_test.yml: requests for a report for a doctor, written by a reviewer who
# did not see the training data, beside near misses (export my data, book a doctor, show
# my diary). Measured 0.84 first, then 0.91 after more varied training examples (none
# copied from it): it has been seen, so it is a development set now.
MIN_REPORT_ACCURACY = 0.85


def held_out(model_path, name: str):
    from scripts.evaluate_nlu import evaluate, format_report

    result = evaluate(model_path, ROOT / "tests" / name)
    print(format_report(result))
    return result


@pytest.fixture(scope="module")
def report(model_path):
    return held_out(model_path, "nlu_test.yml")


def test_held_out_accuracy_counting_the_faq_topic(report):
    assert len(report.labels) >= 150
    assert report.accuracy >= MIN_ACCURACY, f"accuracy {report.accuracy:.3f} < {MIN_ACCURACY}"


@pytest.fixture(scope="module")
def long_report(model_path):
    return held_out(model_path, "nlu_long_test.yml")


def test_long_and_mixed_messages_get_their_main_intent(long_report):
    assert len(long_report.labels) >= 200
    assert (
        long_report.intent_accuracy >= MIN_LONG_INTENT_ACCURACY
    ), f"main intent {long_report.intent_accuracy:.3f} < {MIN_LONG_INTENT_ACCURACY}"


def test_no_long_message_about_an_emergency_is_missed_and_none_is_invented(long_report):
    missed = [t for t, e, p in long_report.labels if e == "report_emergency" and p != e]
    invented = [t for t, e, p in long_report.labels if p == "report_emergency" and e != p]
    assert not missed and not invented, (missed, invented)


def test_every_long_description_is_read_as_one(long_report):
    """A description that does not start the check is the failure issue 10 is about."""
    lost = [
        (t, p)
        for t, e, p in long_report.labels
        if e == "describe_symptoms" and p not in ("describe_symptoms", "report_emergency")
    ]
    assert not lost


def test_no_emergency_message_is_missed(report):
    missed = [(t, p) for t, e, p in report.labels if e == "report_emergency" and p != e]
    assert not missed


def test_every_text_button_is_understood_as_its_training_label(model_path, domain, training_examples):
    """Buttons send plain questions; each must land on the topic it names.

    The symptom check's answer buttons are read by the interview instead
    (tests/unit/test_interview.py::test_every_answer_button_answers_its_question),
    and the guided diary's by its form (tests/unit/test_followup_actions.py).
    """
    import asyncio

    from scripts.evaluate_nlu import label_of, parse_all

    trained = {text: label for text, label in training_examples}
    payloads = sorted(
        {
            button["payload"]
            for name, variants in domain["responses"].items()
            if not name.startswith(("utter_ask_symptom_check_form_", "utter_ask_diary_form_"))
            for variant in variants
            for button in variant.get("buttons", [])
            if not button["payload"].startswith("/")
        }
    )
    assert payloads
    parses = asyncio.run(parse_all(model_path, payloads))
    for payload, parse in zip(payloads, parses):
        expected = trained.get(payload)
        assert expected, f"button payload {payload!r} is not a training example"
        assert label_of(parse) == expected, payload


def test_the_faq_topic_is_picked_for_faq_messages_only(model_path):
    """components/faq_selector.py: other messages carry an empty selection."""
    import asyncio

    from scripts.evaluate_nlu import parse_all

    faq, greeting, symptoms = asyncio.run(
        parse_all(model_path, ["can coffee cause twitching?", "hello there", "my left calf has twitched for 3 weeks"])
    )
    assert faq["intent"]["name"] == "faq"
    assert faq["response_selector"]["faq"]["response"]["intent_response_key"] == "faq/caffeine"
    for other in (greeting, symptoms):
        assert other["intent"]["name"] != "faq"
        assert other["response_selector"] == {"all_retrieval_intents": ["faq"]}


def test_a_request_for_a_report_is_told_from_its_near_misses(model_path):
    result = held_out(model_path, "nlu_report_test.yml")
    assert len(result.labels) >= 40
    assert result.intent_accuracy >= MIN_REPORT_ACCURACY, f"{result.intent_accuracy:.3f} < {MIN_REPORT_ACCURACY}"
    # a request for a copy of one's data is never answered with a report about one's health, and back
    crossed = [t for t, e, p in result.labels if {e, p} == {"request_report", "export_my_data"}]
    assert not crossed, crossed
