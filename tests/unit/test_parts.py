"""Messages with several parts: how they are split, which part leads, and what
is answered besides it (components/parts.py, components/message_parts.py)."""

from __future__ import annotations

from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.training_data.message import Message

from components import parts
from components.clinical_findings import ClinicalFindingExtractor
from components.message_parts import MainIntentSelector, MessagePartSplitter


def texts(message: str) -> list:
    return [p.text for p in parts.split(message)]


def test_an_opening_greeting_and_each_sentence_are_parts():
    assert texts("hi, my calf has been twitching for 3 weeks and I'm scared it's ALS. Is it?") == [
        "hi",
        "my calf has been twitching for 3 weeks and I'm scared it's ALS.",
        "Is it?",
    ]
    assert texts("Hi! Quick question - my eye keeps twitching, why?") == [
        "Hi",
        "Quick question - my eye keeps twitching, why?",
    ]
    assert texts("thanks! also does alcohol make it worse") == ["thanks", "also does alcohol make it worse"]
    assert texts("hey my legs twitch\nand my arms too") == ["hey", "my legs twitch", "and my arms too"]


def test_questions_are_marked():
    found = parts.split("My thigh twitches. Is it ALS? I'm 32")
    assert [p.question for p in found] == [False, True, False]
    assert [p.start for p in found] == [0, 19, 30]


def test_a_message_of_one_part_commands_and_empty_text_are_not_split():
    for text in [
        "my calf twitches",
        "hello",
        "how is BFS different from ALS?",
        "/greet",
        "",
        "   ",
        "hi!",
        "thanks.",
        "1.5 mg of it. ok"[:6],
    ]:
        assert parts.split(text) == [], text


def test_a_long_story_is_capped():
    story = " ".join(f"Sentence {i}." for i in range(20))
    assert len(parts.split(story)) == parts.MAX_PARTS


def candidate(intent, order, confidence=0.95, text="x"):
    return parts.Candidate(intent, confidence, text, order)


def test_the_contract_order_chooses_the_main_part():
    found = [
        candidate("greet", 0),
        candidate("greet", 1),
        candidate("describe_symptoms", 2),
        candidate("faq/bfs_vs_als", 3),
    ]
    main = parts.choose_main(found)
    assert main.intent == "describe_symptoms"
    assert [p["intent"] for p in parts.other_parts(found, main)] == ["greet", "faq/bfs_vs_als"]
    emergency = parts.choose_main(found + [candidate("report_emergency", 0)])
    assert emergency.intent == "report_emergency"


def test_within_a_rank_the_whole_message_then_the_earliest_part_leads():
    found = [candidate("faq/caffeine", 0), candidate("faq/alcohol", 1), candidate("request_doctor", 2)]
    main = parts.choose_main(found)
    assert main.intent == "faq/caffeine"
    assert [p["intent"] for p in parts.other_parts(found, main)] == ["faq/alcohol", "request_doctor"]
    assert parts.choose_main([candidate("thank", 0), candidate("faq/alcohol", 2)]).intent == "faq/alcohol"


def test_the_whole_message_reading_stands_unless_the_contract_says_otherwise():
    whole = candidate("faq/caffeine", 0)
    parts_ = [candidate("describe_symptoms", 1), candidate("faq/alcohol", 2)]
    # A part the classifier calls a description does not outrank a confident question ...
    assert parts.decide(whole, parts_, emergency=False, describes=False) is whole
    # ... the clinical core's reading of a reported symptom does.
    assert parts.decide(whole, parts_, emergency=False, describes=True).intent == "describe_symptoms"
    assert parts.decide(whole, parts_, emergency=True, describes=True).intent == "report_emergency"
    described = candidate("describe_symptoms", 0)
    assert parts.decide(described, [], emergency=False, describes=True) is described


def test_a_diary_entry_or_request_that_names_symptoms_stays_what_it_is():
    # "log today: twitching 6/10 in my calves" is a description kept in the diary ...
    logged = candidate("log_symptoms", 0)
    assert parts.decide(logged, [], emergency=False, describes=True) is logged
    # ... "show my twitch diary" only names the twitching ...
    for request in ["show_diary", "export_my_data", "delete_diary_entry", "plan_checkin", "request_report"]:
        asked = candidate(request, 0)
        assert parts.decide(asked, [], emergency=False, describes=True) is asked
    # ... a message that opens with a diary command is an entry, whatever story follows ...
    story = candidate("describe_symptoms", 0)
    story.text = "log today: twitching 4/10, and for two weeks my grip has been getting weaker"
    assert parts.decide(story, [], emergency=False, describes=True).intent == "log_symptoms"
    for not_a_command in ["my log today was fine but my calf twitches", "diary of a worried man", "logged off"]:
        story.text = not_a_command
        assert parts.decide(story, [], emergency=False, describes=True).intent == "describe_symptoms"
    # ... and an emergency in either still leads.
    assert parts.decide(logged, [], emergency=True, describes=True).intent == "report_emergency"


