"""Where the diary, the check-ins and reports waiting for download are kept: the
conversations' own database.

The same database as the tracker store (endpoints.yml's `tracker_store`, built
from the same environment), in three tables of its own: SQLite in var/ by
default, PostgreSQL in the cluster. Rasa's reminders are not used for check-ins:
they live in one server's memory and are gone after a restart
(rasa/core/jobs.py keeps an in-memory APScheduler), while a check-in may be due
in two weeks.

A person is the conversation's sender id: a Telegram or Slack chat, or the
website's remembered id. "Forget me" deletes all three tables' rows of that person.

A report (report/) waits for its download under a random token, of which only a
hash is stored: it is handed out once, to the conversation it was made for, and
deleted then, or when its window closes (drop_expired_files, run by every Rasa
server's scheduler). Any number of servers can race for it: the DELETE that
hands it out succeeds for one of them only.

Exactly once: a due check-in is claimed with one conditional UPDATE
(`status = 'pending'` -> `'claimed'`); on PostgreSQL and SQLite alike only one
of two servers racing for the same row sees its update count as 1, so only that
one asks. A claim whose server died before asking is released after
STALE_CLAIM seconds.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional

import sqlalchemy as sa

from followup.diary import DiaryEntry

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
STALE_CLAIM = 600  # seconds a claimed check-in may wait to be asked before another server may take it
MAX_ATTEMPTS = 5  # failed deliveries before a check-in is given up

metadata = sa.MetaData()

diary_entries = sa.Table(
    "bfs_diary_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person", sa.String(255), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # DiaryEntry.as_dict() as JSON
    sa.Column("findings", sa.Text, nullable=False, default="[]"),  # the clinical core's findings, JSON
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.UniqueConstraint("person", "day", name="bfs_diary_one_entry_per_day"),
)

checkins = sa.Table(
    "bfs_checkins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person", sa.String(255), nullable=False, index=True),
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("level", sa.String(32), nullable=True),  # the triage level it follows
    sa.Column("due_at", sa.Float, nullable=False),
    # pending -> claimed -> asked -> answered; or cancelled / failed
    sa.Column("status", sa.String(16), nullable=False, default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("claimed_by", sa.String(128), nullable=True),
    sa.Column("claimed_at", sa.Float, nullable=True),
    sa.Column("asked_at", sa.Float, nullable=True),
    sa.Column("answer", sa.String(32), nullable=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Index("bfs_checkins_due", "status", "due_at"),
)

# Files made for one download (the doctor's report): the bytes until they are
# fetched once or the window closes.
waiting_files = sa.Table(
    "bfs_waiting_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # sha256 of the token, never the token
    sa.Column("person", sa.String(255), nullable=False, index=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("mime_type", sa.String(100), nullable=False),
    sa.Column("data", sa.LargeBinary, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
)

OPEN = ("pending", "claimed", "asked")


@dataclass(frozen=True)
class WaitingFile:
    name: str
    mime_type: str
    data: bytes


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CheckIn:
    id: int
    person: str
    channel: str
    level: Optional[str]
    due_at: float
    status: str

    @property
    def due_day(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.due_at, tz=dt.timezone.utc).date()


def database_url(settings: Mapping[str, Any]) -> sa.engine.URL:
    """The URL of the tracker store's database from its endpoints.yml settings."""

    def given(key: str) -> Optional[str]:
        value = settings.get(key)
        return None if value in (None, "") else str(value)

    dialect = given("dialect") or "sqlite"
    if dialect == "sqlite":
        db = Path(given("db") or "var/tracker.db")
        db = db if db.is_absolute() else ROOT / db
        db.parent.mkdir(parents=True, exist_ok=True)
        return sa.engine.URL.create("sqlite", database=str(db))
    port = given("port")
    return sa.engine.URL.create(
        dialect,
        username=given("username"),
        password=given("password"),
        host=given("url") or given("host"),
        port=int(port) if port else None,
        database=given("db"),
    )


def _tune_sqlite(connection, _record) -> None:
    # Several processes write this file (the Rasa server, the action server).
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


