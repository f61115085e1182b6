"""The diary as a chart: twitching over the days, with sleep, drinks, stress
and exercise underneath on the same days, so a person can see them together.

Drawn with matplotlib's object API (Figure + FigureCanvasAgg), never pyplot:
pyplot keeps global state that is not safe from a server's threads. Colours
are the Okabe-Ito palette (colour-blind safe) and every series also differs
by marker or hatching, so the chart still reads in black and white. describe()
gives the same chart in words for screen readers.
"""

from __future__ import annotations

import datetime
import io
import math
import sys
from typing import List, Optional

from followup.diary import DiaryEntry, fmt_number
from followup.observations import by_day, day_label

# Okabe-Ito
BLUE, SKY, ORANGE, PURPLE, VERMILLION, GREEN = "#0072B2", "#56B4E9", "#E69F00", "#CC79A7", "#D55E00", "#009E73"
STRESS_MARKERS = {"low": "v", "medium": "D", "high": "^"}
STRESS_ROW, EXERCISE_ROW = 1, 0
MAX_TICK_LABELS = 10
SLEEP_LINE = 6  # hours; the same line the observations compare against


def chart_data(entries: List[DiaryEntry]) -> dict:
    """The series behind the chart: one item per calendar day from the first
    entry to the last, None on days without an entry or without that field."""
    days = by_day(entries)
    keys = ("rating", "sleep_hours", "caffeine", "alcohol", "stress", "exercise")
    data = {"days": [], **{k: [] for k in keys}}
    if not days:
        return data
    known = {e.day: e for e in days}
    day = days[0].day
    while day <= days[-1].day:
        entry = known.get(day)
        data["days"].append(day.isoformat())
        for k in keys:
            data[k].append(getattr(entry, k) if entry else None)
        day += datetime.timedelta(days=1)
    return data


def _nan(values: list) -> list:
    return [math.nan if v is None else float(v) for v in values]


