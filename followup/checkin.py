"""Check-ins in plain words: when one is due, and how an answer is heard.

A check-in follows a self-care or routine result: the safety net tells the
person to come back if the twitching lasts beyond two weeks, so by default the
assistant asks then. The answer is read from buttons or words; a change is
never closed as settled.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

# The safety net's time for twitching that has not settled, and the furthest a person may pick.
DEFAULT_DAYS = 14
LATEST_DAYS = 90
# The hour (UTC) a check-in is sent on its day: morning in Europe, not the middle of the night.
SEND_HOUR = 9
ANSWERS = ("settled", "same", "worse")
# Channels whose bot can write first: there a due check-in arrives as a message
# (channels/checkins.py); elsewhere it is asked at the next visit.
PUSH_CHANNELS = ("telegram", "slack")

# Checked in this order: a change first, then no change, then settled.
_NEGATED_CHANGE = re.compile(
    r"\b(?:no|not|nothing|isn'?t|hasn'?t|haven'?t|didn'?t)\b[\w\s']{0,12}\b(?:worse|new|spread)", re.I
)
# "not gone", "no better", "hasn't stopped", "barely changed": still there.
_NOT_SETTLED = re.compile(
    r"\b(?:not|no|isn'?t|hasn'?t|haven'?t|didn'?t|never|hardly|barely|not really|not yet)\s+"
    r"(?:\w+\s+){0,2}?(?:gone|go away|went away|stopp?ed|stop|settled|settle|better|fine|changed|change|improv\w*|calm\w*|eas\w*)\b",
    re.I,
)
_NOT_BAD = re.compile(r"\bnot (?:too |that |so )?bad\b", re.I)
_WORSE = re.compile(
    r"\b(?:worse|worsen\w*|spread\w*|new|weak\w*|increas\w*|more (?:twitch\w*|often|frequent)|"
    r"bad|awful|terrible|not (?:good|great|better))\b",
    re.I,
)
_SAME = re.compile(
    r"\b(?:same|no change|not changed|hasn'?t changed|unchanged|still (?:there|twitch\w*|going|happening|the same)|"
    r"so-so|meh|about the same|no different)\b",
    re.I,
)
_SETTLED = re.compile(
    r"\b(?:not (?:too |that |so )?bad|settled|gone|stopped|better|fine|good|great|disappeared|all clear|no more|hardly|barely|"
    r"calmed|much less|rarely|resolved|over it|all good|cleared)\b",
    re.I,
)


def due_at(day: dt.date) -> float:
    """When a check-in for `day` is sent (seconds since the epoch)."""
    return dt.datetime.combine(day, dt.time(SEND_HOUR, 0), tzinfo=dt.timezone.utc).timestamp()


def day_text(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def read_answer(text: str, new_signs: bool = False) -> Optional[str]:
    """`settled`, `same` or `worse` from the person's words, or None when unclear.

    `new_signs`: the clinical core heard a sign besides the twitching in the same
    message ("better, but my hand feels weak now"): that is a change. A negated
    settled word ("not gone", "no better", "hasn't stopped") is no change, and so is
    "not worse": only a clear "gone", "settled" or "better" closes a check-in."""
    if new_signs:
        return "worse"
    plain = _NOT_BAD.sub(" fine ", text)
    if _WORSE.search(_NEGATED_CHANGE.sub(" ", plain)):
        return "worse"
    if _NOT_SETTLED.search(plain):
        return "same"
    if _SETTLED.search(plain):
        return "settled"
    if _NEGATED_CHANGE.search(plain) or _SAME.search(plain):
        return "same"
    return None
