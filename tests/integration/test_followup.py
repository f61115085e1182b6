"""The diary and check-ins through the real servers, on a test clock.

The servers read "now" from a file the tests write (followup/clock.py), so two
weeks of diary entries and a check-in due in a fortnight take seconds. The
check-in scheduler (channels/checkins.py) looks for due check-ins every second.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
import time

import pytest
import requests
from fake_apis import TELEGRAM_SECRET_TOKEN
from support import say, texts, tracker

from channels.telegram import SECRET_HEADER
from followup.clock import set_test_clock

START = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone.utc)  # a Monday
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def at(servers, day: int, hour: int = 12) -> dt.datetime:
    """Moves the servers' clock to `day` days after START."""
    moment = START + dt.timedelta(days=day, hours=hour - 12)
    set_test_clock(servers["clock"], moment)
    return moment


def rows(servers, table: str, person: str) -> list:
    with sqlite3.connect(servers["tracker_db"]) as db:
        return db.execute(f"SELECT * FROM {table} WHERE person = ?", (person,)).fetchall()  # noqa: S608 (table is ours)


def checkin_status(servers, person: str) -> list:
    with sqlite3.connect(servers["tracker_db"]) as db:
        return [r[0] for r in db.execute("SELECT status FROM bfs_checkins WHERE person = ? ORDER BY id", (person,))]


# Two weeks as a person might log them: four short nights with worse twitching.
SHORT_NIGHTS = {2, 5, 9, 12}


def entry_text(day: int) -> str:
    if day in SHORT_NIGHTS:
        return f"log today: twitching 7/10 in both calves, {3 + day % 2} coffees, slept 5 hours, stressed"
    return f"diary entry: calves twitching 3 out of 10, {day % 2 + 1} coffee, slept 8 hours"


def test_two_weeks_of_diary_entries_give_a_chart_and_true_observations(servers):
    person = "diary-two-weeks"
    for day in range(14):
        at(servers, day)
        reply = texts(say(servers, person, entry_text(day)))
        assert "Saved in your diary for today" in reply, (day, reply)
    assert len(rows(servers, "bfs_diary_entries", person)) == 14

    at(servers, 13, hour=18)
    replies = say(servers, person, "show my diary")
    shown = texts(replies)
    images = [r["image"] for r in replies if r.get("image")]
    assert len(images) == 1 and images[0].startswith("data:image/png;base64,")
    assert base64.b64decode(images[0].split(",", 1)[1])[:8] == PNG_MAGIC
    # The chart in words, for screen readers, and what the entries show, with their numbers.
    assert "Chart:" in shown and "14" in shown
    assert "4 days" in shown and "7.0" in shown and "3.0" in shown, shown
    assert "not causes" in shown
    assert not any(word in shown.lower() for word in ("caused by", "because of your", "due to your"))
    # No diary text in the servers' logs.
    for log in servers["logs"].values():
        assert "both calves" not in log.read_text(errors="replace"), log.name


def test_a_second_entry_the_same_day_updates_it_and_delete_removes_the_last(servers):
    person = "diary-edit"
    at(servers, 30)
    say(servers, person, "log today: twitching 4/10 in my left eyelid, 2 coffees")
    reply = texts(say(servers, person, "update today's entry: slept 6 hours, twitching 6/10"))
    assert "Updated your diary for today" in reply and "6/10" in reply
    assert len(rows(servers, "bfs_diary_entries", person)) == 1
    assert "Deleted your diary entry for today" in texts(say(servers, person, "delete my last entry"))
    assert rows(servers, "bfs_diary_entries", person) == []


def test_a_red_flag_in_a_diary_entry_gets_the_emergency_in_the_same_turn(servers):
    person = "diary-red-flag"
    at(servers, 31)
    reply = texts(
        say(servers, person, "log today: twitching 5/10, and an hour ago my face started drooping on one side")
    )
    assert "call your local emergency number" in reply.lower() or "emergency number now" in reply.lower()
    assert tracker(servers, person)["slots"]["triage_level"] == "emergency"


def test_a_new_urgent_sign_in_an_entry_is_saved_and_starts_a_short_recheck(servers):
    person = "diary-urgent"
    at(servers, 32)
    reply = texts(
        say(
            servers,
            person,
            "log today: twitching 4/10 in my right hand, and for the past two weeks I keep dropping cups "
            "because my grip is getting weaker",
        )
    )
    assert "Saved in your diary" in reply
    assert "a few quick questions" in reply
    assert tracker(servers, person)["active_loop"].get("name") == "symptom_check_form"


