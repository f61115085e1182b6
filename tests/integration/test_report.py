"""The report for a doctor through the real servers: a whole check over REST, then the
one-time download links of the web page, and the files on the Telegram and Slack fakes."""

from __future__ import annotations

import io
import json
import time

import requests
from fake_apis import TELEGRAM_SECRET_TOKEN
from pypdf import PdfReader
from support import say, texts, tracker

from channels.telegram import SECRET_HEADER
from report.fhir import validate_bundle

# What a person with a calf twitch answers, whichever question the check asks.
ANSWERS = {
    "weakness_or_wasting": "no, I can still run and lift fine",
    "speech_breathing_or_numbness": "none of these",
    "symptom_onset": "over weeks",
    "twitch_location": "just my left calf",
    "twitch_duration": "about 3 weeks",
    "twitch_triggers": "loads of coffee and exam stress",
    "medicines": "sertraline 50mg",
    "family_history": "no",
    "person_age": "24",
}


def finish_check(servers, person: str, first: str) -> str:
    """Sends the first message and answers every question; the replies, in one text."""
    said = [texts(say(servers, person, first))]
    for _ in range(12):
        slots = tracker(servers, person)["slots"]
        if slots.get("triage_level") or not slots.get("requested_slot"):
            break
        said.append(texts(say(servers, person, ANSWERS[slots["requested_slot"]])))
    assert tracker(servers, person)["slots"]["triage_level"], said
    return "\n".join(said)


def report_files(replies) -> list:
    return [r["custom"]["data"]["file"] for r in replies if (r.get("custom") or {}).get("data", {}).get("file")]


def download(file: dict, conversation: str) -> requests.Response:
    return requests.get(file["url"], params={"conversation": conversation}, timeout=30)


def test_after_a_check_the_report_downloads_once_and_only_for_its_conversation(servers):
    person = "report-rest"
    finish_check(servers, person, "my left calf has been twitching for 3 weeks and I'm scared it's ALS")
    replies = say(servers, person, "can you make a report I can take to my GP?")
    assert "It is not a diagnosis" in texts(replies)
    pdf, fhir = report_files(replies)
    assert pdf["url"].startswith(servers["web"] + "/reports/")

    assert download(pdf, "someone-else").status_code == 404  # another conversation gets nothing...
    first = download(pdf, person)  # ...and has not used the link up
    assert first.status_code == 200 and first.headers["Content-Type"] == "application/pdf"
    assert pdf["name"] in first.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(first.content)).pages)
    assert "report for your doctor" in text and "sertraline" in text and "3 weeks" in text
    again = download(pdf, person)
    assert again.status_code == 404 and "expired or was already used" in again.text

    # The conversation's stored events keep no way to the file.
    stored = json.dumps(tracker(servers, person)["events"])
    assert pdf["token"] not in stored and fhir["token"] not in stored

    bundle = download(fhir, person)
    assert bundle.status_code == 200 and validate_bundle(bundle.json()) == []
    answers = {i["linkId"]: i for i in bundle.json()["entry"][0]["resource"]["item"]}
    assert "sertraline" in answers["medicines"]["answer"][0]["valueString"]


def test_asked_for_during_the_check_the_report_comes_with_the_result(servers):
    person = "report-mid-check"
    say(servers, person, "my eyelid keeps twitching for a few days now")
    mid = texts(say(servers, person, "oh and can i get a pdf for my doctor at the end?"))
    assert "as soon as we've finished these questions" in mid
    assert tracker(servers, person)["active_loop"].get("name") == "symptom_check_form"
    replies = []
    for _ in range(12):
        slots = tracker(servers, person)["slots"]
        if slots.get("triage_level"):
            break
        replies = say(servers, person, ANSWERS[slots["requested_slot"]])
    assert len(report_files(replies)) == 2


def test_forget_me_makes_a_waiting_report_link_fail(servers):
    person = "report-forget"
    finish_check(servers, person, "my thumb twitches since last week, I drink 6 coffees a day")
    pdf, _ = report_files(say(servers, person, "send me the report"))
    say(servers, person, "forget me")
    say(servers, person, "yes")
    assert download(pdf, person).status_code == 404


def wait_for(condition, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    return condition()


def test_the_report_reaches_telegram_as_two_documents_and_is_not_kept(servers, telegram_api):
    from test_followup import telegram_update

    chat, headers = 777301, {SECRET_HEADER: TELEGRAM_SECRET_TOKEN}
    for update_id, text in enumerate(
        ["log today: twitching 5/10 in my calves, slept 6 hours", "send me a report for my doctor"], 300
    ):
        response = requests.post(
            servers["telegram"], json=telegram_update(update_id, chat, text), headers=headers, timeout=60
        )
        assert response.status_code == 200

    def documents():
        return [c for c in telegram_api.calls_of("sendDocument") if str(c.get("chat_id")) == str(chat)]

    sent = wait_for(lambda: len(documents()) == 2 and documents())
    names = sorted(d["document"]["filename"] for d in sent)
    assert names[0].endswith(".fhir.json") and names[1].endswith(".pdf")
    pdf = next(d for d in sent if d["document"]["filename"].endswith(".pdf"))
    assert pdf["document:bytes"].startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf["document:bytes"])).pages)
    assert "calves" in text and "Twitch diary: the last 1 day" in text
    fhir = next(d for d in sent if d["document"]["filename"].endswith(".fhir.json"))
    assert validate_bundle(json.loads(fhir["document:bytes"])) == []
    # handed over: nothing of it waits in the database any more
    import sqlite3

    with sqlite3.connect(servers["tracker_db"]) as db:
        assert db.execute("SELECT COUNT(*) FROM bfs_waiting_files WHERE person = ?", (str(chat),)).fetchone() == (0,)


def test_the_report_reaches_slack_as_uploaded_files(servers, slack_api):
    from test_slack import event, post_event

    before = len(slack_api.calls_of("files.getUploadURLExternal"))
    assert post_event(servers, event("EvReport1", "D950", "log today: twitching 4/10 in my thigh")).status_code == 200
    assert wait_for(
        lambda: any("Saved in your diary" in (c.get("text") or "") for c in slack_api.calls_of("chat.postMessage"))
    )
    assert post_event(servers, event("EvReport2", "D950", "pdf report for my doctor please")).status_code == 200
    uploads = wait_for(
        lambda: len(slack_api.calls_of("files.getUploadURLExternal")) >= before + 2
        and slack_api.calls_of("files.getUploadURLExternal")[before:]
    )
    assert sorted(u.get("filename", "")[-4:] for u in uploads) == [".pdf", "json"]
