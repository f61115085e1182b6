"""The report action (actions/report.py) with trackers built in code, on the test run's own
database (conftest.py sets TRACKER_DB): what waits for download, for whom, and how it is said."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
from typing import Any, Dict, Optional

from pypdf import PdfReader
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import report as report_action
from actions.report import ActionSendReport
from actions.symptom_check import ActionGiveTriageResult
from clinical.extractor import understand
from followup import clock
from followup.store import default_store

CHECKED = {
    "clinical_findings": understand(
        "my left calf has twitched for 3 weeks, I drink 5 coffees a day"
    ).findings.to_dict(),
    "weakness_or_wasting": "no",
    "twitch_duration": "21 days",
    "family_history": "no",
}


def tracker(
    person: str, slots: Optional[Dict[str, Any]] = None, channel: str = "rest", loop: str = "", describes: bool = False
) -> Tracker:
    return Tracker(
        sender_id=person,
        slots=slots or {},
        latest_message={
            "text": "send me a report for my doctor",
            "intent": {"name": "request_report"},
            "clinical": {"describes_symptoms": describes},
        },
        events=[{"event": "user", "text": "send me a report for my doctor", "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={"name": loop} if loop else {},
        latest_action_name="action_listen",
    )


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, events


def person() -> str:
    return "report-" + uuid.uuid4().hex[:8]


def files_in(messages):
    return [m["custom"]["data"]["file"] for m in messages if (m.get("custom") or {}).get("data", {}).get("file")]


def test_a_report_waits_once_for_its_conversation_behind_an_unguessable_link():
    who = person()
    messages, events = run(ActionSendReport(), tracker(who, CHECKED))
    assert messages[0]["response"] == "utter_report_ready" and messages[0]["minutes"] == 30
    pdf, fhir = files_in(messages)
    assert (pdf["mime_type"], fhir["mime_type"]) == ("application/pdf", "application/fhir+json")
    assert pdf["name"].startswith("twitch-report-") and pdf["name"].endswith(".pdf")
    assert pdf["url"].endswith("/reports/" + pdf["token"]) and len(pdf["token"]) >= 40
    assert "data_base64" not in pdf  # the bytes never travel in the conversation's events
    store = default_store()
    assert store.take_file(pdf["token"], "someone-else", clock.now()) is None
    taken = store.take_file(pdf["token"], who, clock.now())
    assert "3 weeks" in PdfReader(io.BytesIO(taken.data)).pages[0].extract_text()
    assert store.take_file(pdf["token"], who, clock.now()) is None
    bundle = json.loads(store.take_file(fhir["token"], who, clock.now()).data)
    assert bundle["resourceType"] == "Bundle" and events == []


def test_with_nothing_to_report_the_person_is_told_how_to_get_one():
    messages, _ = run(ActionSendReport(), tracker(person()))
    assert [m["response"] for m in messages] == ["utter_report_nothing_yet"]


def test_in_the_shell_the_files_are_written_and_their_paths_said(tmp_path, monkeypatch):
    monkeypatch.setattr(report_action, "SHELL_DIR", tmp_path)
    messages, _ = run(ActionSendReport(), tracker(person(), CHECKED, channel="cmdline"))
    (said,) = messages
    assert said["response"] == "utter_report_written"
    assert open(said["pdf_path"], "rb").read().startswith(b"%PDF-")
    assert json.loads(open(said["fhir_path"], encoding="utf-8").read())["resourceType"] == "Bundle"


def test_asked_during_the_check_the_report_comes_with_the_result():
    who = person()
    messages, events = run(ActionSendReport(), tracker(who, CHECKED, loop="symptom_check_form"))
    assert [m["response"] for m in messages] == ["utter_report_after_check"]
    assert events == [{"event": "slot", "timestamp": None, "name": "report_requested", "value": True}]
    messages, events = run(ActionGiveTriageResult(), tracker(who, {**CHECKED, "report_requested": True}))
    assert len(files_in(messages)) == 2
    assert {"event": "slot", "timestamp": None, "name": "report_requested", "value": False} in events


def test_a_report_asked_for_with_a_description_and_no_check_yet_starts_the_check_first():
    messages, events = run(ActionSendReport(), tracker(person(), describes=True))
    assert [m["response"] for m in messages] == ["utter_report_after_check", "utter_symptom_check_intro"]
    assert {"event": "slot", "timestamp": None, "name": "report_requested", "value": True} in events
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "symptom_check_form"}