def test_diary_requests_during_the_symptom_check_are_done_and_the_check_goes_on(servers):
    """The three messages that were lost mid-check when this was first tried as a person."""
    person = "diary-mid-check"
    at(servers, 34)
    first = texts(
        say(
            servers,
            person,
            "ok so my eye and my thumb have been twitching for like 10 days now, i've been drinking way too "
            "much monster. can i start some kind of log so i can show my gp??",
        )
    )
    assert "About a diary: yes" in first and "even in the middle of the" in first
    state = tracker(servers, person)
    assert state["active_loop"].get("name") == "symptom_check_form"
    asked = state["slots"]["requested_slot"]

    entry = texts(say(servers, person, "diary: eye flicker 5/10, 3 monsters, slept 6 hours"))
    assert "Saved in your diary for today" in entry and "didn't quite get that" not in entry
    (row,) = rows(servers, "bfs_diary_entries", person)
    state = tracker(servers, person)
    assert state["active_loop"].get("name") == "symptom_check_form"
    assert state["slots"]["requested_slot"] == asked  # the same question again, nothing skipped

    shown = texts(say(servers, person, "show me how its been"))
    assert "didn't quite get that" not in shown and "rated 5 out of 10" in shown
    assert tracker(servers, person)["active_loop"].get("name") == "symptom_check_form"


def test_export_my_data_sends_the_diary_and_checkins_as_a_json_file(servers):
    person = "diary-export"
    at(servers, 33)
    say(servers, person, "log today: twitching 2/10 in my thigh, slept 7 hours")
    say(servers, person, '/plan_checkin{"checkin_in_days": "10"}')
    replies = say(servers, person, "export my data")
    files = [r["custom"]["data"]["file"] for r in replies if (r.get("custom") or {}).get("data", {}).get("file")]
    assert len(files) == 1 and files[0]["mime_type"] == "application/json"
    document = json.loads(base64.b64decode(files[0]["data_base64"]))
    assert [e["rating"] for e in document["diary"]] == [2.0]
    assert document["checkins"][0]["status"] == "pending"


def test_forget_me_leaves_no_diary_row_and_no_pending_checkin(servers):
    person = "diary-forget"
    at(servers, 34)
    say(servers, person, "log today: twitching 5/10 in my calves, 3 coffees")
    say(servers, person, '/plan_checkin{"checkin_in_days": "14"}')
    assert rows(servers, "bfs_diary_entries", person) and rows(servers, "bfs_checkins", person)
    say(servers, person, "forget me")
    assert "deleted our conversation, your diary" in texts(say(servers, person, "yes"))
    assert rows(servers, "bfs_diary_entries", person) == []
    assert rows(servers, "bfs_checkins", person) == []


def test_a_checkin_due_is_asked_at_the_next_visit_on_the_website_and_closes_kindly(servers):
    person = "checkin-visit"
    at(servers, 40)
    planned = texts(say(servers, person, "could you check in with me in 10 days?"))
    assert "I'll check in on" in planned
    at(servers, 45)
    assert "How is it now?" not in texts(say(servers, person, "/check_in"))  # not due yet
    at(servers, 51)
    assert "How is it now?" in texts(say(servers, person, "/check_in"))
    assert "good to hear" in texts(say(servers, person, "it's pretty much gone now, thanks"))
    assert checkin_status(servers, person) == ["answered"]


def test_a_checkin_answer_that_shows_change_is_triaged_again(servers):
    person = "checkin-worse"
    at(servers, 60)
    say(servers, person, '/plan_checkin{"checkin_in_days": "14"}')
    at(servers, 75)
    say(servers, person, "/check_in")
    reply = texts(say(servers, person, "worse, it has spread to my arms and back"))
    assert "go through the questions again" in reply
    assert tracker(servers, person)["active_loop"].get("name") == "symptom_check_form"


def telegram_update(update_id: int, chat_id: int, text: str) -> dict:
    user = {"id": chat_id, "is_bot": False, "first_name": "Sam"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1700000000,
            "chat": {"id": chat_id, "type": "private"},
            "from": user,
            "text": text,
        },
    }


