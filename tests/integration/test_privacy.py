"""Conversations are kept in SQL, deleted for real on "forget me", and purged after the retention time."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from support import ROOT, say, texts

from stores.tracker_store import PrivateSQLTrackerStore

DAY = 86400


def stored_events(db, sender: str) -> list:
    with sqlite3.connect(db) as connection:
        return [
            row[0]
            for row in connection.execute("SELECT type_name FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        ]


def test_conversations_are_stored_in_sqlite(servers):
    say(servers, "keeper", "can coffee cause twitching?")
    events = stored_events(servers["tracker_db"], "keeper")
    assert events[:2] == ["action", "session_started"] and "user" in events and "bot" in events


def test_forget_me_deletes_the_conversation_from_the_store(servers):
    say(servers, "forgotten", "my eyelid has been twitching for 2 weeks")
    assert "user" in stored_events(servers["tracker_db"], "forgotten")
    assert "Do you want me to forget everything" in texts(say(servers, "forgotten", "forget me"))
    done = texts(say(servers, "forgotten", "yes"))
    assert "deleted our conversation" in done
    assert stored_events(servers["tracker_db"], "forgotten") == []
    # The next message starts a new conversation with nothing of the old one.
    say(servers, "forgotten", "what is bfs?")
    with sqlite3.connect(servers["tracker_db"]) as connection:
        stored = " ".join(row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = 'forgotten'"))
    assert "eyelid" not in stored and "what is bfs?" in stored


def test_declining_forget_me_keeps_everything(servers):
    say(servers, "undecided", "can stress cause twitching?")
    before = len(stored_events(servers["tracker_db"], "undecided"))
    say(servers, "undecided", "please delete my data")
    assert "keep our conversation" in texts(say(servers, "undecided", "no"))
    assert len(stored_events(servers["tracker_db"], "undecided")) > before


# --- the store itself, on a file of its own


@pytest.fixture
def store(tmp_path):
    return PrivateSQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")), db=str(tmp_path / "var" / "t.db"))


def conversation(sender: str, at: float, *extra) -> DialogueStateTracker:
    events = [
        UserUttered("hello", timestamp=at),
        ActionExecuted("utter_greet", timestamp=at),
        BotUttered("hi", timestamp=at),
        *extra,
    ]
    return DialogueStateTracker.from_events(sender, events)


def run(coroutine):
    import asyncio

    return asyncio.run(coroutine)


def test_only_a_restart_after_the_forget_action_deletes(store):
    now = time.time()
    run(
        store.save(
            conversation("restarted", now, ActionExecuted("action_restart", timestamp=now), Restarted(timestamp=now))
        )
    )
    assert run(store.retrieve("restarted")) is not None
    run(
        store.save(
            conversation(
                "forgotten",
                now,
                ActionExecuted("action_forget_conversation", timestamp=now),
                BotUttered("Done", timestamp=now),
                Restarted(timestamp=now),
            )
        )
    )
    assert run(store.retrieve("forgotten")) is None
    declined = conversation(
        "declined",
        now,
        ActionExecuted("action_forget_conversation", timestamp=now),
        ActionExecuted("action_listen", timestamp=now),
        Restarted(timestamp=now),
    )
    run(store.save(declined))
    assert run(store.retrieve("declined")) is not None


def test_the_store_reads_and_writes_the_rows_rasas_own_sql_store_does(store, tmp_path):
    """Our store uses its own Core statements; Rasa's SQLTrackerStore is the reference."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import SessionStarted, SlotSet

    reference = SQLTrackerStore(domain=store.domain, db=str(tmp_path / "reference.db"))
    turns = [
        [
            ActionExecuted("action_session_start", timestamp=1.0),
            SessionStarted(timestamp=1.0),
            ActionExecuted("action_listen", timestamp=1.0),
        ],
        [
            UserUttered("my calf twitches", {"name": "report_symptom", "confidence": 0.99}, timestamp=2.0),
            SlotSet("body_location", "calf", timestamp=2.0),
            ActionExecuted("utter_ask_duration", timestamp=2.0),
            BotUttered("How long?", timestamp=2.0),
        ],
        [],  # Rasa saves the same tracker twice in some turns
        [
            ActionExecuted("action_session_start", timestamp=9.0),
            SessionStarted(timestamp=9.0),
            UserUttered("hello again", {"name": "greet", "confidence": 0.98}, timestamp=9.5),
        ],
        [ActionExecuted("utter_greet", timestamp=9.6), BotUttered("Hi!", timestamp=9.6)],
    ]
    for sender in ("a", "b"):
        for each in (store, reference):
            for turn in turns:  # as Rasa's processor does: retrieve, update, save
                tracker = run(each.retrieve(sender)) or DialogueStateTracker(sender, store.domain.slots)
                for event in turn:
                    tracker.update(event)
                run(each.save(tracker))

    def rows(db):
        with sqlite3.connect(db) as connection:
            return connection.execute(
                "SELECT sender_id, type_name, timestamp, intent_name, action_name, data " "FROM events ORDER BY id"
            ).fetchall()

    ours = rows(tmp_path / "var" / "t.db")
    assert ours == rows(tmp_path / "reference.db") and len(ours) == 2 * sum(map(len, turns))
    for sender in ("a", "b", "nobody"):
        for method in ("retrieve", "retrieve_full_tracker"):
            got, expected = (run(getattr(each, method)(sender)) for each in (store, reference))
            assert (got and got.current_state()) == (expected and expected.current_state())
    assert [e.text for e in run(store.retrieve("a")).events if isinstance(e, UserUttered)] == ["hello again"]
    assert len(run(store.retrieve_full_tracker("a")).events) == sum(map(len, turns))


