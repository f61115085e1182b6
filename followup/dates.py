"""Dates people type: the day they pick for a check-in, and the number and
month words the diary parser shares, so both read "two weeks" or "9 Dec" alike.

Dates are day/month (British): "9/12" is 9 December.
"""

from __future__ import annotations

import calendar
import datetime
import re
from typing import Optional

MAX_CHECKIN_DAYS = 90  # a check-in further off than this is more likely a slip than a plan

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
MONTH_RE = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
WEEKDAY_NAMES = "|".join(WEEKDAYS)
ORD = r"(?:st|nd|rd|th)?"

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
}  # fmt: skip
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
_TWITCH_AFTER = r"(?!\s+(?:\w+\s+)?twitch)"  # "a few twitches" is an amount of twitching, not a count of 3


def normalise_numbers(text: str) -> str:
    """Lower-cases and writes numbers as digits ("four and a half" -> "4.5",
    "a couple of" -> "2", "a few" -> "3"), so each reader needs one pattern."""
    s = text.lower()
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", " - ")
    s = re.sub(r"\b(twenty|thirty)[- ](one|two|three|four|five|six|seven|eight|nine)\b",
               lambda m: str(_NUMBER_WORDS[m[1]] + _NUMBER_WORDS[m[2]]), s)  # fmt: skip
    s = re.sub(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", lambda m: str(_NUMBER_WORDS[m[1]]), s)
    # Ordinal words only where they name a day ("the ninth", "ninth of December", "December ninth"):
    # "first" is not a date in "my first dose".
    ordinal = r"(" + "|".join(_ORDINAL_WORDS) + r")\b"
    s = re.sub(r"\b(the |" + MONTH_RE + r"\s+)" + ordinal, lambda m: f"{m[1]}{_ORDINAL_WORDS[m[2]]}th", s)
    s = re.sub(r"\b" + ordinal + r"(?= of " + MONTH_RE + ")", lambda m: f"{_ORDINAL_WORDS[m[1]]}th", s)
    s = re.sub(r"\bhalf an? (hour|hr)\b", "0.5 hours", s)
    s = re.sub(r"\ban? (hour|hr) and a half\b", "1.5 hours", s)
    s = re.sub(r"\ban? (hour|hr)\b", r"1 \1", s)
    s = re.sub(r"(\d+)\s*(?:and a half|\u00bd|1/2(?!\d))", r"\1.5", s)
    s = re.sub(r"(\d+)\s*(?:and a quarter|\u00bc)", r"\1.25", s)
    s = re.sub(r"(\d+)\s*(?:and 3 quarters|\u00be)", r"\1.75", s)
    s = re.sub(r"(\d)\s*-?ish\b", r"\1", s)
    s = re.sub(r"\b(?:a )?couple(?: of)?\b" + _TWITCH_AFTER, "2", s)
    s = re.sub(r"\ba few\b" + _TWITCH_AFTER, "3", s)
    s = re.sub(r"\ba dozen\b", "12", s)
    s = re.sub(r"~\s*", "about ", s)
    return s


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day of the month `months` later, or the month's last day if it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def make_date(year: int, month: int, day: int) -> Optional[datetime.date]:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def full_year(year: Optional[str]) -> Optional[int]:
    if not year:
        return None
    y = int(year)
    return y + 2000 if y < 100 else y


# A calendar date written out: "9 December", "9th of Dec 2025", "Dec 9", "9/12", "9/12/25", "2025-12-09".
DATE_PATTERNS = (
    re.compile(rf"\b(?P<d>\d{{1,2}}){ORD}(?:\s+of)?\s+(?P<m>{MONTH_RE})(?:,?\s+(?P<y>\d{{4}}))?"),
    re.compile(rf"\b(?P<m>{MONTH_RE})\s+(?:the\s+)?(?P<d>\d{{1,2}}){ORD}\b(?:,?\s+(?P<y>\d{{4}}))?"),
    re.compile(r"\b(?P<y>\d{4})-(?P<mn>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"(?<![\d/.])(?P<d>\d{1,2})/(?P<mn>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?(?![\d/])"),
)


def date_parts(m: re.Match) -> tuple:
    """(day, month, year or None) from a DATE_PATTERNS match."""
    parts = m.groupdict()
    month = MONTHS[parts["m"].rstrip(".")] if parts.get("m") else int(parts["mn"])
    return int(parts["d"]), month, full_year(parts.get("y"))


def parse_checkin_date(text: str, today: datetime.date) -> Optional[datetime.date]:
    """The day a person picks for a check-in: strictly after today and at most
    90 days ahead, else None (so "no thanks" or "yesterday" never books one)."""
    day = _read_checkin(normalise_numbers((text or "")[:500]), today)  # a date is said in a few words
    if day and today < day <= today + datetime.timedelta(days=MAX_CHECKIN_DAYS):
        return day
    return None


_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}


def _read_checkin(s: str, today: datetime.date) -> Optional[datetime.date]:
    if re.search(r"\b(?:ago|last|yesterday|previous)\b", s):
        return None  # a day in the past, however it is counted
    if re.search(r"\b(?:the )?day after tomorrow\b", s):
        return today + datetime.timedelta(days=2)
    if re.search(r"\btomorrow\b", s):
        return today + datetime.timedelta(days=1)

    # "in 2 weeks", "ten days", "a week from now", "in a month", "2 weeks' time"
    m = re.search(r"(?:\b(\d+(?:\.5)?)|\b(?:a|an|1)\b)\s+(day|week|fortnight|month)s?\b", s)
    if m:
        n = float(m[1]) if m[1] else 1.0
        if m[2] == "month":
            return add_months(today, int(n)) if n == int(n) else today + datetime.timedelta(days=round(n * 30))
        return today + datetime.timedelta(days=round(n * _UNIT_DAYS[m[2]]))
    m = re.search(r"\bnext (week|month)\b", s)
    if m:
        return add_months(today, 1) if m[1] == "month" else today + datetime.timedelta(days=7)

    # "next Friday", "on friday", "friday week", "friday after next": the coming one, strictly after today
    m = re.search(rf"\b({WEEKDAY_NAMES})s?\b(\s+(?:week|after next))?", s)
    if m:
        ahead = (WEEKDAYS.index(m[1]) - today.weekday()) % 7 or 7
        return today + datetime.timedelta(days=ahead + (7 if m[2] else 0))

    for pattern in DATE_PATTERNS:
        m = pattern.search(s)
        if m:
            d, month, year = date_parts(m)
            if year:
                return make_date(year, month, d)
            for y in (today.year, today.year + 1):
                cand = make_date(y, month, d)
                if cand and cand > today:
                    return cand
            return None

    # "on the 9th": the next 9th of a month
    m = re.search(r"\b(?:on )?the (\d{1,2})(?:st|nd|rd|th)\b|\b(\d{1,2})(?:st|nd|rd|th)\b", s)
    if m:
        d = int(m[1] or m[2])
        for k in range(0, 4):
            cand = make_date(*_year_month(today, k), d)
            if cand and cand > today:
                return cand
    return None


def _year_month(today: datetime.date, k: int) -> tuple:
    month0 = today.month - 1 + k
    return today.year + month0 // 12, month0 % 12 + 1
