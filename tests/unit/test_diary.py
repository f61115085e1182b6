"""The twitch diary without Rasa: reading a diary message, what the entries
show, the chart, and the day picked for a check-in.

Every parse case lists all the fields it should fill: a field not listed must
stay empty, so a number read twice (the 5 in "slept 5 hours" as a rating) fails.
"""

from __future__ import annotations

import datetime
import json
import threading
import time

import pytest

from followup.chart import chart_data, describe, render_png
from followup.dates import parse_checkin_date
from followup.diary import SKIP, DiaryEntry, future_day_named, parse_answer, parse_entry
from followup.observations import observations, overview

TODAY = datetime.date(2024, 11, 27)  # a Wednesday
D = datetime.date

# message -> the fields it fills (day: days before TODAY, or a date; default today)
PARSE_CASES = [
    # the examples people gave
    (
        "log today: twitching bad in both calves, 4 coffees, slept 5 hours, stressed",
        dict(rating=7, locations=["both calves"], caffeine=4, sleep_hours=5, stress="high"),
    ),
    (
        "diary: 6/10 twitches, left eyelid and thumb, 2 cups of coffee, 7h sleep, went for a run, 3 beers",
        dict(rating=6, locations=["left eyelid", "thumb"], caffeine=2, sleep_hours=7, exercise=True, alcohol=3),
    ),
    (
        "add to my log - twitching about a 3 out of 10 today, slept like 8 hours, no caffeine, chilled day",
        dict(rating=3, caffeine=0, sleep_hours=8, stress="low"),
    ),
    (
        "yesterday was rough, twitching 8, only got 4 and a half hours of sleep",
        dict(day=1, rating=8, sleep_hours=4.5),
    ),
    ("twitches were mild today", dict(rating=3)),
    ("really bad day for twitching, maybe seven", dict(rating=7)),
    ("no twitching at all today!", dict(rating=0)),
    ("started propranolol today, twitching same as usual", dict(new_medicine="propranolol")),
    ("had two red bulls and a coffee", dict(caffeine=3)),
    ("didn't sleep much (maybe 5 hrs)", dict(sleep_hours=5)),
    ("not stressed at all", dict(stress="low")),
    ("super anxious day", dict(stress="high")),
    ("skipped the gym", dict(exercise=False)),
    ("0/10 twitching", dict(rating=0)),
    ("slept from 11 to 6", dict(sleep_hours=7)),
    # a number is read once, by what it is next to
    ("slept 5 hours", dict(sleep_hours=5)),
    ("4 coffees", dict(caffeine=4)),
    ("twitching 3 times today", dict()),
    ("left calf twitching for 3 days now", dict(locations=["left calf"])),
    ("I counted 5 twitches in my calf", dict(locations=["calf"])),
    ("had a 2 hour nap, twitching mild", dict(rating=3)),
    ("twitching 7/10, stress 8/10", dict(rating=7, stress="high")),
    ("stress level 3, twitching 6", dict(rating=6, stress="low")),
    ("worked 10 hours, twitching 5", dict(rating=5)),
    ("twitching at 6 today", dict(rating=6)),
    ("twitches are about 5 out of 10 and I slept 6 and a half hours", dict(rating=5, sleep_hours=6.5)),
    ("3 or 4 coffees, twitching pretty bad", dict(rating=7, caffeine=4)),
    # negations
    ("no coffee", dict(caffeine=0)),
    ("didn't drink", dict(alcohol=0)),
    ("didn't drink coffee today", dict(caffeine=0)),
    ("no coffee or tea, 2 pints", dict(caffeine=0, alcohol=2)),
    ("rest day, relaxed", dict(exercise=False, stress="low")),
    (
        "slept 8h, twitching 2, 1 coffee, no alcohol, no exercise, stress medium",
        dict(rating=2, caffeine=1, sleep_hours=8, stress="medium", exercise=False, alcohol=0),
    ),
    ("didn't sleep at all, twitching non stop", dict(rating=9, sleep_hours=0)),
    ("no twitches but 2 cans of coke", dict(rating=0, caffeine=2)),
    # unclear stays empty
    ("twitching worse than yesterday", dict()),
    ("had coffee this morning", dict()),
    ("haven't started sertraline yet", dict()),
    ("started a new job today, very stressed", dict(stress="high")),
    ("sore legs from the gym", dict(exercise=True)),
    ("2 glasses of red wine and a decaf coffee", dict(alcohol=2)),
    # other ways of saying it
    ("today was a 6", dict(rating=6)),
    ("twitching 6.5/10", dict(rating=6.5)),
    ("twitching a little in my eyelid", dict(rating=2, locations=["eyelid"])),
    ("twitching like crazy all over after the gym", dict(rating=9, locations=["all over"], exercise=True)),
    ("ran 5k this morning, twitching 4 in calves afterwards", dict(rating=4, locations=["calves"], exercise=True)),
    ("went to bed at 1 and woke up at 7, twitching 5", dict(rating=5, sleep_hours=6)),
    ("slept 11pm-7am", dict(sleep_hours=8)),
    ("slept 5-6 hours", dict(sleep_hours=5.5)),
    ("had a few drinks", dict(alcohol=3)),
    ("a couple of beers and a coffee", dict(alcohol=2, caffeine=1)),
    ("a bit stressed, twitching was light", dict(rating=2, stress="medium")),
    ("started taking magnesium 300mg", dict(new_medicine="magnesium")),
    ("quite stressed, twitching strong in my right hand", dict(rating=7, locations=["right hand"], stress="medium")),
    (
        "twitching: none. sleep: 8. coffee: 1. stress: low",
        dict(rating=0, sleep_hours=8, caffeine=1, stress="low"),
    ),
    ("Rating 5. Calves. 3 coffees. 6 hrs sleep.", dict(rating=5, locations=["calves"], caffeine=3, sleep_hours=6)),
    ("I don't drink coffee", dict(caffeine=0)),
    ("took my first dose of sertraline 50mg", dict(new_medicine="sertraline")),
    ("in bed by 10, up at 6", dict(sleep_hours=8)),
    ("eyelid 5, calves 3", dict(locations=["eyelid", "calves"])),  # two ratings: which is the day's is unclear
    ("twitching in both of my thighs and my right eye", dict(locations=["both thighs", "right eye"])),
    ("log my twitching", dict()),  # nothing to store: the guided log starts
    # the day
    ("monday: twitching 4", dict(day=2, rating=4)),
    ("friday was bad, twitching 7", dict(day=D(2024, 11, 22), rating=7)),
    ("2 days ago twitching 7", dict(day=2, rating=7)),
    ("on 3 March twitching 5", dict(day=D(2024, 3, 3), rating=5)),
    ("3/11 twitching 5", dict(day=D(2024, 11, 3), rating=5)),
    # future days are refused: the entry stays on today
    ("tomorrow twitching 3", dict(rating=3)),
    ("on 30 November twitching 4", dict(rating=4)),
]