def render_png(entries: List[DiaryEntry]) -> bytes:
    """PNG bytes of the chart (about 8x6 inches at 100 dpi)."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use(
            "Agg"
        )  # switching once pyplot is loaded would close the host's figures; Agg is used below anyway
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    data = chart_data(entries)
    fig = Figure(figsize=(8, 6), dpi=100)
    FigureCanvasAgg(fig)
    try:
        if data["days"]:
            _draw(fig, data)
        else:
            fig.text(0.5, 0.5, "No diary entries yet", ha="center", va="center", fontsize=14)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        return buf.getvalue()
    finally:
        fig.clear()  # no pyplot registry holds it; clearing frees the artists at once


def _draw(fig, data: dict) -> None:
    from matplotlib.patches import Patch

    days = [datetime.date.fromisoformat(d) for d in data["days"]]
    n = len(days)
    x = list(range(n))
    years = days[0].year != days[-1].year
    grid = fig.add_gridspec(4, 1, height_ratios=[3, 1.1, 1.1, 0.9], hspace=0.12)
    fig.subplots_adjust(left=0.1, right=0.74, top=0.92, bottom=0.08)
    top = fig.add_subplot(grid[0])
    sleep = fig.add_subplot(grid[1], sharex=top)
    drinks = fig.add_subplot(grid[2], sharex=top)
    marks = fig.add_subplot(grid[3], sharex=top)
    legend = dict(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7.5, frameon=False, borderaxespad=0)

    span = day_label(days[0]) if n == 1 else f"{day_label(days[0], years)} to {day_label(days[-1], years)}"
    top.set_title(f"Twitch diary, {span}", fontsize=12)
    top.plot(
        x,
        _nan(data["rating"]),
        color=BLUE,
        marker="o",
        markersize=5,
        linewidth=2,
        label="Twitching rating\n(0 none, 10 worst)",
    )
    top.set_ylim(-0.5, 10.5)
    top.set_yticks(range(0, 11, 2))
    top.set_ylabel("Twitching (0-10)")
    top.grid(axis="y", color="#dddddd", linewidth=0.6)
    top.legend(**legend)

    idx = [i for i, v in enumerate(data["sleep_hours"]) if v is not None]
    sleep.bar(
        idx,
        [data["sleep_hours"][i] for i in idx],
        width=0.7,
        color=SKY,
        edgecolor="black",
        linewidth=0.5,
        hatch="///",
        label="Sleep the night\nbefore (hours)",
    )
    sleep.axhline(SLEEP_LINE, color="black", linestyle=":", linewidth=1, label=f"{SLEEP_LINE} hours")
    sleep.set_ylabel("Sleep (h)")
    sleep.set_ylim(0, max([SLEEP_LINE + 2] + [data["sleep_hours"][i] + 1 for i in idx]))
    sleep.legend(**legend)

    for key, offset, colour, hatch, label in (
        ("caffeine", -0.2, ORANGE, "...", "Caffeinated drinks"),
        ("alcohol", 0.2, PURPLE, "xxx", "Alcoholic drinks"),
    ):
        idx = [i for i, v in enumerate(data[key]) if v is not None]
        drinks.bar(
            [i + offset for i in idx],
            [data[key][i] for i in idx],
            width=0.4,
            color=colour,
            edgecolor="black",
            linewidth=0.5,
            hatch=hatch,
            label=label,
        )
    counts = [v for k in ("caffeine", "alcohol") for v in data[k] if v is not None]
    drinks.set_ylim(0, max(counts + [3]) + 0.5)
    drinks.yaxis.get_major_locator().set_params(integer=True)
    drinks.set_ylabel("Drinks\n(per day)")
    # Proxy handles: a series with no bars would otherwise show in the legend without its colour.
    drinks.legend(
        handles=[
            Patch(facecolor=ORANGE, edgecolor="black", linewidth=0.5, hatch="...", label="Caffeinated drinks"),
            Patch(facecolor=PURPLE, edgecolor="black", linewidth=0.5, hatch="xxx", label="Alcoholic drinks"),
        ],
        **legend,
    )

    for level, marker in STRESS_MARKERS.items():
        idx = [i for i, v in enumerate(data["stress"]) if v == level]
        marks.scatter(
            idx,
            [STRESS_ROW] * len(idx),
            marker=marker,
            s=36,
            color=VERMILLION,
            edgecolors="black",
            linewidths=0.5,
            label=f"Stress {level}",
        )
    for done, marker, label in ((True, "o", "Exercised"), (False, "x", "No exercise")):
        idx = [i for i, v in enumerate(data["exercise"]) if v is done]
        style = dict(color=GREEN, edgecolors="black", linewidths=0.5) if done else dict(color="black", linewidths=1.2)
        marks.scatter(idx, [EXERCISE_ROW] * len(idx), marker=marker, s=36, label=label, **style)
    marks.set_ylim(-0.7, 1.7)
    marks.set_yticks([EXERCISE_ROW, STRESS_ROW])
    marks.set_yticklabels(["Exercise", "Stress"])
    marks.legend(**{**legend, "fontsize": 7})

    step = max(1, math.ceil(n / MAX_TICK_LABELS))
    ticks = x[::step]
    marks.set_xticks(ticks)
    marks.set_xticklabels([day_label(days[i]) for i in ticks], fontsize=8)
    marks.set_xlabel("Day")
    pad = max(0.6, (7 - n) / 2)  # a few days still look like days, not wide blocks
    marks.set_xlim(-pad, n - 1 + pad)
    for ax in (top, sleep, drinks):
        ax.tick_params(labelbottom=False)
    for ax in (top, sleep, drinks, marks):
        ax.tick_params(axis="y", labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)


def describe(entries: List[DiaryEntry]) -> str:
    """The chart in words, for screen readers: what is shown, and the highest and lowest days."""
    days = by_day(entries)
    if not days:
        return "The chart is empty: there are no diary entries yet."
    first, last = days[0].day, days[-1].day
    years = first.year != last.year
    n_days = (last - first).days + 1
    text = [
        f"Chart of your twitch diary from {day_label(first, years)} to {day_label(last, years)} ({n_days} {'day' if n_days == 1 else 'days'}).",
        "The top panel shows twitching rated from 0 (none) to 10 (worst) for each day, with gaps on days without a rating.",
        f"Below it, on the same days: hours of sleep the night before as bars with a line at {SLEEP_LINE} hours, "
        "caffeinated and alcoholic drinks per day as bars, and stress level and exercise as symbols.",
    ]
    rated = [e for e in days if e.rating is not None]
    if not rated:
        text.append("Twitching has not been rated yet.")
        return " ".join(text)
    high = max(e.rating for e in rated)
    low = min(e.rating for e in rated)
    if len(rated) == 1:
        text.append(f"Twitching was rated once: {fmt_number(high)} out of 10 on {day_label(rated[0].day, years)}.")
    elif high == low:
        text.append(f"Twitching was rated {fmt_number(high)} out of 10 on every rated day.")
    else:
        text.append(f"Highest twitching: {fmt_number(high)} out of 10 on {_days_with(rated, high, years)}.")
        text.append(f"Lowest: {fmt_number(low)} out of 10 on {_days_with(rated, low, years)}.")
    text.append(f"Twitching was rated on {len(rated)} of the {n_days} days.")
    return " ".join(text)


def _days_with(rated: List[DiaryEntry], value: float, years: bool, most: Optional[int] = 3) -> str:
    labels = [day_label(e.day, years) for e in rated if e.rating == value]
    if len(labels) > most:
        rest = len(labels) - most
        return ", ".join(labels[:most]) + f" and {rest} other {'day' if rest == 1 else 'days'}"
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
