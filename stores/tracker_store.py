"""Where conversations are kept: Rasa's SQL tracker store, plus real deletion.

SQLite in `var/` by default, PostgreSQL in the cluster (endpoints.yml). When a
person confirms "forget me", `action_forget_conversation` ends with a
`Restarted` event; Rasa would then store that event after all the others. This
store deletes every row of the conversation instead, so nothing the person said
stays on the server; their next message starts a new conversation.
`delete_older_than` is the retention purge (`make purge`).

Reads and writes go through prepared SQLAlchemy Core statements rather than
ORM objects: Rasa's ORM path spent 6 ms of every message building one Python
object per stored event (`make bench`, py-spy). The rows are the same.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from pathlib import Path
from typing import Any, Dict, Iterable, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, Event, Restarted, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

FORGET_ACTION = "action_forget_conversation"


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that deletes a conversation when the person asked to be forgotten."""

    def __init__(
        self,
        domain=None,
        dialect: Text = "sqlite",
        host: Optional[Text] = None,
        port: Any = None,
        db: Text = "var/tracker.db",
        username: Optional[Text] = None,
        password: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        # endpoints.yml is a template: unset optional values arrive as "". Rasa
        # passes the endpoint's `url` as `host`.
        host, port = _blank_to_none(host), _blank_to_none(port)
        username, password = _blank_to_none(username), _blank_to_none(password)
        if dialect == "sqlite" and db:
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(
            domain=domain, dialect=dialect, host=host, port=port, db=db, username=username, password=password, **kwargs
        )
        if self.engine.dialect.name == "sqlite":
            # Rasa's engine opens the file anew for every query (NullPool); one
            # connection per thread, tuned once, is enough for one server.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.SingletonThreadPool)
            sa.event.listen(self.engine, "connect", _tune_sqlite)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self._statements = _statements(self.SQLEvent.__table__)

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        # Same rows as Rasa's `_event_query`, in the same order.
        which = "all sessions" if fetch_events_from_all_sessions else "last session"
        with self.session_scope() as session:
            rows = session.execute(self._statements[which], {"sender_id": sender_id}).scalars().all()
        if not (self.domain and rows):
            return None
        return DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        # A tracker holding a confirmed "forget me" is never stored again: any
        # save of it (Rasa may save twice in one turn) deletes instead.
        if _asks_to_forget(tracker.events):
            deleted = await self.delete(tracker.sender_id)
            if deleted:
                logger.info("Deleted a conversation on request (%d stored events)", deleted)
            return
        await self.stream_events(tracker)
        with self.session_scope() as session:
            # As Rasa does: the stored events of the last session are a prefix of
            # the tracker's (the lock store keeps other replicas out meanwhile).
            stored = session.execute(self._statements["count"], {"sender_id": tracker.sender_id}).scalar()
            rows = [_row(tracker.sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
            if rows:
                session.execute(self._statements["insert"], rows)
            session.commit()

    async def delete(self, sender_id: Text) -> int:
        """Deletes every stored event of one conversation; returns how many."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return deleted

    def _stale_senders(self, session, days: float, now: Optional[float]) -> list:
        cutoff = (now if now is not None else time.time()) - days * 86400
        events = self.SQLEvent
        stale = (
            session.query(events.sender_id).group_by(events.sender_id).having(sa.func.max(events.timestamp) < cutoff)
        )
        return [row[0] for row in stale.all()]

    def count_older_than(self, days: float, now: Optional[float] = None) -> int:
        """How many conversations have had no event for `days`."""
        with self.session_scope() as session:
            return len(self._stale_senders(session, days, now))

    def delete_older_than(self, days: float, now: Optional[float] = None) -> int:
        """Deletes conversations whose last event is older than `days`; returns how many."""
        events = self.SQLEvent
        with self.session_scope() as session:
            senders = self._stale_senders(session, days, now)
            for chunk in _chunks(senders, 500):
                session.query(events).filter(events.sender_id.in_(chunk)).delete(synchronize_session=False)
            session.commit()
        return len(senders)


def _statements(events: sa.Table) -> Dict[Text, Any]:
    """Rasa's queries (`SQLTrackerStore._event_query`, `save`) as Core statements,
    compiled once and cached by SQLAlchemy."""
    sender = sa.bindparam("sender_id")
    of_sender = events.c.sender_id == sender
    session_start = (
        sa.select(sa.func.max(events.c.timestamp))
        .where(of_sender, events.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    in_last_session = sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
    return {
        "all sessions": sa.select(events.c.data).where(of_sender).order_by(events.c.id),
        "last session": sa.select(events.c.data).where(of_sender, in_last_session).order_by(events.c.id),
        "count": sa.select(sa.func.count()).select_from(events).where(of_sender, in_last_session),
        "insert": events.insert(),
    }


# What a stored bot message keeps of a report's one-time link (actions/report.py): the
# link is for the person, once; the conversation's stored events are not a way to it.
LINK_NOT_STORED = "(one-time link, not stored)"


def _without_report_links(data: Dict[Text, Any]) -> Dict[Text, Any]:
    file = ((data.get("data") or {}).get("custom") or {}).get("data", {}).get("file")
    if not isinstance(file, dict) or "token" not in file:
        return data
    kept = {**file, "token": LINK_NOT_STORED, "url": LINK_NOT_STORED}
    custom = {**data["data"]["custom"], "data": {**data["data"]["custom"]["data"], "file": kept}}
    return {**data, "data": {**data["data"], "custom": custom}}


def _row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    data = _without_report_links(event.as_dict())
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def _tune_sqlite(connection, _record) -> None:
    """WAL: readers never wait for the writer, and a commit needs no fsync of
    the whole file. A stopped or crashed process loses nothing; only a power
    cut can lose the last moments (never corrupt the file)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _asks_to_forget(events: Iterable) -> bool:
    """A `Restarted` after `action_forget_conversation` ran: the person confirmed."""
    forgetting = False
    for event in events:
        if isinstance(event, ActionExecuted):
            forgetting = event.action_name == FORGET_ACTION
        elif isinstance(event, Restarted) and forgetting:
            return True
    return False


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