@pytest.mark.parametrize("text,expected", PARSE_CASES, ids=[t for t, _ in PARSE_CASES])
def test_parse_entry(text, expected):
    expected = dict(expected)
    day = expected.pop("day", 0)
    entry = parse_entry(text, TODAY)
    assert entry.day == (day if isinstance(day, datetime.date) else TODAY - datetime.timedelta(days=day))
    assert set(entry.filled()) == set(expected), entry
    for name, value in expected.items():
        assert getattr(entry, name) == value, (name, entry)
    assert entry.note == text


def test_enough_parse_cases():
    assert len(PARSE_CASES) >= 40


def test_the_future_day_is_named_so_the_action_can_say_so():
    assert future_day_named("tomorrow twitching 3", TODAY) == D(2024, 11, 28)
    assert future_day_named("on 30 November twitching 4", TODAY) == D(2024, 11, 30)
    assert future_day_named("yesterday twitching 3", TODAY) is None
    assert future_day_named("twitching 3", TODAY) is None


def test_a_year_less_date_just_after_new_year_is_last_year():
    assert parse_entry("31 dec twitching 7", D(2025, 1, 2)).day == D(2024, 12, 31)


def test_an_empty_message_fills_nothing():
    assert parse_entry("", TODAY).filled() == []


@pytest.mark.parametrize(
    "text",
    ["slept " + "about " * 500 + "x", "2 " + "extra strong " * 300 + "x", "my left " * 400, "slept from " * 300],
)
def test_long_odd_messages_are_read_quickly(text):
    start = time.perf_counter()
    parse_entry(text, TODAY)
    parse_checkin_date(text, TODAY)
    assert time.perf_counter() - start < 1.0