class FollowupStore:
    """The diary and check-in tables, through SQLAlchemy Core."""

    def __init__(self, url: Any) -> None:
        # hide_parameters: a database error never quotes a diary entry into a log.
        self.engine = sa.create_engine(url, future=True, pool_pre_ping=True, hide_parameters=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _tune_sqlite)
        try:
            metadata.create_all(self.engine, checkfirst=True)
        except sa.exc.SQLAlchemyError:
            # Another process created them at the same moment.
            metadata.create_all(self.engine, checkfirst=True)

    @classmethod
    def from_endpoints(
        cls, endpoints: Path = ROOT / "endpoints.yml", environ: Optional[Mapping[str, str]] = None
    ) -> "FollowupStore":
        """The store on the tracker store's database, configured as the servers are."""
        from deploy.config import load_config

        config, _ = load_config(endpoints, os.environ if environ is None else environ)
        return cls(database_url(config.get("tracker_store") or {}))

    # --- the diary ---------------------------------------------------------------------------

    def save_entry(self, person: str, entry: DiaryEntry, findings: Iterable[str], now: float) -> tuple:
        """Stores the day's entry, merged into one already there for that day.
        Returns (the entry as stored, whether it was new)."""
        with self.engine.begin() as db:
            row = db.execute(
                sa.select(diary_entries.c.id, diary_entries.c.data, diary_entries.c.findings).where(
                    diary_entries.c.person == person, diary_entries.c.day == entry.day
                )
            ).first()
            if row is None:
                db.execute(
                    diary_entries.insert().values(
                        person=person,
                        day=entry.day,
                        data=json.dumps(entry.as_dict()),
                        findings=json.dumps(sorted(set(findings))),
                        created_at=now,
                        updated_at=now,
                    )
                )
                return entry, True
            merged = DiaryEntry.from_dict(json.loads(row.data)).merged_with(entry)
            heard = sorted(set(json.loads(row.findings)) | set(findings))
            db.execute(
                diary_entries.update()
                .where(diary_entries.c.id == row.id)
                .values(data=json.dumps(merged.as_dict()), findings=json.dumps(heard), updated_at=now)
            )
            return merged, False

    def entries(self, person: str, since: Optional[dt.date] = None) -> List[DiaryEntry]:
        """The person's entries, oldest first."""
        query = sa.select(diary_entries.c.data).where(diary_entries.c.person == person)
        if since is not None:
            query = query.where(diary_entries.c.day >= since)
        with self.engine.connect() as db:
            rows = db.execute(query.order_by(diary_entries.c.day)).scalars().all()
        return [DiaryEntry.from_dict(json.loads(data)) for data in rows]

    def delete_last_entry(self, person: str) -> Optional[DiaryEntry]:
        """Deletes the entry written or changed last; returns it (None if there was none)."""
        with self.engine.begin() as db:
            row = db.execute(
                sa.select(diary_entries.c.id, diary_entries.c.data)
                .where(diary_entries.c.person == person)
                .order_by(diary_entries.c.updated_at.desc(), diary_entries.c.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            db.execute(diary_entries.delete().where(diary_entries.c.id == row.id))
        return DiaryEntry.from_dict(json.loads(row.data))

    # --- check-ins -----------------------------------------------------------------------------

    def plan_checkin(self, person: str, channel: str, due_at: float, level: Optional[str], now: float) -> CheckIn:
        """Plans the person's check-in; one planned before and not yet asked is replaced."""
        with self.engine.begin() as db:
            db.execute(
                checkins.update()
                .where(checkins.c.person == person, checkins.c.status == "pending")
                .values(status="cancelled")
            )
            new_id = db.execute(
                checkins.insert().values(
                    person=person,
                    channel=channel or "unknown",
                    level=level,
                    due_at=due_at,
                    status="pending",
                    attempts=0,
                    created_at=now,
                )
            ).inserted_primary_key[0]
        return CheckIn(new_id, person, channel, level, due_at, "pending")

    def open_checkin(self, person: str) -> Optional[CheckIn]:
        """The person's check-in that is planned or asked and not yet answered, if any."""
        with self.engine.connect() as db:
            row = db.execute(_latest_open(person)).first()
        return _checkin(row) if row else None

    def claim_due(
        self,
        now: float,
        worker: str,
        channels: Optional[Iterable[str]] = None,
        person: Optional[str] = None,
        limit: int = 20,
    ) -> List[CheckIn]:
        """Claims due check-ins (of these channels, or of this person) for `worker`.

        Each row is taken by a conditional UPDATE: of two servers claiming at
        once, exactly one changes it. Claims left by a server that died are
        released first."""
        self._release_stale(now)
        query = sa.select(checkins).where(checkins.c.status == "pending", checkins.c.due_at <= now)
        if channels is not None:
            query = query.where(checkins.c.channel.in_(list(channels)))
        if person is not None:
            query = query.where(checkins.c.person == person)
        if self.engine.dialect.name == "postgresql":
            # Servers polling at once look at different rows instead of queueing on the same ones.
            query = query.with_for_update(skip_locked=True)
        claimed = []
        with self.engine.begin() as db:
            candidates = db.execute(query.order_by(checkins.c.due_at).limit(limit)).all()
            for row in candidates:
                taken = db.execute(
                    checkins.update()
                    .where(checkins.c.id == row.id, checkins.c.status == "pending")
                    .values(status="claimed", claimed_by=worker, claimed_at=now, attempts=checkins.c.attempts + 1)
                ).rowcount
                if taken == 1:
                    claimed.append(CheckIn(row.id, row.person, row.channel, row.level, row.due_at, "claimed"))
        return claimed

    def mark_asked(self, checkin_id: int, now: float) -> None:
        with self.engine.begin() as db:
            db.execute(
                checkins.update()
                .where(checkins.c.id == checkin_id, checkins.c.status == "claimed")
                .values(status="asked", asked_at=now)
            )

    def release(self, checkin_id: int) -> None:
        """A delivery failed: pending again, or given up after MAX_ATTEMPTS."""
        with self.engine.begin() as db:
            db.execute(
                checkins.update()
                .where(checkins.c.id == checkin_id, checkins.c.status == "claimed")
                .values(
                    status=sa.case((checkins.c.attempts >= MAX_ATTEMPTS, "failed"), else_="pending"),
                    claimed_by=None,
                    claimed_at=None,
                )
            )

    def answer_checkin(self, person: str, answer: str) -> Optional[CheckIn]:
        """Closes the person's open check-in with their answer ("settled", "same", "worse")."""
        with self.engine.begin() as db:
            row = db.execute(_latest_open(person)).first()
            if row is None:
                return None
            db.execute(checkins.update().where(checkins.c.id == row.id).values(status="answered", answer=answer))
        return _checkin(row)

    def cancel_checkins(self, person: str) -> int:
        with self.engine.begin() as db:
            return db.execute(
                checkins.update()
                .where(checkins.c.person == person, checkins.c.status.in_(OPEN))
                .values(status="cancelled")
            ).rowcount

    def _release_stale(self, now: float) -> None:
        with self.engine.begin() as db:
            db.execute(
                checkins.update()
                .where(checkins.c.status == "claimed", checkins.c.claimed_at < now - STALE_CLAIM)
                .values(status="pending", claimed_by=None, claimed_at=None)
            )

    # --- files waiting for one download ----------------------------------------------------------

    def put_file(self, person: str, name: str, mime_type: str, data: bytes, now: float, seconds: float) -> str:
        """Keeps a file for one download by `person` within `seconds`; returns its token
        (32 random bytes, URL-safe). Expired files of anyone, and the person's files of an
        earlier request (a new report replaces them: no pile of reports per person), are
        dropped on the way."""
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as db:
            db.execute(waiting_files.delete().where(waiting_files.c.expires_at <= now))
            db.execute(waiting_files.delete().where(waiting_files.c.person == person, waiting_files.c.created_at < now))
            db.execute(
                waiting_files.insert().values(
                    token_hash=_token_hash(token),
                    person=person,
                    name=name,
                    mime_type=mime_type,
                    data=data,
                    created_at=now,
                    expires_at=now + seconds,
                )
            )
        return token

    def take_file(self, token: str, person: str, now: float) -> Optional[WaitingFile]:
        """The file for this token and conversation, handed out once and deleted; None
        for a wrong or used token, another conversation, or a closed window."""
        mine = sa.and_(
            waiting_files.c.token_hash == _token_hash(token or ""),
            waiting_files.c.person == person,
            waiting_files.c.expires_at > now,
        )
        with self.engine.begin() as db:
            row = db.execute(sa.select(waiting_files).where(mine)).first()
            if row is None or db.execute(waiting_files.delete().where(waiting_files.c.id == row.id)).rowcount != 1:
                return None
        return WaitingFile(row.name, row.mime_type, bytes(row.data))

    def drop_expired_files(self, now: float) -> int:
        with self.engine.begin() as db:
            return db.execute(waiting_files.delete().where(waiting_files.c.expires_at <= now)).rowcount

    # --- privacy -------------------------------------------------------------------------------

    def forget(self, person: str) -> Dict[str, int]:
        """Deletes every diary entry, check-in and waiting report of the person."""
        with self.engine.begin() as db:
            entries = db.execute(diary_entries.delete().where(diary_entries.c.person == person)).rowcount
            planned = db.execute(checkins.delete().where(checkins.c.person == person)).rowcount
            files = db.execute(waiting_files.delete().where(waiting_files.c.person == person)).rowcount
        if entries or planned or files:
            logger.info(
                "Forgot a person's diary (%d entries), check-ins (%d) and waiting reports (%d)", entries, planned, files
            )
        return {"diary_entries": entries, "checkins": planned, "waiting_files": files}

    def export(self, person: str) -> Dict[str, Any]:
        """Everything kept about the person in these tables, JSON-safe."""
        with self.engine.connect() as db:
            entries = db.execute(
                sa.select(diary_entries).where(diary_entries.c.person == person).order_by(diary_entries.c.day)
            ).all()
            planned = db.execute(sa.select(checkins).where(checkins.c.person == person).order_by(checkins.c.id)).all()
        return {
            "diary": [{**json.loads(r.data), "findings": json.loads(r.findings)} for r in entries],
            "checkins": [
                {
                    "due": _iso(r.due_at),
                    "status": r.status,
                    "channel": r.channel,
                    "after_result": r.level,
                    "planned_at": _iso(r.created_at),
                    "asked_at": _iso(r.asked_at),
                    "answer": r.answer,
                }
                for r in planned
            ],
        }

    def purge(self, days: float, now: float) -> Dict[str, int]:
        """Retention: deletes diary entries whose day is older than `days`, and check-ins
        closed (or due) more than `days` ago."""
        cutoff = now - days * 86400
        cutoff_day = dt.datetime.fromtimestamp(cutoff, tz=dt.timezone.utc).date()
        with self.engine.begin() as db:
            entries = db.execute(diary_entries.delete().where(diary_entries.c.day < cutoff_day)).rowcount
            planned = db.execute(checkins.delete().where(checkins.c.due_at < cutoff)).rowcount
        return {"diary_entries": entries, "checkins": planned, "waiting_files": self.drop_expired_files(now)}

    def count_older_than(self, days: float, now: float) -> Dict[str, int]:
        cutoff = now - days * 86400
        cutoff_day = dt.datetime.fromtimestamp(cutoff, tz=dt.timezone.utc).date()
        with self.engine.connect() as db:
            entries = db.execute(
                sa.select(sa.func.count()).select_from(diary_entries).where(diary_entries.c.day < cutoff_day)
            ).scalar()
            planned = db.execute(
                sa.select(sa.func.count()).select_from(checkins).where(checkins.c.due_at < cutoff)
            ).scalar()
        return {"diary_entries": entries, "checkins": planned}


@functools.lru_cache(maxsize=1)
def default_store() -> FollowupStore:
    """The store of this process, configured from endpoints.yml and the environment."""
    return FollowupStore.from_endpoints()


def _latest_open(person: str):
    """The person's latest check-in that is planned or asked and not yet answered."""
    open_ = sa.and_(checkins.c.person == person, checkins.c.status.in_(OPEN))
    return sa.select(checkins).where(open_).order_by(checkins.c.id.desc()).limit(1)


def _checkin(row) -> CheckIn:
    return CheckIn(row.id, row.person, row.channel, row.level, row.due_at, row.status)


def _iso(seconds: Optional[float]) -> Optional[str]:
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).isoformat(timespec="minutes")
