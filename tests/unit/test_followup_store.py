"""The diary and check-in tables (followup/store.py) on SQLite files of their own,
the reading of check-in answers (followup/checkin.py), and attachments."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import threading

import pytest
import sqlalchemy as sa

from channels.attachments import file_in, from_data_url
from followup.checkin import day_text, due_at, read_answer
from followup.clock import now, set_test_clock, today
from followup.diary import DiaryEntry
from followup.store import STALE_CLAIM, FollowupStore, database_url, waiting_files

DAY = 86400
T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone.utc).timestamp()


@pytest.fixture
def store(tmp_path):
    return FollowupStore(database_url({"dialect": "sqlite", "db": str(tmp_path / "followup.db")}))


def day(n: int) -> dt.date:
    return dt.date(2026, 3, 2) + dt.timedelta(days=n)


def test_one_entry_per_day_merged_with_a_later_message(store):
    first, new = store.save_entry("p", DiaryEntry(day=day(0), rating=4, caffeine=2), ["trigger:caffeine"], T0)
    assert new and first.rating == 4
    merged, new = store.save_entry("p", DiaryEntry(day=day(0), sleep_hours=6.5, rating=6), ["sign:cramps"], T0 + 60)
    assert not new
    assert (merged.rating, merged.caffeine, merged.sleep_hours) == (6, 2, 6.5)
    assert [e.day for e in store.entries("p")] == [day(0)]
    assert store.export("p")["diary"][0]["findings"] == ["sign:cramps", "trigger:caffeine"]


def test_entries_are_the_persons_own_oldest_first_and_delete_removes_the_last_written(store):
    store.save_entry("p", DiaryEntry(day=day(2), rating=5), [], T0 + 2 * DAY)
    store.save_entry("p", DiaryEntry(day=day(0), rating=3), [], T0 + 3 * DAY)  # yesterday's, written last
    store.save_entry("someone else", DiaryEntry(day=day(1), rating=9), [], T0)
    assert [e.day for e in store.entries("p")] == [day(0), day(2)]
    assert [e.day for e in store.entries("p", since=day(1))] == [day(2)]
    assert store.delete_last_entry("p").day == day(0)
    assert [e.day for e in store.entries("p")] == [day(2)]
    assert store.delete_last_entry("nobody") is None


def test_a_new_checkin_replaces_the_one_planned_before(store):
    store.plan_checkin("p", "telegram", T0 + 14 * DAY, "self_care", T0)
    store.plan_checkin("p", "telegram", T0 + 7 * DAY, "self_care", T0 + 60)
    statuses = [c["status"] for c in store.export("p")["checkins"]]
    assert statuses == ["cancelled", "pending"]
    assert store.open_checkin("p").due_at == T0 + 7 * DAY


def test_a_checkin_is_claimed_only_when_due_and_only_for_its_channels(store):
    store.plan_checkin("web", "socketio", T0 + DAY, None, T0)
    store.plan_checkin("tg", "telegram", T0 + DAY, None, T0)
    assert store.claim_due(T0, "w") == []
    claimed = store.claim_due(T0 + DAY, "w", channels=["telegram", "slack"])
    assert [c.person for c in claimed] == ["tg"]
    assert store.claim_due(T0 + DAY, "w", channels=["telegram"]) == []  # taken already
    assert [c.person for c in store.claim_due(T0 + DAY, "w", person="web")] == ["web"]


def test_two_servers_claiming_at_once_take_each_checkin_exactly_once(tmp_path):
    url = database_url({"dialect": "sqlite", "db": str(tmp_path / "shared.db")})
    servers = [FollowupStore(url) for _ in range(4)]
    for n in range(40):
        servers[0].plan_checkin(f"person-{n}", "telegram", T0, None, T0)
    taken, guard, barrier = [], threading.Lock(), threading.Barrier(len(servers))

    def claim(store, name):
        barrier.wait()
        for _ in range(10):
            got = store.claim_due(T0 + 1, name, channels=["telegram"], limit=5)
            with guard:
                taken.extend(c.id for c in got)

    threads = [threading.Thread(target=claim, args=(s, f"server-{i}")) for i, s in enumerate(servers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(set(taken)) and len(taken) == 40


def test_asked_checkins_are_not_claimed_again_and_a_dead_servers_claim_is_released(store):
    store.plan_checkin("a", "telegram", T0, None, T0)
    store.plan_checkin("b", "telegram", T0, None, T0)
    first = {c.person: c for c in store.claim_due(T0, "server-1")}
    store.mark_asked(first["a"].id, T0)  # asked; "b" was claimed by a server that then died
    assert store.claim_due(T0 + 60, "server-2") == []
    again = store.claim_due(T0 + STALE_CLAIM + 1, "server-2")
    assert [c.person for c in again] == ["b"]


def test_a_failed_delivery_stays_due_until_it_is_given_up(store):
    checkin = store.plan_checkin("a", "telegram", T0, None, T0)
    for _ in range(5):
        (claimed,) = store.claim_due(T0, "w")
        store.release(claimed.id)
    assert store.claim_due(T0, "w") == []
    assert store.export("a")["checkins"][0]["status"] == "failed"
    assert checkin.id == claimed.id


def test_an_answer_closes_the_open_checkin(store):
    store.plan_checkin("a", "slack", T0, "routine", T0)
    (claimed,) = store.claim_due(T0, "w")
    store.mark_asked(claimed.id, T0)
    assert store.answer_checkin("a", "settled").id == claimed.id
    assert store.open_checkin("a") is None
    assert store.export("a")["checkins"][0]["answer"] == "settled"


def test_forget_deletes_every_row_of_the_person_and_no_one_elses(store):
    store.save_entry("a", DiaryEntry(day=day(0), rating=2), [], T0)
    store.plan_checkin("a", "telegram", T0 + DAY, None, T0)
    token = store.put_file("a", "report.pdf", "application/pdf", b"%PDF-a", T0, 1800)
    store.save_entry("b", DiaryEntry(day=day(0), rating=2), [], T0)
    assert store.forget("a") == {"diary_entries": 1, "checkins": 1, "waiting_files": 1}
    assert store.take_file(token, "a", T0) is None
    assert store.export("a") == {"diary": [], "checkins": []}
    assert len(store.entries("b")) == 1


def test_purge_deletes_entries_and_checkins_older_than_the_retention(store):
    store.save_entry("a", DiaryEntry(day=day(0), rating=2), [], T0)
    store.save_entry("a", DiaryEntry(day=day(40), rating=3), [], T0 + 40 * DAY)
    store.plan_checkin("a", "telegram", T0 + DAY, None, T0)
    store.plan_checkin("b", "telegram", T0 + 50 * DAY, None, T0)  # still to come
    now_ = T0 + 45 * DAY
    assert store.count_older_than(30, now_) == {"diary_entries": 1, "checkins": 1}
    assert store.purge(30, now_) == {"diary_entries": 1, "checkins": 1, "waiting_files": 0}
    assert [e.day for e in store.entries("a")] == [day(40)]
    assert store.open_checkin("b") is not None


def test_the_export_is_json(store):
    store.save_entry("a", DiaryEntry(day=day(0), rating=2, note="calves"), ["symptom:twitching"], T0)
    store.plan_checkin("a", "socketio", due_at(day(14)), "self_care", T0)
    exported = json.loads(json.dumps(store.export("a")))
    assert exported["diary"][0]["day"] == "2026-03-02"
    assert exported["checkins"][0]["due"].startswith("2026-03-16T09:00")


def test_the_database_is_the_tracker_stores():
    assert database_url({"dialect": "sqlite", "db": "var/tracker.db"}).database.endswith("/var/tracker.db")
    url = database_url({"dialect": "postgresql", "url": "db.example", "port": "5432", "db": "bfs", "username": "u"})
    assert (url.drivername, url.host, url.port, url.database, url.username) == (
        "postgresql",
        "db.example",
        5432,
        "bfs",
        "u",
    )


# --- the test clock


def test_the_test_clock_is_the_file_and_the_real_clock_without_it(tmp_path):
    clock = tmp_path / "clock.txt"
    env = {"BFS_TEST_CLOCK": str(clock)}
    assert abs(now(env) - now({})) < 5  # no file yet: the real clock
    set_test_clock(clock, dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.timezone.utc))
    assert today(env) == dt.date(2026, 3, 2)
    assert now(env) == dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.timezone.utc).timestamp()


# --- check-in answers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("it has settled", "settled"),
        ("pretty much gone now, thanks!", "settled"),
        ("much better, only the odd twitch", "settled"),
        ("nothing new, it's gone", "settled"),
        ("about the same really", "same"),
        ("still twitching in my calves, no change", "same"),
        ("worse, it has spread to my arms", "worse"),
        ("there's a new twitch in my tongue", "worse"),
        ("better, but my hand feels weak now", "worse"),
        ("not worse, just the same", "same"),
        ("not worse", "same"),
        ("no new symptoms", "same"),
        ("it hasn't stopped", "same"),
        ("not gone", "same"),
        ("it's not gone yet", "same"),
        ("no better", "same"),
        ("not really better", "same"),
        ("it has not settled", "same"),
        ("no, it hasn't gone away", "same"),
        ("not fine", "same"),
        ("hardly changed", "same"),
        ("barely any change", "same"),
        ("not bad, it's mostly gone", "settled"),
        ("hmm", None),
        ("what?", None),
    ],
)
def test_a_checkin_answer_in_words(text, expected):
    assert read_answer(text) == expected


def test_a_sign_the_clinical_core_heard_is_a_change_whatever_the_words():
    assert read_answer("all fine except my speech is slurred", new_signs=True) == "worse"


def test_a_checkin_is_sent_in_the_morning_of_its_day():
    assert dt.datetime.fromtimestamp(due_at(day(14)), tz=dt.timezone.utc).hour == 9
    assert day_text(day(14)) == "Monday 16 March"


# --- attachments


def test_a_data_url_is_bytes_to_upload_and_any_other_url_is_left_alone():
    png = b"\x89PNG\r\n\x1a\nrest"
    attached = from_data_url("data:image/png;base64," + base64.b64encode(png).decode(), stem="chart")
    assert attached == ("chart.png", "image/png", png)
    assert from_data_url("https://example.org/a.png") is None


def test_a_file_payload_is_found_in_the_custom_message():
    payload = {"data": {"file": {"name": "x.json", "mime_type": "application/json", "data_base64": "e30="}}}
    assert file_in(payload) == ("x.json", "application/json", b"{}")
    assert file_in({"data": {"conversation_deleted": True}}) is None


def test_rasas_own_reminders_live_in_memory_which_is_why_checkins_are_in_the_database():
    """Rasa 3.6's reminders (rasa/core/jobs.py) use an APScheduler with its default,
    in-memory job store: gone after a restart, and one per server."""
    from apscheduler.jobstores.memory import MemoryJobStore
    from rasa.core import jobs

    async def rasas_scheduler():
        scheduler = await jobs.scheduler()
        stores = list(scheduler._jobstores.values())
        jobs.kill_scheduler()
        return stores

    stores = asyncio.run(rasas_scheduler())
    assert stores and all(isinstance(store, MemoryJobStore) for store in stores)


def test_a_waiting_file_is_handed_out_once_and_only_to_its_conversation(store):
    token = store.put_file("a", "report.pdf", "application/pdf", b"%PDF-1.4 a", T0, 1800)
    assert len(token) >= 40
    assert store.take_file(token, "b", T0 + 1) is None  # another conversation
    assert store.take_file(token + "x", "a", T0 + 1) is None  # a wrong token
    taken = store.take_file(token, "a", T0 + 1)
    assert (taken.name, taken.mime_type, taken.data) == ("report.pdf", "application/pdf", b"%PDF-1.4 a")
    assert store.take_file(token, "a", T0 + 2) is None  # once


def test_a_waiting_file_is_gone_when_its_window_closes_and_only_its_hash_is_stored(store):
    token = store.put_file("a", "report.pdf", "application/pdf", b"%PDF-1.4 a", T0, 1800)
    with store.engine.connect() as db:
        stored = db.execute(sa.select(waiting_files.c.token_hash)).scalars().all()
    assert stored and token not in stored
    assert store.drop_expired_files(T0 + 1799) == 0
    assert store.take_file(token, "a", T0 + 1800) is None  # the window has closed
    assert store.drop_expired_files(T0 + 1800) == 1


def test_a_new_report_replaces_the_persons_earlier_waiting_files_only(store):
    old = store.put_file("a", "report.pdf", "application/pdf", b"%PDF old", T0, 1800)
    theirs = store.put_file("b", "report.pdf", "application/pdf", b"%PDF b", T0, 1800)
    pdf = store.put_file("a", "report.pdf", "application/pdf", b"%PDF new", T0 + 60, 1800)
    fhir = store.put_file("a", "report.fhir.json", "application/fhir+json", b"{}", T0 + 60, 1800)
    assert store.take_file(old, "a", T0 + 61) is None
    assert store.take_file(pdf, "a", T0 + 61).data == b"%PDF new" and store.take_file(fhir, "a", T0 + 61)
    assert store.take_file(theirs, "b", T0 + 61).data == b"%PDF b"
