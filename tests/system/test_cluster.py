"""Two Rasa replicas on PostgreSQL and Redis behind nginx (deploy/cluster.py, `make cluster`).

One conversation is sent alternately to both replicas, a whole symptom check
included; messages arriving at the same moment on both are handled one after
the other (the Redis lock); a check-in that comes due is asked exactly once
although both replicas look for it, and not again after both restart; a
replica is killed mid-conversation and the other carries on with nothing lost.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
import yaml
from support import ROOT, fetch_tracker, free_port, post_message, texts

TOKEN = "cluster-test-token-not-secret"
VIGNETTES = yaml.safe_load((ROOT / "tests" / "vignettes.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cluster(model_path, telegram_api):
    from deploy.cluster import PG_BIN, Cluster

    needed = (
        ("postgresql", PG_BIN / "postgres"),
        ("redis-server", shutil.which("redis-server")),
        ("nginx", shutil.which("nginx") or "/usr/sbin/nginx"),
    )
    missing = [name for name, path in needed if not path or not Path(path).exists()]
    if missing:
        pytest.fail(f"Debian packages missing: {', '.join(missing)}; run `make system-packages` (make test does it)")
    # Not under pytest's tmp folder: that one is private to root, and PostgreSQL
    # (run as the postgres user when the tests run as root) must reach its data.
    root = Path(tempfile.mkdtemp(prefix="bfs-cluster-"))
    root.chmod(0o755)
    from fake_apis import TELEGRAM_BOT_NAME, TELEGRAM_SECRET_TOKEN, TELEGRAM_TOKEN

    telegram = {
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_BOT_NAME": TELEGRAM_BOT_NAME,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example/webhooks/telegram/webhook",
        "TELEGRAM_API_BASE_URL": telegram_api.url,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET_TOKEN,
    }
    # Check-ins run on a test clock (followup/clock.py) and are looked for every second.
    follow_up = {"BFS_TEST_CLOCK": str(root / "clock.txt"), "BFS_CHECKIN_POLL_SECONDS": "1"}
    running = Cluster(
        root, replicas=2, port=free_port(), model=model_path, api_token=TOKEN, env={**telegram, **follow_up}
    )
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(root, ignore_errors=True)


def say(url: str, sender: str, message: str) -> str:
    return texts(post_message(f"{url}/webhooks/rest/webhook", sender, message, timeout=120))


def tracker(url: str, sender: str) -> dict:
    return fetch_tracker(url, sender, TOKEN)


def user_texts(events: list) -> list:
    return [e["text"] for e in events if e["event"] == "user"]


def stored_user_texts(cluster, sender: str) -> list:
    """Straight from PostgreSQL, in insertion order."""
    rows = cluster._psql(
        "SELECT data::json->>'text' FROM events " f"WHERE sender_id = '{sender}' AND type_name = 'user' ORDER BY id"
    )
    return rows.splitlines() if rows else []


def test_a_symptom_check_alternating_between_replicas_keeps_every_event_in_order(cluster):
    vignette = next(v for v in VIGNETTES["vignettes"] if v["level"] == "self_care" and "answers" not in v)
    answers = VIGNETTES["defaults"]
    replicas = [cluster.replica_url(0), cluster.replica_url(1)]
    sender, sent = "cluster-check", [vignette["text"]]
    say(replicas[0], sender, vignette["text"])
    for turn in range(1, 12):
        slots = tracker(replicas[turn % 2], sender)["slots"]
        if slots.get("triage_level") or not slots.get("requested_slot"):
            break
        sent.append(answers[slots["requested_slot"]])
        say(replicas[turn % 2], sender, sent[-1])

    on_first, on_second = tracker(replicas[0], sender), tracker(replicas[1], sender)
    assert on_first["slots"]["triage_level"] == vignette["level"]
    assert len(sent) >= 5  # a real check: several questions, answered on both replicas
    assert user_texts(on_first["events"]) == user_texts(on_second["events"]) == sent
    assert [e["event"] for e in on_first["events"]] == [e["event"] for e in on_second["events"]]
    assert stored_user_texts(cluster, sender) == sent


def test_messages_at_the_same_moment_on_both_replicas_are_handled_one_at_a_time(cluster):
    sender = "cluster-simultaneous"
    say(cluster.replica_url(0), sender, "hello")
    barrier = threading.Barrier(2)

    def send(index: int, message: str) -> None:
        barrier.wait()
        say(cluster.replica_url(index), sender, message)

    threads = [
        threading.Thread(target=send, args=(0, "can coffee cause twitching?")),
        threading.Thread(target=send, args=(1, "what is bfs?")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    events = tracker(cluster.replica_url(1), sender)["events"]
    kinds = [e["event"] for e in events]
    users = [i for i, kind in enumerate(kinds) if kind == "user"]
    assert len(users) == 3 and sorted(user_texts(events)[1:]) == ["can coffee cause twitching?", "what is bfs?"]
    # Each message was answered before the next was read: a bot reply and a listen in between.
    for start, end in zip(users, users[1:] + [len(kinds)], strict=True):
        between = kinds[start + 1 : end]
        assert "bot" in between and between[-1] == "action", kinds
    assert stored_user_texts(cluster, sender) == user_texts(events)


def test_tickets_stay_unique_when_many_servers_ask_at_once(cluster):
    """Rasa's RedisLockStore reads and writes a lock in two steps; ours in one transaction."""
    from stores.lock_store import AtomicRedisLockStore

    servers = [AtomicRedisLockStore(host="127.0.0.1", port=cluster.redis_port, db=2) for _ in range(8)]
    issued, barrier, guard = [], threading.Barrier(len(servers)), threading.Lock()

    def take_tickets(store) -> None:
        barrier.wait()
        for _ in range(25):
            ticket = store.issue_ticket("race", 60)
            with guard:
                issued.append(ticket)

    threads = [threading.Thread(target=take_tickets, args=(store,)) for store in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == list(range(200))
    for ticket in issued:
        servers[ticket % len(servers)].cleanup("race", ticket)
    assert servers[0].get_lock("race") is None  # the last cleanup removed the lock


def test_nginx_is_the_one_origin_for_the_page_socketio_and_webhooks(cluster):
    page = requests.get(cluster.url + "/", timeout=10)
    assert page.status_code == 200 and "Worried about muscle twitching?" in page.text
    assert requests.get(cluster.url + "/config.json", timeout=10).json()["socketUrl"] == cluster.url
    handshake = requests.get(
        cluster.url + "/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": cluster.url},
        timeout=10,
    )
    assert handshake.status_code == 200 and '"sid"' in handshake.text
    assert "Source:" in say(cluster.url, "cluster-nginx", "how is BFS different from ALS?")
    assert requests.get(cluster.url + "/status", timeout=10).status_code == 401


