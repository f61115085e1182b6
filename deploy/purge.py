"""Retention: deletes conversations whose last message is older than N days,
diary entries of days older than that, and check-ins due before then.

    python -m deploy.purge --days 30          # `make purge`, or daily from cron
    python -m deploy.purge --days 30 --dry-run

Uses the tracker store configured in endpoints.yml (with the same environment
variables as the server), so it purges SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import List

from deploy.config import load_config
from followup.store import FollowupStore


def open_store(endpoints_path: str):
    from stores.tracker_store import PrivateSQLTrackerStore

    endpoints, _ = load_config(endpoints_path, os.environ)
    settings = dict(endpoints.get("tracker_store") or {})
    kind = settings.pop("type", None)
    if kind != "stores.tracker_store.PrivateSQLTrackerStore":
        raise SystemExit(f"error: {endpoints_path} has no project SQL tracker store (type: {kind})")
    return PrivateSQLTrackerStore(**settings)


def positive_days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of days: {value!r}") from None
    if days <= 0:
        raise argparse.ArgumentTypeError("the number of days must be above 0")
    return days


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="Delete conversations older than a number of days.")
    parser.add_argument(
        "--days",
        type=positive_days,
        default=os.environ.get("RETENTION_DAYS", "30"),
        help="keep conversations with a message in the last DAYS days (default 30, or RETENTION_DAYS)",
    )
    parser.add_argument("--endpoints", default="endpoints.yml")
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    args = parser.parse_args(argv)
    days = args.days

    store = open_store(args.endpoints)
    followup = FollowupStore.from_endpoints(Path(args.endpoints))
    now = time.time()
    cutoff = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(now - days * 86400))
    if args.dry_run:
        count = store.count_older_than(days)
        kept = followup.count_older_than(days, now)
        print(f"{count} conversation(s) with no message since {cutoff} would be deleted")
        print(
            f"{kept['diary_entries']} diary day(s) and {kept['checkins']} check-in(s) from before then would be deleted"
        )
    else:
        count = store.delete_older_than(days)
        gone = followup.purge(days, now)
        print(f"Deleted {count} conversation(s) with no message since {cutoff}")
        print(f"Deleted {gone['diary_entries']} diary day(s) and {gone['checkins']} check-in(s) from before then")
        print(f"Deleted {gone['waiting_files']} report(s) whose download window had closed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