ANSWER_CASES = [
    ("rating", "6", 6.0),
    ("rating", "mild", 3.0),
    ("rating", "no twitching", 0.0),
    ("rating", "11", None),
    ("rating", "banana", None),
    ("rating", "Skip", SKIP),
    ("location", "calves", "calves"),
    ("location", "my left eyelid and thumb", "left eyelid and thumb"),
    ("location", "pinky toe area", "pinky toe area"),
    ("sleep", "4 hours", 4.0),
    ("sleep", "7", 7.0),
    ("sleep", "from 11 to 6", 7.0),
    ("sleep", "not much", None),
    ("caffeine", "0", 0),
    ("caffeine", "none", 0),
    ("caffeine", "2 coffees and a tea", 3),
    ("stress", "high", "high"),
    ("stress", "a bit", "medium"),
    ("stress", "8", "high"),
    ("stress", "not at all", "low"),
    ("more", "skip", SKIP),
    ("more", "nothing else", SKIP),
    ("more", "went for a run, 2 beers", "went for a run, 2 beers"),
    ("diary_rating", "4", 4.0),
]


@pytest.mark.parametrize("question,text,expected", ANSWER_CASES)
def test_parse_answer_of_the_guided_log(question, text, expected):
    assert parse_answer(question, text) == expected


# --- the entry -------------------------------------------------------------------------------


def test_summary_is_one_plain_line():
    entry = DiaryEntry(TODAY, rating=6, locations=["both calves"], caffeine=4, sleep_hours=5, stress="high", alcohol=0)
    assert entry.summary() == "twitching 6/10 in both calves; 4 caffeinated drinks; slept 5 h; stress high; no alcohol"
    assert DiaryEntry(TODAY).summary() == "nothing recorded"


def test_filled_lists_fields_in_order():
    entry = DiaryEntry(TODAY, alcohol=0, rating=0, exercise=False, note="x")
    assert entry.filled() == ["rating", "exercise", "alcohol"]


def test_merged_with_keeps_what_the_newer_message_leaves_out():
    first = parse_entry("twitching 6 in both calves, 3 coffees", TODAY)
    newer = parse_entry("actually twitching 4, slept 7 hours", TODAY)
    merged = first.merged_with(newer)
    assert (merged.rating, merged.caffeine, merged.sleep_hours) == (4, 3, 7)
    assert merged.locations == ["both calves"]
    assert merged.note == "twitching 6 in both calves, 3 coffees / actually twitching 4, slept 7 hours"
    assert first.rating == 6  # the original is unchanged
    with pytest.raises(ValueError):
        first.merged_with(DiaryEntry(TODAY - datetime.timedelta(days=1), rating=2))


def test_as_dict_round_trip():
    entry = parse_entry(PARSE_CASES[1][0], TODAY)
    d = json.loads(json.dumps(entry.as_dict()))
    assert d["day"] == "2024-11-27"
    assert DiaryEntry.from_dict(d) == entry
    assert DiaryEntry.from_dict({"day": "2024-11-27"}) == DiaryEntry(TODAY)


# --- observations ----------------------------------------------------------------------------

START = D(2024, 11, 12)