def test_a_due_checkin_is_asked_once_by_two_replicas_and_not_again_after_a_restart(cluster, telegram_api):
    import datetime as dt

    from fake_apis import TELEGRAM_SECRET_TOKEN

    from channels.telegram import SECRET_HEADER
    from followup.clock import set_test_clock

    chat, clock = 880001, cluster.root / "clock.txt"
    start = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.timezone.utc)
    set_test_clock(clock, start)

    def sent() -> list:
        return [c["text"] for c in telegram_api.calls_of("sendMessage") if str(c.get("chat_id")) == str(chat)]

    def asked() -> int:
        return sum("How is it now?" in text for text in sent())

    def wait_for(condition, timeout: float = 30) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not condition():
            time.sleep(0.25)
        return condition()

    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "Sam"},
            "text": '/plan_checkin{"checkin_in_days": "14"}',
        },
    }
    webhook = cluster.replica_url(0) + "/webhooks/telegram/webhook"
    assert requests.post(webhook, json=update, headers={SECRET_HEADER: TELEGRAM_SECRET_TOKEN}, timeout=60).ok
    assert wait_for(lambda: any("I'll check in on" in text for text in sent()))

    set_test_clock(clock, start + dt.timedelta(days=15))
    assert wait_for(lambda: asked() >= 1)
    time.sleep(4)  # both replicas have looked several times since
    assert asked() == 1
    assert cluster._psql(f"SELECT status FROM bfs_checkins WHERE person = '{chat}'") == "asked"

    for index in (0, 1):  # both replicas restart: nothing is asked twice
        cluster.kill(f"rasa-{index + 1}")
        cluster.start_replica(index)
    for index in (0, 1):
        cluster.wait_for_replica(index)
    time.sleep(4)
    assert asked() == 1


def test_a_replica_dies_mid_conversation_and_the_other_carries_on(cluster):
    sender = "cluster-crash"
    first = "my left calf has twitched for 3 weeks"
    question = say(cluster.replica_url(1), sender, first)
    assert "weakness" in question
    cluster.kill("rasa-2")
    # The surviving replica goes on with the same check, and nginx sends everything there.
    follow_up = say(cluster.replica_url(0), sender, "no")
    assert "Hi, I'm a guide" not in follow_up and "?" in follow_up
    for message in ["no, none of these", "gradually over a few weeks"]:
        assert say(cluster.url, sender, message).strip()
    assert user_texts(tracker(cluster.replica_url(0), sender)["events"]) == [
        first,
        "no",
        "no, none of these",
        "gradually over a few weeks",
    ]
    assert stored_user_texts(cluster, sender) == [first, "no", "no, none of these", "gradually over a few weeks"]
