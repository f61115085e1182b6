"""The doctor's report as FHIR R4, without Rasa: the Questionnaire, and the Bundle of
one conversation's answers and diary, checked against the official R4 JSON schema
(web/node_modules, from `make install`).

"It validates" means little unless broken resources fail, so the last tests break
resources on purpose and read the errors.
"""

from __future__ import annotations

import datetime
import json

import pytest

from clinical.extractor import understand
from clinical.interview import QUESTIONS
from followup.diary import DiaryEntry
from report import fhir
from report.content import LEVEL_NAMES, QUESTION_TEXTS, build_report

CREATED = datetime.datetime(2024, 11, 27, 9, 30, tzinfo=datetime.timezone.utc)
D = datetime.date
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
TRIAGE = "https://github.com/bfs-assistant/codes/triage-level"
# Every (system, code) the bundle may carry: the codes checked against their code systems,
# the UCUM units, and the project's own triage levels.
ALLOWED_CODES = {
    (SNOMED, "82470000"),
    (LOINC, "93832-4"),
    (LOINC, "74013-4"),
    (CATEGORY, "survey"),
    (UCUM, "h"),
    (UCUM, "/d"),
    (UCUM, "{score}"),
} | {(TRIAGE, level) for level in LEVEL_NAMES}

CALF_DIARY = [
    DiaryEntry(
        day=D(2024, 11, 25),
        rating=6,
        locations=["left calf", "thumb"],
        caffeine=4,
        sleep_hours=5.5,
        stress="high",
        exercise=False,
        alcohol=3,
        new_medicine="propranolol",
        note="rough day at work, told my boss Jane",
    ),
    DiaryEntry(day=D(2024, 11, 26), sleep_hours=8, stress="low"),  # no rating that day
]


def calf_report(diary=CALF_DIARY, **slots):
    findings = understand(
        "my left calf has twitched for 3 weeks, I drink 5 coffees a day and take sertraline, no weakness"
    ).findings
    answers = {
        "weakness_or_wasting": "no",
        "twitch_location": "left calf",
        "twitch_duration": "21 days",
        "twitch_triggers": "5 coffees a day",
        "medicines": "sertraline",
        "family_history": "no",
        "person_age": "34",
    }
    return build_report(findings, {**answers, **slots}, diary, CREATED)


def eyelid_report():
    findings = understand("both my eyelids have twitched since yesterday, exam week, I am 19").findings
    answers = {
        "weakness_or_wasting": "not that I noticed",
        "twitch_location": "both eyelids",
        "twitch_duration": "since yesterday",
        "twitch_triggers": "exam week",
        "medicines": "none",
        "person_age": "19",
    }
    return build_report(findings, answers, [DiaryEntry(day=D(2024, 11, 20), rating=2)], CREATED)


def resources(bundle, resource_type):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


def response_answers(bundle):
    """linkId -> the answer's value, of the bundle's one QuestionnaireResponse."""
    (response,) = resources(bundle, "QuestionnaireResponse")
    return {item["linkId"]: next(iter(item["answer"][0].values())) for item in response["item"]}


def observation_on(bundle, day):
    (observation,) = [o for o in resources(bundle, "Observation") if o["effectiveDateTime"] == day]
    return observation


def component(observation, text):
    (found,) = [c for c in observation["component"] if c["code"]["text"] == text]
    return found


def codings(node):
    """Every (system, code) pair anywhere in the JSON: codings and quantities alike."""
    if isinstance(node, dict):
        if "system" in node:
            yield node["system"], node.get("code")
        for value in node.values():
            yield from codings(value)
    elif isinstance(node, list):
        for value in node:
            yield from codings(value)


# --------------------------------------------------------------------------- the Questionnaire


def test_questionnaire_validates_and_asks_the_checks_questions_in_order():
    questionnaire = fhir.questionnaire()
    assert fhir.validate(questionnaire) == []
    assert [item["linkId"] for item in questionnaire["item"]] == QUESTIONS + ["triage_level"]


def test_questionnaire_words_every_question_the_pdf_shows_and_types_its_answers():
    items = {item["linkId"]: item for item in fhir.questionnaire()["item"]}
    assert list(QUESTION_TEXTS) == QUESTIONS  # the PDF reads its question texts from the Questionnaire
    assert all(QUESTION_TEXTS[link_id].strip() for link_id in QUESTIONS)
    assert {link_id: items[link_id]["type"] for link_id in QUESTIONS} == {
        link_id: "integer" if link_id == "person_age" else "string" for link_id in QUESTIONS
    }


def test_triage_item_offers_exactly_the_assistants_levels_in_the_projects_own_code_system():
    (triage,) = [item for item in fhir.questionnaire()["item"] if item["linkId"] == "triage_level"]
    assert triage["type"] == "choice" and triage["readOnly"] is True
    options = [option["valueCoding"] for option in triage["answerOption"]]
    assert {coding["system"] for coding in options} == {TRIAGE}
    assert [coding["code"] for coding in options] == list(LEVEL_NAMES)