def days(ratings, **fields_by_day):
    """Entries from START, one a day; fields_by_day: name -> list of values per day."""
    out = []
    for i, rating in enumerate(ratings):
        extra = {name: values[i] for name, values in fields_by_day.items()}
        out.append(DiaryEntry(START + datetime.timedelta(days=i), rating=rating, **extra))
    return out


def assert_observations_only(sentences):
    for s in sentences:
        low = s.lower()
        for word in ("caus", "because", "due to", "trigger", "about the same"):
            assert word not in low, s


def test_short_sleep_and_trend_with_their_numbers():
    # 13 rated days; the last 4 after under 6 hours of sleep
    ratings = [3] * 9 + [6, 7, 6, 7]
    sleep = [7] * 9 + [5, 4, 5.5, 5]
    found = observations(days(ratings, sleep_hours=sleep))
    assert found == [
        "On the 4 days after under 6 hours of sleep, your twitching was rated higher (6.5 vs 3.0 on the 9 days after 6 hours or more).",
        "Your twitching was rated higher on your last 6 rated days than on your first 6 (5.3 vs 3.0).",
    ]
    assert_observations_only(found)


def test_ranked_by_size_and_cut_to_max_items():
    ratings = [2, 8, 2, 8, 2, 8, 5, 5]
    caffeine = [0, 4, 1, 3, 0, 5, None, None]
    alcohol = [0, 0, 0, 2, 1, 3, None, None]  # with: 8, 2, 8 (6.0); without: 2, 8, 2 (4.0)
    stress = ["low", "high", "medium", "high", "low", "high", None, None]
    exercise = [True, False, True, False, True, False, None, None]
    found = observations(days(ratings, caffeine=caffeine, alcohol=alcohol, stress=stress, exercise=exercise), 3)
    assert len(found) == 3
    assert found[0].startswith(
        "On the 3 days with 3 or more caffeinated drinks, your twitching was rated higher (8.0 vs 2.0"
    )
    assert any(
        "On the 3 days you exercised, your twitching was rated lower (2.0 vs 8.0 on the 3 days you didn't)" in s
        for s in found
    )
    assert all("alcohol" not in s for s in found)  # 2 points, but smaller than the three 6-point ones
    assert (
        len(observations(days(ratings, caffeine=caffeine, alcohol=alcohol, stress=stress, exercise=exercise), 10)) == 4
    )
    assert_observations_only(found)


def test_too_few_days_or_small_differences_are_not_stated():
    two_short_nights = days([8, 3, 3, 3, 3, 3, 8], sleep_hours=[4, 8, 8, 8, 8, 8, 4])  # trend flat too
    small = days([4, 4.5, 4, 4.5, 4, 4.5], caffeine=[4, 0, 4, 0, 4, 0])
    for entries in (two_short_nights, small):
        found = observations(entries)
        assert len(found) == 1 and found[0].startswith("No clear patterns yet")
        assert "more days" in found[0]
    assert observations([]) == [
        "No clear patterns yet: your diary has 0 days with a twitching rating, and about 14 more days with a rating would help show any."
    ]


def test_overview():
    assert "empty" in overview([])
    one = overview(days([6]))
    assert one.startswith("You have 1 diary day so far (12 Nov); twitching was rated 6 out of 10")
    entries = days([4] * 12 + [None, 6.6])
    assert overview(entries) == (
        "You have 14 diary days from 12 Nov to 25 Nov; twitching was rated on 13 of them, 4.2 out of 10 on average."
    )
    # two messages on one day are one diary day
    assert overview(entries + [DiaryEntry(START, caffeine=2)]).startswith("You have 14 diary days")


# --- chart -----------------------------------------------------------------------------------