def test_a_greeting_thanks_or_fallback_gives_way_to_the_most_important_part():
    for reading in ("greet", "thank", "nlu_fallback"):
        found = parts.decide(
            candidate(reading, 0),
            [candidate("greet", 1), candidate("faq/caffeine", 2)],
            emergency=False,
            describes=False,
        )
        assert found.intent == "faq/caffeine"
    assert (
        parts.decide(candidate("nlu_fallback", 0), [candidate("greet", 1, confidence=0.5)], False, False).intent
        == "greet"
    )  # confidence is checked before: see the component
    assert parts.decide(candidate("nlu_fallback", 0), [], False, False) is None


def test_a_part_is_never_an_emergency_on_the_classifiers_word_alone():
    found = parts.decide(
        candidate("greet", 0),
        [candidate("report_emergency", 1, confidence=0.99), candidate("faq/is_it_serious", 2)],
        False,
        False,
    )
    assert found.intent == "faq/is_it_serious"
    assert parts.decide(candidate("report_emergency", 0), [], False, False).intent == "report_emergency"


def test_a_fallback_is_no_reading_and_unanswerable_parts_are_dropped():
    assert parts.choose_main([candidate("nlu_fallback", 0)]) is None
    found = [
        candidate("nlu_fallback", 0),
        candidate("goodbye", 1),
        candidate("faq", 2),
        candidate("describe_symptoms", 3),
        candidate("affirm", 4),
    ]
    main = parts.choose_main(found)
    assert main.intent == "describe_symptoms"
    assert parts.other_parts(found, main) == []


def test_the_whole_messages_question_is_answered_when_a_description_leads():
    whole = candidate("faq/bfs_vs_als", 0)
    main = parts.decide(whole, [], emergency=False, describes=True)
    assert [p["intent"] for p in parts.other_parts([whole], main)] == ["faq/bfs_vs_als"]


# --- the two components around a stand-in classifier ----------------------------------------


def fake_classifier(messages, readings, topic_confidence=0.97):
    """Sets each message's intent (and FAQ topic) as DIET and the selector would."""
    for message in messages:
        name, confidence, topic = readings.get(message.get("text"), ("nlu_fallback", 0.5, None))
        message.set("intent", {"name": name, "confidence": confidence}, add_to_output=True)
        message.set("intent_ranking", [{"name": name, "confidence": confidence}], add_to_output=True)
        if topic:
            message.set(
                RESPONSE_SELECTOR_PROPERTY_NAME,
                {"faq": {"response": {"intent_response_key": topic, "confidence": topic_confidence}}},
                add_to_output=True,
            )
    return messages


def parse(text, readings, topic_confidence=0.97):
    batch = MessagePartSplitter().process([Message(data={"text": text})])
    batch = fake_classifier(batch, readings, topic_confidence)
    batch = ClinicalFindingExtractor().process(batch)
    out = MainIntentSelector().process(batch)
    assert len(out) == 1 and out[0].get("text") == text
    return out[0]


def test_the_parts_travel_through_the_pipeline_and_come_out_as_one_message():
    text = "Hi! Thanks for this. Can alcohol make it worse?"
    message = parse(
        text,
        {
            text: ("thank", 0.6, None),
            "Hi": ("greet", 0.99, None),
            "Thanks for this.": ("thank", 0.97, None),
            "Can alcohol make it worse?": ("faq", 0.96, "faq/alcohol"),
        },
    )
    assert message.get("intent")["name"] == "faq"
    assert message.get(RESPONSE_SELECTOR_PROPERTY_NAME)["faq"]["response"]["intent_response_key"] == "faq/alcohol"
    assert [p["intent"] for p in message.get("other_parts")] == ["greet", "thank"]
    assert message.get("message_parts") is None  # nothing of the split is left in the parse result
    assert "message_parts" not in message.as_dict(only_output_properties=True)


def test_a_description_with_a_question_leads_with_the_description_and_keeps_the_question():
    text = "hi, my calf has been twitching for 3 weeks and I'm scared it's ALS. Is it?"
    message = parse(
        text,
        {
            text: ("nlu_fallback", 0.8, None),
            "hi": ("greet", 0.99, None),
            "Is it?": ("bot_challenge", 0.9, "faq/bfs_vs_als"),
        },
    )
    assert message.get("intent")["name"] == "describe_symptoms"
    assert message.get("clinical")["describes_symptoms"] is True
    assert [p["intent"] for p in message.get("other_parts")] == ["greet", "bot_challenge", "faq/bfs_vs_als"]


def test_an_emergency_finding_leads_whatever_the_classifier_said():
    for intent in ["faq", "describe_symptoms", "greet", "affirm"]:
        text = "my face is drooping and I can't lift my arm"
        message = parse(text, {text: (intent, 0.99, None)})
        assert message.get("intent") == {"name": "report_emergency", "confidence": 1.0}
        assert message.get("intent_ranking")[0]["name"] == "report_emergency"
        assert message.get("clinical")["emergency"] is True