def test_questionnaire_is_a_copy_so_a_caller_cannot_change_the_one_responses_point_to():
    fhir.questionnaire()["item"].clear()
    assert len(fhir.questionnaire()["item"]) == len(QUESTIONS) + 1


# --------------------------------------------------------------------------- the Bundle


def test_bundle_of_a_check_and_its_diary_validates():
    bundle = fhir.bundle(calf_report())
    assert fhir.validate_bundle(bundle) == []
    assert bundle["type"] == "collection" and bundle["timestamp"] == "2024-11-27T09:30:00+00:00"
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == [
        "QuestionnaireResponse",
        "Observation",
        "Observation",
    ]
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"


def test_ids_are_stable_for_the_same_report_and_unique_within_it():
    first, again = fhir.bundle(calf_report()), fhir.bundle(calf_report())
    assert first == again
    ids = [first["id"]] + [e["resource"]["id"] for e in first["entry"]]
    assert len(set(ids)) == len(ids)
    assert fhir.bundle(eyelid_report())["id"] != first["id"]


def test_the_same_day_given_twice_is_one_observation():
    bundle = fhir.bundle(calf_report(diary=CALF_DIARY + CALF_DIARY[:1]))
    assert len(resources(bundle, "Observation")) == 2
    assert fhir.validate_bundle(bundle) == []


def test_every_response_item_answers_a_questionnaire_item_with_a_value_of_its_type():
    questionnaire = fhir.questionnaire()
    items = {item["linkId"]: item for item in questionnaire["item"]}
    value_key = {"string": "valueString", "integer": "valueInteger", "choice": "valueCoding"}
    (response,) = resources(fhir.bundle(calf_report()), "QuestionnaireResponse")
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    assert response["status"] == "completed" and response["authored"] == "2024-11-27T09:30:00+00:00"
    for item in response["item"]:
        asked = items[item["linkId"]]
        assert item["text"] == asked["text"]
        (answer,) = item["answer"]
        assert list(answer) == [value_key[asked["type"]]]
        if asked["type"] == "choice":
            assert answer["valueCoding"] in [option["valueCoding"] for option in asked["answerOption"]]


def test_answers_carry_the_persons_words_the_age_as_a_number_and_the_triage_level():
    report = calf_report()
    assert response_answers(fhir.bundle(report)) == {
        "weakness_or_wasting": "no",
        "twitch_location": "left calf",
        "twitch_duration": "21 days",
        "twitch_triggers": "5 coffees a day",
        "medicines": "sertraline",
        "family_history": "no",
        "person_age": 34,
        "triage_level": {
            "system": TRIAGE,
            "code": report.level,
            "display": fhir.TRIAGE_CODINGS[report.level]["display"],
        },
    }


def test_questions_not_asked_are_left_out():
    answers = response_answers(fhir.bundle(calf_report(symptom_onset="not needed", medicines="")))
    assert "symptom_onset" not in answers and "medicines" not in answers


def test_an_age_that_is_not_a_number_is_left_out_rather_than_put_in_the_integer_question():
    bundle = fhir.bundle(calf_report(person_age="unknown"))
    assert "person_age" not in response_answers(bundle)
    assert fhir.validate_bundle(bundle) == []


def test_words_with_a_no_break_space_or_a_control_character_still_validate():
    bundle = fhir.bundle(calf_report(twitch_location="left\u00a0calf\x07"))
    assert response_answers(bundle)["twitch_location"] == "left calf"
    assert fhir.validate_bundle(bundle) == []


def test_who_answered_is_said_without_naming_anyone():
    (own,) = resources(fhir.bundle(calf_report()), "QuestionnaireResponse")
    findings = understand("my husband's left calf has been twitching for 3 weeks, he is 52").findings
    (relative,) = resources(
        fhir.bundle(build_report(findings, {"weakness_or_wasting": "no"}, (), CREATED)), "QuestionnaireResponse"
    )
    assert own["source"]["type"] == "Patient"
    assert relative["source"]["type"] == "RelatedPerson"
    assert "reference" not in relative["source"] and "subject" not in relative


def test_a_diary_day_carries_its_rating_sleep_alcohol_and_the_rest():
    observation = observation_on(fhir.bundle(calf_report()), "2024-11-25")
    assert observation["status"] == "final"
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["code"]["coding"] == [{"system": SNOMED, "code": "82470000", "display": "Fasciculation"}]
    assert observation["valueQuantity"]["value"] == 6
    assert observation["bodySite"] == {"text": "left calf, thumb"}
    sleep = component(observation, "Hours slept the night before")
    assert sleep["code"]["coding"][0]["code"] == "93832-4"
    assert sleep["valueQuantity"] == {"value": 5.5, "unit": "h", "system": UCUM, "code": "h"}
    alcohol = component(observation, "Alcoholic drinks that day")
    assert alcohol["code"]["coding"][0]["code"] == "74013-4"
    assert alcohol["valueQuantity"]["value"] == 3 and alcohol["valueQuantity"]["code"] == "/d"
    assert component(observation, "Caffeinated drinks that day")["valueInteger"] == 4
    assert component(observation, "Exercised that day")["valueBoolean"] is False
    assert component(observation, "A medicine the person says is new")["valueString"] == "propranolol"
    assert fhir.validate(observation) == []