def test_retention_deletes_whole_conversations_whose_last_message_is_old(store):
    now = time.time()
    run(store.save(conversation("old", now - 40 * DAY)))
    recent = conversation("old-but-active", now - 40 * DAY)
    recent.update(UserUttered("still here", timestamp=now - DAY))
    run(store.save(recent))
    run(store.save(conversation("new", now)))
    assert store.count_older_than(30, now=now) == 1
    assert store.delete_older_than(30, now=now) == 1
    assert run(store.retrieve("old")) is None
    kept = run(store.retrieve("old-but-active"))
    assert [e.text for e in kept.events if isinstance(e, UserUttered)] == ["hello", "still here"]
    assert run(store.retrieve("new")) is not None


def test_make_purge_uses_the_configured_store(store, tmp_path):
    now = time.time()
    run(store.save(conversation("stale", now - 10 * DAY)))
    run(store.save(conversation("fresh", now)))
    env = dict(os.environ, TRACKER_DB=str(tmp_path / "var" / "t.db"), SQLALCHEMY_SILENCE_UBER_WARNING="1")
    purge = [sys.executable, "-m", "deploy.purge", "--endpoints", str(ROOT / "endpoints.yml")]

    dry = subprocess.run(purge + ["--days", "7", "--dry-run"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert dry.returncode == 0 and dry.stdout.startswith("1 conversation(s)") and "would be deleted" in dry.stdout
    assert run(store.retrieve("stale")) is not None

    done = subprocess.run(purge + ["--days", "7"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("Deleted 1 conversation(s)")
    assert run(store.retrieve("stale")) is None and run(store.retrieve("fresh")) is not None

    for bad in ("0", "-3", "soon"):
        refused = subprocess.run(purge + ["--days", bad], cwd=ROOT, env=env, capture_output=True, text=True)
        assert refused.returncode == 2 and "--days" in refused.stderr


def test_endpoints_template_defaults_to_sqlite_in_var():
    from deploy.config import build_config

    endpoints, notes = build_config(yaml.safe_load((ROOT / "endpoints.yml").read_text()), {})
    assert notes == ["lock_store left out: REDIS_HOST not set"]  # one server: Rasa's in-memory lock
    assert endpoints["tracker_store"]["type"] == "stores.tracker_store.PrivateSQLTrackerStore"
    assert endpoints["tracker_store"]["dialect"] == "sqlite" and endpoints["tracker_store"]["db"] == "var/tracker.db"
    assert endpoints["tracker_store"]["url"] == ""
    assert endpoints["action_endpoint"]["url"] == "http://127.0.0.1:5055/webhook"
    assert "var/" in (ROOT / ".gitignore").read_text().split()
