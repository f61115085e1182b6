"""What the diary shows, in plain sentences a worried person can trust.

Every sentence is an observation with the number of days behind it ("on the 4
days after under 6 hours of sleep ... was rated higher"), never a cause: a
few weeks of self-rated days cannot show what causes twitching, and saying so
would feed worry. Small differences (under a point) and comparisons with
fewer than 3 rated days on a side are left out rather than hedged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Dict, List, Optional

from followup.diary import DiaryEntry, fmt_number

MIN_DAYS = 3  # rated days needed on each side of a comparison
MIN_DIFFERENCE = 1.0  # points out of 10; smaller differences are not stated
ENOUGH_DAYS = 14  # about two weeks of rated days before patterns can show
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def by_day(entries: List[DiaryEntry]) -> List[DiaryEntry]:
    """One entry per day, sorted; two entries for a day are merged (the later one wins)."""
    days: Dict[datetime.date, DiaryEntry] = {}
    for entry in entries:
        days[entry.day] = days[entry.day].merged_with(entry) if entry.day in days else entry
    return [days[d] for d in sorted(days)]


def day_label(day: datetime.date, with_year: bool = False) -> str:
    """ "12 Nov" (locale-independent, so the server's locale cannot change it)."""
    return f"{day.day} {_MONTHS[day.month - 1]}" + (f" {day.year}" if with_year else "")


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _mean(values: List[float]) -> float:
    return sum(values) / len(values)


def _one(x: float) -> str:
    """One decimal, halves rounded up as people do (3.25 is 3.3, not Python's 3.2)."""
    return str(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def overview(entries: List[DiaryEntry]) -> str:
    """One sentence on what the diary holds: how many days, over when, the average rating."""
    days = by_day(entries)
    if not days:
        return "Your diary is empty so far. Whenever you like, tell me how the twitching was today and I'll keep a note of it."
    ratings = [e.rating for e in days if e.rating is not None]
    years = days[0].day.year != days[-1].day.year
    if len(days) == 1:
        start = f"You have 1 diary day so far ({day_label(days[0].day)})"
        if ratings:
            return f"{start}; twitching was rated {fmt_number(ratings[0])} out of 10. A few more days will start to show how it changes."
        return f"{start}; twitching wasn't rated that day. A few more days will start to show how it changes."
    start = f"You have {len(days)} diary days from {day_label(days[0].day, years)} to {day_label(days[-1].day, years)}"
    if not ratings:
        return f"{start}; twitching wasn't rated on any of them yet."
    if len(ratings) == 1:
        return f"{start}; twitching was rated on 1 of them ({fmt_number(ratings[0])} out of 10)."
    return f"{start}; twitching was rated on {len(ratings)} of them, {_one(_mean(ratings))} out of 10 on average."


@dataclass
class _Comparison:
    first: str  # "On the {n} days ..." side that is compared
    other: str  # "on the {n} days ..." side it is compared with
    is_first: Callable[[DiaryEntry], Optional[bool]]  # None: the day says nothing on this


COMPARISONS = (
    _Comparison(
        "after under 6 hours of sleep",
        "after 6 hours or more",
        lambda e: None if e.sleep_hours is None else e.sleep_hours < 6,
    ),
    _Comparison(
        "with 3 or more caffeinated drinks",
        "with fewer",
        lambda e: None if e.caffeine is None else e.caffeine >= 3,
    ),
    _Comparison(
        "you noted high stress",
        "with low or medium stress",
        lambda e: None if e.stress is None else e.stress == "high",
    ),
    _Comparison(
        "with any alcohol",
        "without",
        lambda e: None if e.alcohol is None else e.alcohol > 0,
    ),
    _Comparison(
        "you exercised",
        "you didn't",
        lambda e: e.exercise,
    ),
)


def _clear(a: float, b: float) -> bool:
    """A difference worth stating, judged on the numbers as shown (one decimal)."""
    return abs(round(a, 1) - round(b, 1)) >= MIN_DIFFERENCE - 1e-9


def observations(entries: List[DiaryEntry], max_items: int = 3) -> List[str]:
    """Up to max_items sentences, the largest differences first; or one sentence
    saying there are no clear patterns yet and how many more days would help."""
    days = by_day(entries)
    rated = [e for e in days if e.rating is not None]
    found = []  # (difference, sentence)
    for c in COMPARISONS:
        yes = [e.rating for e in rated if c.is_first(e) is True]
        no = [e.rating for e in rated if c.is_first(e) is False]
        if len(yes) < MIN_DAYS or len(no) < MIN_DAYS:
            continue
        a, b = _mean(yes), _mean(no)
        if not _clear(a, b):
            continue
        found.append(
            (
                abs(a - b),
                f"On the {len(yes)} days {c.first}, your twitching was rated {'higher' if a > b else 'lower'} "
                f"({_one(a)} vs {_one(b)} on the {len(no)} days {c.other}).",
            )
        )
    half = len(rated) // 2
    if half >= MIN_DAYS:
        early = _mean([e.rating for e in rated[:half]])
        late = _mean([e.rating for e in rated[-half:]])
        if _clear(late, early):
            before = f"the {half} before" if len(rated) % 2 == 0 else f"your first {half}"
            found.append(
                (
                    abs(late - early),
                    f"Your twitching was rated {'lower' if late < early else 'higher'} on your last {half} rated days "
                    f"than on {before} ({_one(late)} vs {_one(early)}).",
                )
            )
    found.sort(key=lambda x: -x[0])
    if max_items <= 0:
        return []
    if found:
        return [sentence for _, sentence in found[:max_items]]
    return [_no_patterns(len(rated))]


def _no_patterns(n_rated: int) -> str:
    if n_rated < ENOUGH_DAYS:
        more = ENOUGH_DAYS - n_rated
        return (
            f"No clear patterns yet: your diary has {_plural(n_rated, 'day')} with a twitching rating, "
            f"and about {_plural(more, 'more day')} with a rating would help show any."
        )
    return (
        f"No clear patterns in your {n_rated} rated days: no difference of a point or more stands out. "
        "Another week or so of entries would show whether that holds."
    )