def test_a_day_without_a_rating_has_no_value_and_still_validates():
    observation = observation_on(fhir.bundle(calf_report()), "2024-11-26")
    assert [key for key in observation if key.startswith("value") or key == "dataAbsentReason"] == []
    assert [c["code"]["text"] for c in observation["component"]] == [
        "Hours slept the night before",
        "Stress that day (low, medium or high, as the person described it)",
    ]
    assert fhir.validate(observation) == []


def test_the_diarys_notes_stay_with_the_person():
    assert "Jane" not in json.dumps(fhir.bundle(calf_report()))


def test_only_verified_codes_and_the_projects_own_appear_anywhere_in_the_bundle():
    for report in (calf_report(), eyelid_report()):
        found = set(codings(fhir.bundle(report)))
        assert found <= ALLOWED_CODES, found - ALLOWED_CODES
        assert (SNOMED, "82470000") in found


def test_bundle_round_trips_through_json_unchanged_and_still_validates():
    bundle = fhir.bundle(calf_report())
    again = json.loads(json.dumps(bundle))
    assert again == bundle
    assert fhir.validate_bundle(again) == []


def test_reports_of_different_conversations_share_no_answer_text():
    calf, eyelid = fhir.bundle(calf_report()), fhir.bundle(eyelid_report())
    calf_words = {v for v in response_answers(calf).values() if isinstance(v, str)}
    eyelid_words = {v for v in response_answers(eyelid).values() if isinstance(v, str)}
    assert calf_words and eyelid_words and not calf_words & eyelid_words
    eyelid_text = json.dumps(eyelid)
    for words in ("sertraline", "left calf", "coffees", "propranolol"):
        assert words not in eyelid_text
    assert fhir.validate_bundle(eyelid) == []


def test_a_report_without_a_time_zone_is_refused():
    report = calf_report()
    report.created = report.created.replace(tzinfo=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        fhir.bundle(report)


# --------------------------------------------------------------------------- validate finds what is wrong


def broken(change):
    observation = observation_on(json.loads(json.dumps(fhir.bundle(calf_report()))), "2024-11-25")
    change(observation)
    return observation


@pytest.mark.parametrize(
    "change, error",
    [
        (lambda o: o.pop("status"), "Observation: 'status' is a required property"),
        (
            lambda o: o["component"][2].update(valueString=5),
            "Observation.component[2].valueString: 5 is not of type 'string'",
        ),
        (
            lambda o: o["component"][0].update(valueInteger=4.5),
            "Observation.component[0].valueInteger: 4.5 is not of type 'integer'",
        ),
        (lambda o: o.update(status="done"), "Observation.status: 'done' is not one of"),
        (
            lambda o: o.update(effectiveDateTime="2024-13-01"),
            "Observation.effectiveDateTime: '2024-13-01' is not a valid FHIR dateTime",
        ),
        (lambda o: o.update(bodySite="left calf"), "Observation.bodySite: 'left calf' is not of type 'object'"),
        (lambda o: o.update(rating=6), "Observation: Additional properties are not allowed ('rating' was unexpected)"),
    ],
)
def test_validate_names_what_is_wrong_with_a_broken_observation(change, error):
    (message,) = fhir.validate(broken(change))
    assert message.startswith(error)


def test_validate_bundle_points_at_the_broken_entry():
    bundle = fhir.bundle(calf_report())
    bundle["entry"][1]["resource"].pop("status")
    bundle["entry"][0]["resource"]["item"][0]["answer"][0]["valueString"] = 0
    bundle["entry"][2]["fullUrl"] = bundle["entry"][1]["fullUrl"]
    assert fhir.validate_bundle(bundle) == [
        "Bundle.entry[0]: QuestionnaireResponse.item[0].answer[0].valueString: 0 is not of type 'string'",
        "Bundle.entry[1]: Observation: 'status' is a required property",
        f"Bundle.entry: fullUrl {bundle['entry'][1]['fullUrl']} is used more than once (bdl-7)",
    ]


def test_validate_refuses_what_is_not_an_r4_resource():
    assert fhir.validate({"resourceType": "Twitch"}) == ["resourceType 'Twitch' is not an R4 resource type"]
    assert fhir.validate_bundle({"resourceType": "Bundle"}) == ["Bundle: 'type' is a required property"]


def test_a_missing_schema_says_to_run_make_install(tmp_path):
    with pytest.raises(FileNotFoundError, match="make install"):
        fhir.load_schema(tmp_path / "fhir.schema.json")
