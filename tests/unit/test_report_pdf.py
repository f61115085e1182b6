"""The report for a doctor: what it says (report/content.py) and the PDF it becomes
(report/pdf.py), read back with pypdf as a doctor's software would read it."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from clinical.extractor import understand
from followup.diary import DiaryEntry
from report.content import DIARY_ROWS, build_report
from report.pdf import diary_row, render_pdf

CREATED = dt.datetime(2026, 12, 5, 10, 30, tzinfo=dt.timezone.utc)
CHECK = {
    "weakness_or_wasting": "no",
    "speech_breathing_or_numbness": "no",
    "symptom_onset": "not needed",
    "twitch_location": "left calf",
    "twitch_duration": "21 days",
    "twitch_triggers": "yes: 5 coffees a day",
    "medicines": "sertraline",
    "family_history": "no",
    "person_age": "not needed",
}


def calf(text: str = "my left calf has twitched for 3 weeks, I drink 5 coffees a day and take sertraline, no weakness"):
    return understand(text).findings


def week_of_diary(start: dt.date, days: int = 7):
    return [
        DiaryEntry(day=start + dt.timedelta(days=i), rating=3 + i % 4, locations=["left calf"], caffeine=i % 5)
        for i in range(days)
    ]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_content_keeps_the_level_the_reasons_and_the_persons_words():
    report = build_report(calf(), CHECK, created=CREATED)
    assert report.level == "routine"
    assert any("3 weeks" in reason.words for reason in report.reasons)
    assert report.locations == ["calf"] and report.duration_text == "about 3 weeks"
    assert [(m.label, m.words) for m in report.medicines] == [("an antidepressant (SSRI/SNRI)", "sertraline")]
    assert "feeling of weakness" in report.denied  # "no weakness", said and kept as denied
    assert "caffeine" in report.causes and report.family_history == "no"
    # questions skipped or not needed are left out; the rest keep the recorded answer
    assert [qa.link_id for qa in report.answers] == [
        "weakness_or_wasting",
        "speech_breathing_or_numbness",
        "twitch_location",
        "twitch_duration",
        "twitch_triggers",
        "medicines",
        "family_history",
    ]
    assert report.safety_net and "not a diagnosis" in report.disclaimer


def test_an_urgent_sign_and_someone_elses_account_are_reported_as_such():
    findings = understand("my dad (70) has a twitching hand and for a month he keeps dropping cups").findings
    report = build_report(findings, {}, created=CREATED)
    assert report.level == "urgent" and report.about_someone_else and report.age == 70
    assert any("dropping" in h.words for h in report.present)


def test_the_pdf_holds_what_a_doctor_needs_in_the_persons_words():
    diary = week_of_diary(dt.date(2026, 11, 28))
    text = pdf_text(render_pdf(build_report(calf(), CHECK, diary, CREATED)))
    for needed in [
        "report for your doctor",
        "05 December 2026",
        "Routine: book an appointment",
        '"3 weeks"',
        "sertraline",
        "an antidepressant (SSRI/SNRI)",
        "Said to be absent",
        "feeling of weakness",
        "caffeine",
        "not a diagnosis",
        "Twitch diary: the last 7 days",
        "Sat 28 Nov",
        "Fri 04 Dec",
        "Sources",
        "Blexrud",
    ]:
        assert needed in text, needed
    assert len(PdfReader(io.BytesIO(render_pdf(build_report(calf(), CHECK, created=CREATED)))).pages) <= 2


def test_a_full_diary_report_stays_within_two_pages_and_shows_the_newest_days():
    diary = week_of_diary(dt.date(2026, 10, 1), days=40)
    report = build_report(calf(), CHECK, diary, CREATED)
    assert len(report.diary) == DIARY_ROWS and report.diary[-1].day == dt.date(2026, 11, 9)
    data = render_pdf(report)
    assert data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) <= 2
    text = pdf_text(data)
    assert "Mon 09 Nov" in text and "Mon 26 Oct" not in text  # only the newest DIARY_ROWS days


def test_nothing_from_another_conversation_reaches_a_report():
    mine = pdf_text(render_pdf(build_report(calf(), CHECK, created=CREATED)))
    other = build_report(
        understand("my eyelid twitches since I started salbutamol, my mother had ALS").findings,
        {"medicines": "salbutamol inhaler", "family_history": "yes, my mother"},
        [DiaryEntry(day=dt.date(2026, 12, 1), rating=9, locations=["eyelid"], new_medicine="salbutamol")],
        CREATED,
    )
    theirs = pdf_text(render_pdf(other))
    assert "salbutamol" in theirs and "my mother" in theirs
    assert "salbutamol" not in mine and "mother" not in mine and "eyelid" not in mine
    assert "sertraline" not in theirs


def test_any_language_prints_and_an_empty_diary_day_is_blank_not_zero():
    report = build_report(calf("mój łydka drga od 3 tygodni, my calf twitches"), {"medicines": "Ibuprofen, Żółć"})
    assert "Żółć" in pdf_text(render_pdf(report))
    assert diary_row(DiaryEntry(day=dt.date(2026, 12, 1), stress="high")) == [
        "Tue 01 Dec",
        "",
        "",
        "",
        "",
        "high",
        "",
        "",
        "",
    ]


def test_a_diary_alone_gets_no_made_up_level_and_no_questionnaire_answers():
    from clinical.extractor import Findings
    from report.fhir import bundle, validate_bundle

    report = build_report(Findings(), {}, week_of_diary(dt.date(2026, 11, 28)), CREATED)
    assert report.level == "" and report.answers == [] and report.reasons == []
    text = pdf_text(render_pdf(report))
    assert "No symptom check in this conversation" in text and "most likely benign" not in text.lower()
    fhir = bundle(report)
    assert validate_bundle(fhir) == []
    assert {e["resource"]["resourceType"] for e in fhir["entry"]} == {"Observation"}


def test_an_onset_is_reported_only_for_a_new_sign_besides_the_twitching():
    """Found trying it as a person: "4 coffees, 5x a week" gave a twitch-only report a sudden onset."""
    twitch_only = calf()
    twitch_only.present.add("onset:sudden")
    assert build_report(twitch_only, CHECK, created=CREATED).onset == ""
    weak = understand("for two months my grip has been getting weaker and my hand twitches").findings
    assert build_report(weak, {}, created=CREATED).onset.startswith("gradual")


def test_a_check_stopped_before_its_result_gets_no_level_but_keeps_what_was_heard():
    """A reviewer's case: "stop" at the first question must not read as "no warning signs"."""
    report = build_report(calf(), {}, created=CREATED, finished=False)
    assert report.level == "" and report.level_name == "Symptom check not finished"
    assert report.reasons == []  # heard so far is listed once, under "also", not as deciding
    assert any("2 weeks" in h.label for h in report.also)
    assert "no warning signs" not in pdf_text(render_pdf(report)).lower()
