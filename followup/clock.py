"""The time the follow-up runs on: the real clock, or a test clock.

Diary days and check-in due times come from here, so the tests can live two
weeks in a few minutes: with BFS_TEST_CLOCK set to a file's path, "now" is the
ISO date-time written in that file (the tests write it; every process that
reads the same file agrees). Unset, as in any real deployment, it is the real
clock. An empty or missing file means the real clock too.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Mapping, Optional

TEST_CLOCK = "BFS_TEST_CLOCK"


def now(environ: Optional[Mapping[str, str]] = None) -> float:
    """Seconds since the epoch (UTC)."""
    path = (os.environ if environ is None else environ).get(TEST_CLOCK)
    if path:
        try:
            written = Path(path).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            written = ""
        if written:
            moment = dt.datetime.fromisoformat(written)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.timezone.utc)
            return moment.timestamp()
    return time.time()


def today(environ: Optional[Mapping[str, str]] = None) -> dt.date:
    """The day in UTC (a diary day; a person's own time zone is not known)."""
    return dt.datetime.fromtimestamp(now(environ), tz=dt.timezone.utc).date()


def set_test_clock(path: Path, moment: dt.datetime) -> None:
    """Moves a test clock (used by the tests)."""
    Path(path).write_text(moment.isoformat(), encoding="utf-8")