def test_the_classifier_can_add_an_emergency_but_never_remove_one():
    assert (
        parse("call an ambulance", {"call an ambulance": ("report_emergency", 0.99, None)}).get("intent")["name"]
        == "report_emergency"
    )
    text = "no chest pain, no trouble breathing, just a twitchy eyelid"
    assert parse(text, {text: ("describe_symptoms", 0.99, None)}).get("intent")["name"] == "describe_symptoms"


def test_a_symptom_statement_is_a_description_whatever_the_classifier_said():
    for intent in ["out_of_scope", "nlu_fallback", "greet", "goodbye"]:
        text = "on atorvastatin and my muscles ache all the time"
        assert parse(text, {text: (intent, 0.6, None)}).get("intent")["name"] == "describe_symptoms"
    assert (
        parse("order me a pizza", {"order me a pizza": ("out_of_scope", 0.99, None)}).get("intent")["name"]
        == "out_of_scope"
    )
    question = "can caffeine cause twitching?"
    assert parse(question, {question: ("faq", 0.99, "faq/caffeine")}).get("intent")["name"] == "faq"


def test_an_unsure_part_does_not_count_and_a_fallback_stays_a_fallback():
    text = "blah blah. more blah"
    message = parse(text, {"blah blah.": ("greet", 0.5, None)})
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("other_parts") is None


def test_button_payloads_are_left_alone():
    message = parse("/affirm", {"/affirm": ("affirm", 1.0, None)})
    assert message.get("intent")["name"] == "affirm" and message.get("clinical") is None


def test_a_confident_faq_without_a_topic_the_selector_stands_behind_is_a_fallback():
    markup = '<img src=x onerror="window.__injected=1"><b>bold?</b>'
    assert (
        parse(markup, {markup: ("faq", 0.99, "faq/caffeine")}, topic_confidence=0.12).get("intent")["name"]
        == "nlu_fallback"
    )
    question = "can coffee cause twitching?"
    assert (
        parse(question, {question: ("faq", 0.99, "faq/caffeine")}, topic_confidence=0.3).get("intent")["name"] == "faq"
    )


def test_the_classifiers_emergency_gives_way_when_the_clinical_core_read_that_red_flag_in_context():
    for text in [
        "If I lie flat I can't breathe",
        "I saw a video of someone having a seizure and now I'm scared of my eyelid twitch",
    ]:
        message = parse(text, {text: ("report_emergency", 0.99, None)})
        assert message.get("intent")["name"] == "describe_symptoms", text
        assert message.get("clinical")["judged_red_flags"]
    # A red flag the core did not hear at all: the classifier's emergency stands.
    text = "my chest feels like an elephant is sitting on it"
    assert parse(text, {text: ("report_emergency", 0.99, None)}).get("intent")["name"] == "report_emergency"


def test_a_request_about_the_diary_beside_a_description_is_answered_once_and_not_as_a_worry():
    text = "my eye and thumb have twitched for 10 days. way too much monster. can i start some kind of log so i can show my gp??"
    message = parse(
        text,
        {
            text: ("describe_symptoms", 0.9, None),
            "way too much monster.": ("log_symptoms", 0.85, None),
            "can i start some kind of log so i can show my gp??": ("log_symptoms", 0.93, None),
        },
    )
    assert message.get("intent")["name"] == "describe_symptoms"
    others = message.get("other_parts")
    # the request is answered as a diary request, not as "what the check is for";
    # a sentence of the story read as a day's entry names no diary and is no request
    assert [(p["intent"], p["text"]) for p in others] == [
        ("log_symptoms", "can i start some kind of log so i can show my gp??")
    ]


def test_only_diary_requests_that_ask_something_of_the_diary_count():
    from followup.diary import is_diary_request

    assert is_diary_request("log_symptoms", "can I keep a journal of this?")
    assert is_diary_request("show_diary", "show me how it's been")
    assert is_diary_request("log_symptoms", "diary: eyelid 5/10")
    assert not is_diary_request("log_symptoms", "about a 5 today, 3 coffees")
    assert not is_diary_request("log_symptoms", "24")
    assert not is_diary_request("faq/caffeine", "can I log coffee?")


def test_a_request_worded_as_a_question_beside_a_description_is_answered_as_a_request_only():
    """Found trying it as a person: it got the report and the answer to a worried question."""
    text = "both calves jump for a month. could you make me something to print for my gp, i see her next week"
    message = parse(
        text,
        {
            text: ("describe_symptoms", 0.9, None),
            "could you make me something to print for my gp, i see her next week": ("request_report", 0.95, None),
        },
    )
    assert [p["intent"] for p in message.get("other_parts")] == ["request_report"]