def telegram_texts(api, chat_id: int) -> list:
    return [c["text"] for c in api.calls_of("sendMessage") if str(c.get("chat_id")) == str(chat_id)]


def wait_for(condition, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def test_a_due_checkin_reaches_telegram_as_a_bot_message_once(servers, telegram_api):
    chat = 777001
    at(servers, 90)
    headers = {SECRET_HEADER: TELEGRAM_SECRET_TOKEN}
    post = requests.post(
        servers["telegram"],
        json=telegram_update(1, chat, '/plan_checkin{"checkin_in_days": "3"}'),
        headers=headers,
        timeout=60,
    )
    assert post.status_code == 200
    assert wait_for(lambda: any("I'll check in on" in t for t in telegram_texts(telegram_api, chat)))
    time.sleep(2)
    assert not any("How is it now?" in t for t in telegram_texts(telegram_api, chat))  # not due yet

    at(servers, 94)
    assert wait_for(lambda: any("How is it now?" in t for t in telegram_texts(telegram_api, chat)))
    time.sleep(3)  # more rounds of the scheduler: it is asked once
    assert sum("How is it now?" in t for t in telegram_texts(telegram_api, chat)) == 1
    assert checkin_status(servers, str(chat)) == ["asked"]

    requests.post(servers["telegram"], json=telegram_update(2, chat, "about the same"), headers=headers, timeout=60)
    assert wait_for(lambda: any("routine appointment" in t for t in telegram_texts(telegram_api, chat)))
    assert checkin_status(servers, str(chat)) == ["answered"]


@pytest.fixture(autouse=True)
def real_clock_after(servers):
    yield
    servers["clock"].write_text("")


def test_the_chart_and_the_export_reach_telegram_as_a_photo_and_a_document(servers, telegram_api):
    chat, headers = 777002, {SECRET_HEADER: TELEGRAM_SECRET_TOKEN}
    for update_id, (day, text) in enumerate(
        [(100, "log today: twitching 6/10, slept 5 hours"), (101, "log today: twitching 2/10, slept 8 hours")], start=10
    ):
        at(servers, day)
        post = requests.post(
            servers["telegram"], json=telegram_update(update_id, chat, text), headers=headers, timeout=60
        )
        assert post.status_code == 200
        assert wait_for(
            lambda: sum("Saved in your diary" in t for t in telegram_texts(telegram_api, chat)) == update_id - 9
        )
    requests.post(servers["telegram"], json=telegram_update(12, chat, "show my diary"), headers=headers, timeout=60)
    requests.post(servers["telegram"], json=telegram_update(13, chat, "export my data"), headers=headers, timeout=60)

    def sent(method):
        return [c for c in telegram_api.calls_of(method) if str(c.get("chat_id")) == str(chat)]

    assert wait_for(lambda: sent("sendPhoto") and sent("sendDocument"))
    (photo,) = sent("sendPhoto")
    assert photo["photo"]["filename"].endswith(".png") and photo["photo:bytes"][:8] == PNG_MAGIC
    (document,) = sent("sendDocument")
    assert document["document"]["filename"] == "twitch-assistant-my-data.json"
    assert [e["rating"] for e in json.loads(document["document:bytes"])["diary"]] == [6.0, 2.0]


def test_the_chart_reaches_slack_as_an_uploaded_file(servers, slack_api):
    from test_slack import event, post_event, posts_to

    for count, (day, text) in enumerate(
        [(110, "log today: twitching 5/10 in my calves"), (111, "log today: twitching 3/10 in my calves")], start=1
    ):
        at(servers, day)
        assert post_event(servers, event(f"EvDiary{count}", "D900", text)).status_code == 200
        # Slack's events are answered at once and handled after: wait for the reply.
        assert wait_for(
            lambda: sum(
                "Saved in your diary" in (c.get("text") or "") for c in posts_to(slack_api, "D900", 0, timeout=0)
            )
            == count
        )
    assert post_event(servers, event("EvDiary3", "D900", "show my diary")).status_code == 200

    def completed():  # this conversation's uploads (other tests upload to the same fake)
        return [c for c in slack_api.calls_of("files.completeUploadExternal") if c.get("channel_id") == "D900"]

    assert wait_for(completed)
    uploaded = [c for c in slack_api.calls_of("F0TEST")]
    assert uploaded and (uploaded[-1].get("bytes") or uploaded[-1].get("file", {}).get("size"))
