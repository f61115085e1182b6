"""Rasa glue for the report for a doctor: build it, and hand it over on each channel.

What the report says is report/content.py, its PDF report/pdf.py and its FHIR
R4 bundle report/fhir.py. Here: read the conversation's check and the diary,
then deliver. Reports are made on demand and not kept: in `rasa shell` the
files are written where the person can open them; everywhere else each file
waits in the database under a one-time token (followup/store.py) until it is
fetched once: through the web page's link on the website and over REST, or by
the Telegram and Slack channels, which send it as a document or an upload.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.check import FINDINGS_SLOT, REPORT_REQUESTED, add_to_check, described_symptoms, in_check, start_check
from actions.other_parts import SETTINGS, answer_openers, answer_questions
from clinical.extractor import Findings
from clinical.interview import QUESTIONS
from followup import clock
from followup.store import default_store
from report.content import build_report
from report.fhir import bundle
from report.pdf import render_pdf

# Where `rasa shell` writes the files (the person's own machine; build output, never committed).
SHELL_DIR = Path(__file__).resolve().parent.parent / "var" / "reports"
PDF_TYPE, FHIR_TYPE = "application/pdf", "application/fhir+json"
# How far back the report's diary looks (the table shows the newest days).
DIARY_DAYS = 60


def report_files(tracker: Tracker, finished: bool) -> Optional[List[Tuple[str, str, bytes]]]:
    """(name, MIME type, bytes) of the PDF and the FHIR bundle, or None when there is
    nothing to report yet (no check answered and no diary). `finished`: the check
    has given its result (a stopped one gets no level)."""
    findings = Findings.from_dict(tracker.get_slot(FINDINGS_SLOT))
    today = clock.today()
    diary = default_store().entries(tracker.sender_id, since=today - dt.timedelta(days=DIARY_DAYS))
    if not findings.present and not findings.absent and not diary:
        return None
    created = dt.datetime.fromtimestamp(clock.now(), tz=dt.timezone.utc)
    slots = {slot: tracker.get_slot(slot) for slot in QUESTIONS}
    report = build_report(findings, slots, diary, created, finished=finished)
    stem = f"twitch-report-{created:%Y-%m-%d}"
    fhir = json.dumps(bundle(report), indent=2, ensure_ascii=False).encode("utf-8")
    return [(f"{stem}.pdf", PDF_TYPE, render_pdf(report)), (f"{stem}.fhir.json", FHIR_TYPE, fhir)]


def send_report_with_result(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The report asked for during the check, made with its result."""
    deliver(dispatcher, tracker, report_files(tracker, finished=True))


def deliver(dispatcher: CollectingDispatcher, tracker: Tracker, files: Optional[List[Tuple[str, str, bytes]]]) -> None:
    """Hands the files over the way the person's channel can take them (None: nothing to report yet)."""
    if files is None:
        dispatcher.utter_message(response="utter_report_nothing_yet")
        return
    if tracker.get_latest_input_channel() == "cmdline":
        SHELL_DIR.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, _, data in files:
            path = SHELL_DIR / name
            path.write_bytes(data)
            paths.append(str(path))
        dispatcher.utter_message(response="utter_report_written", pdf_path=paths[0], fhir_path=paths[1])
        return
    store, now = default_store(), clock.now()
    dispatcher.utter_message(response="utter_report_ready", minutes=SETTINGS.report_minutes)
    for name, mime_type, data in files:
        token = store.put_file(tracker.sender_id, name, mime_type, data, now, SETTINGS.report_minutes * 60)
        dispatcher.utter_message(
            json_message={
                "data": {
                    "file": {
                        "name": name,
                        "mime_type": mime_type,
                        "url": f"{SETTINGS.report_url}/reports/{token}",
                        "token": token,
                        "size": len(data),
                    }
                }
            }
        )


class ActionSendReport(Action):
    """ "Send me a report for my doctor": the PDF and the FHIR file. Asked during the
    check, it is made as soon as the check's result is given."""

    def name(self) -> Text:
        return "action_send_report"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        answer_openers(dispatcher, tracker)
        if in_check(tracker):
            dispatcher.utter_message(response="utter_report_after_check")
            return [SlotSet(REPORT_REQUESTED, True)] + add_to_check(dispatcher, tracker)
        files = report_files(tracker, finished=bool(tracker.get_slot("triage_level")))
        if files is None and described_symptoms(tracker):
            # "a report on my calf twitching for my GP" with no check yet: the check, then the report.
            dispatcher.utter_message(response="utter_report_after_check")
            events = start_check(dispatcher, tracker, answer_parts=False)
            return events + [SlotSet(REPORT_REQUESTED, True), FollowupAction("symptom_check_form")]
        deliver(dispatcher, tracker, files)
        answer_questions(dispatcher, tracker)
        return []