def test_chart_data_has_every_day_in_order_with_gaps():
    entries = [
        DiaryEntry(D(2024, 11, 15), rating=5, stress="high"),
        DiaryEntry(D(2024, 11, 12), rating=2, sleep_hours=7, exercise=True),
        DiaryEntry(D(2024, 11, 14), sleep_hours=5, caffeine=3, alcohol=0),
    ]
    data = chart_data(entries)
    assert data["days"] == ["2024-11-12", "2024-11-13", "2024-11-14", "2024-11-15"]
    assert data["rating"] == [2, None, None, 5]
    assert data["sleep_hours"] == [7, None, 5, None]
    assert data["caffeine"] == [None, None, 3, None]
    assert data["alcohol"] == [None, None, 0, None]
    assert data["stress"] == [None, None, None, "high"]
    assert data["exercise"] == [True, None, None, None]
    assert chart_data([])["days"] == []


def month_of_entries():
    entries = []
    for i in range(30):
        if i % 7 == 3:
            continue
        entries.append(
            DiaryEntry(
                START + datetime.timedelta(days=i),
                rating=None if i % 9 == 4 else (i * 3) % 11,
                sleep_hours=5 + (i % 4),
                caffeine=i % 5,
                alcohol=i % 3,
                stress=("low", "medium", "high")[i % 3],
                exercise=i % 2 == 0,
            )
        )
    return entries


def test_render_png_is_a_small_png():
    for entries in (month_of_entries(), [], days([5])):
        png = render_png(entries)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(png) < 120_000


def test_render_png_from_threads():
    results, entries = [], month_of_entries()[:10]
    threads = [threading.Thread(target=lambda: results.append(render_png(entries))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 3 and all(r[:4] == b"\x89PNG" for r in results)


def test_describe_names_the_highest_and_lowest_days():
    entries = days([3, 8, None, 1, 5])
    text = describe(entries)
    assert "Highest twitching: 8 out of 10 on 13 Nov" in text
    assert "Lowest: 1 out of 10 on 15 Nov" in text
    assert "Twitching (0-10)" not in text and "0 (none) to 10 (worst)" in text
    assert "4 of the 5 days" in text
    assert "empty" in describe([])


# --- check-in dates --------------------------------------------------------------------------

CHECKIN_CASES = [
    ("in 2 weeks", D(2024, 12, 11)),
    ("in ten days", D(2024, 12, 7)),
    ("two weeks", D(2024, 12, 11)),
    ("next Friday", D(2024, 11, 29)),
    ("on the 9th", D(2024, 12, 9)),
    ("9 December", D(2024, 12, 9)),
    ("Dec 9", D(2024, 12, 9)),
    ("9/12", D(2024, 12, 9)),
    ("tomorrow", D(2024, 11, 28)),
    ("a week from now", D(2024, 12, 4)),
    ("in a month", D(2024, 12, 27)),
    ("wednesday", D(2024, 12, 4)),  # today is Wednesday: the next one
    ("sure, how about the 3rd?", D(2024, 12, 3)),
    ("1 jan", D(2025, 1, 1)),
    ("no thanks", None),
    ("today", None),
    ("yesterday", None),
    ("2 weeks ago", None),
    ("in 3 months", None),  # more than 90 days
    ("in 100 days", None),
    ("March 5", None),
    ("", None),
]


@pytest.mark.parametrize("text,expected", CHECKIN_CASES, ids=[t or "empty" for t, _ in CHECKIN_CASES])
def test_parse_checkin_date(text, expected):
    assert parse_checkin_date(text, TODAY) == expected


def test_a_diary_entry_carried_after_an_answer_is_found_and_a_whole_entry_is_not_carried():
    from followup.diary import embedded_entry

    assert (
        embedded_entry("none of those. log today: eyelid 3/10 in the evening")
        == "log today: eyelid 3/10 in the evening"
    )
    assert embedded_entry("no not really - diary: calf 6/10, 4 coffees") == "diary: calf 6/10, 4 coffees"
    assert embedded_entry("none. oh and log today: calves 6/10") == "log today: calves 6/10"
    assert embedded_entry("log today: calf 6/10") is None  # the whole message is the entry
    assert embedded_entry("my log today was fine. my calf twitches") is None
