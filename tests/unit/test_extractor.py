"""The finding extractor on messy chat text: slang, typos, negation, someone
else as the subject, ages and durations."""

from __future__ import annotations

import pytest

from clinical.extractor import Findings, extract, mentions


@pytest.mark.parametrize(
    "text,present,absent",
    [
        ("no weakness", set(), {"sign:weakness"}),
        ("breathing fine rn, no fever tho", set(), {"sign:fever"}),
        ("not sudden, it crept up over weeks", {"onset:gradual"}, {"onset:sudden"}),
        ("no numbness or tingling at all", set(), {"sign:numbness"}),
        ("I can't breathe", {"sign:breathing_difficulty"}, set()),
        ("i cant swallow my own spit", {"sign:cannot_swallow"}, set()),
        ("no weakness but my calf looks smaller", {"sign:wasting"}, {"sign:weakness"}),
        (
            "my calf twitches af, no weakness, can walk fine",
            {"sign:twitching", "sign:normal_function"},
            {"sign:weakness"},
        ),
        ("what if I get weakness later?", set(), set()),
        ("twiching in my thigh pls help", {"sign:twitching", "location:thigh"}, set()),
        ("fasiculations in both calves", {"sign:twitching", "location:calf"}, set()),
        ("keep dropping things and tripping", {"sign:weakness_function"}, set()),
        ("no weakness, numbness or tingling", set(), {"sign:weakness", "sign:numbness"}),
        ("no weakness, loads of coffee lately", {"trigger:caffeine"}, {"sign:weakness"}),
        ("no pain, keep dropping things though", {"sign:weakness_function"}, set()),
    ],
)
def test_negation_and_slang(text, present, absent):
    findings = extract(text)
    assert present <= findings.present, findings
    assert absent <= findings.absent, findings
    assert not (findings.present & absent)


def test_a_hypothetical_is_neither_present_nor_denied():
    findings = extract("what if I get weakness later?")
    assert "sign:weakness" not in findings.present | findings.absent


@pytest.mark.parametrize(
    "text,subject,age",
    [
        ("my dad (64) has twitching in his arms", "other", 64),
        ("my mum, 70, keeps dropping things", "other", None),
        ("I'm 34 and my calf twitches", "self", 34),
        ("28f, eyelid twitch", "self", 28),
        ("my calf twitches and my dad had ALS", "self", None),
        ("my husband is 52 yo and twitches all over", "other", 52),
    ],
)
def test_subject_and_age(text, subject, age):
    findings = extract(text)
    assert findings.subject == subject
    if age is not None:
        assert findings.age == age


def test_family_history_is_not_the_persons_own_diagnosis():
    assert "history:family_als" in extract("my dad had ALS").present
    assert "history:family_als" not in extract("I'm terrified I have ALS").present
    assert "history:family_als" not in extract("no family history of ALS").present


def test_a_relatives_symptom_is_not_the_persons():
    findings = extract("my calf twitches, and my sister has weakness in her hands")
    assert "sign:twitching" in findings.present
    assert "sign:weakness" not in findings.present


@pytest.mark.parametrize(
    "text,days",
    [
        ("twitching for 3 wks", 21),
        ("eye twitch for like 4 days now", 4),
        ("for two months", 60),
        ("since monday", 4),
        ("for ages", 90),
        ("started yesterday", 1),
        ("10d of twitching", 10),
        ("over the last few weeks", 21),
        ("twitching and cramps", None),
        ("me and my dad", None),
    ],
)
def test_durations(text, days):
    assert extract(text).duration_days == days


def test_medicines_by_brand_and_generic_name():
    assert "med:ssri_snri" in extract("on zoloft 50mg").present
    assert "med:ssri_snri" in extract("sertraline").present
    assert "med:fluoroquinolone" in extract("took cipro for a UTI").present
    assert "med:stimulant" in extract("my adhd meds").present
    assert "med:ppi" in extract("omeprazole for years").present


def test_triggers():
    facts = extract("loads of coffee and energy drinks, barely sleeping, stressed with exams, gym every day").present
    assert {"trigger:caffeine", "trigger:poor_sleep", "trigger:stress", "trigger:hard_exercise"} <= facts


def test_mentions_keep_the_persons_words():
    found = mentions("I keep dropping things")
    assert [(m.fact, m.text) for m in found] == [("sign:weakness_function", "keep dropping things")]


def test_merge_lets_a_later_answer_correct_an_earlier_one():
    first = extract("it started suddenly, my calf twitches")
    corrected = first.merge(extract("actually it was not sudden, it came on over weeks"))
    assert "onset:sudden" not in corrected.present and "onset:gradual" in corrected.present
    assert corrected.merge(Findings()).present == corrected.present


def test_nothing_in_empty_or_odd_input():
    for text in ["", "   ", "😀😀", "<script>alert(1)</script>", "x" * 10000]:
        findings = extract(text)
        assert not findings.present


def test_since_a_month_is_counted_from_the_calendar():
    from datetime import date

    from clinical.extractor import days_since_month

    today = date(2026, 11, 25)
    assert days_since_month("July", today) == 147
    assert days_since_month("november", today) == 24
    assert days_since_month("december", today) == 359  # last December
    assert extract("my calf has twitched since july").duration_days > 100


def test_form_answers_as_people_type_them():
    from support import check_turn

    from clinical.extractor import Findings
    from clinical.interview import QUESTIONS

    empty = {q: None for q in QUESTIONS}
    assert check_turn("person_age", "shes 31", "describe_symptoms", Findings(), empty).slots["person_age"] == "31"
    assert (
        check_turn("twitch_duration", "long time, years, only on the hill", "faq", Findings(), empty).slots[
            "twitch_duration"
        ]
        == "365 days"
    )
    answer = check_turn(
        "speech_breathing_or_numbness",
        "sometime short breath when i climb the hill",
        "describe_symptoms",
        Findings(),
        empty,
    )
    assert answer.slots["speech_breathing_or_numbness"].startswith("yes")


@pytest.mark.parametrize(
    "text,places",
    [
        ("my calf twitches, I take ibuprofen for my back", {"location:calf"}),
        ("I have twitching in my thigh and my back hurts from work", {"location:thigh"}),
        ("twitching in my calf and thigh, on citalopram for my mood", {"location:calf", "location:thigh"}),
        ("my back. twitching there for 3 weeks", {"location:back"}),
    ],
)
def test_a_body_part_is_where_it_twitches_only_when_said_of_the_twitching(text, places):
    """The doctor's summary says "Twitching in: ..." from these: not a back the ibuprofen is for."""
    assert {f for f in extract(text).present if f.startswith("location:")} == places


def test_a_normal_emg_said_with_a_comma_is_an_assessment_and_nothing_else_is():
    """Lexicon phrases with a comma must be quoted in YAML, or they split into pieces
    ("all normal" alone would mark anyone as already assessed)."""
    assert "history:assessed_benign" in extract("my neurologist did an EMG last month, all normal").present
    for text in (
        "waiting for an EMG, twitching all over for 3 months",
        "bloods all normal, twitching everywhere",
        "exam season, twitching all over",
    ):
        assert "history:assessed_benign" not in extract(text).present, text


def test_the_fact_groups_name_only_signs_the_lexicon_knows():
    """FACT_GROUPS in lexicon.yml steer how findings are read: a misspelt fact would do nothing, silently."""
    from clinical.extractor import load_lexicon

    lexicon = load_lexicon()
    known = {f"sign:{name}" for name in lexicon["SIGN"]} | {"sign:widespread", "sign:bulbar_or_breathing"}
    for group, facts in lexicon["FACT_GROUPS"].items():
        assert set(facts) <= known, (group, set(facts) - known)


def test_a_single_drop_is_no_weakness_but_dropping_that_keeps_happening_is():
    """Neurologist's review: "I dropped my cup this morning" must not reach the stroke rule."""
    from clinical.triage import triage

    for text in ("I dropped my cup this morning", "I dropped my phone today and my thumb twitches"):
        assert "sign:weakness_function" not in extract(text).present, text
        assert triage(extract(text)).level == "self_care", text
    for text in ("I keep dropping my phone", "dropping cups a lot lately", "I've dropped my cup three times today"):
        assert "sign:weakness_function" in extract(text).present, text


def test_despair_without_an_object_is_a_crisis_hint_and_a_pointless_errand_is_not():
    """Tried as a person would through the servers: "I don't see the point anymore" had got the symptom check."""
    from clinical.triage import triage

    for text in (
        "honestly i dont see the point anymore, this twitching is ruining everything",
        "what's the point anymore",
    ):
        assert triage(extract(text)).crisis, text
    for text in (
        "I don't see the point of going to the GP, it's just twitching",
        "I don't see the point in cutting coffee",
    ):
        assert not triage(extract(text)).crisis, text


@pytest.mark.parametrize(
    "text,fact",
    [
        # a face that stopped moving, an eye that will not close
        ("half my face stopped moving an hour ago", "sign:face_droop"),
        ("I can't close my left eye since this morning", "sign:face_droop"),
        # collapse told without the word: down on the floor, the world gone grey
        ("I went down onto the floor at work and everything went white", "sign:fainting"),
        ("he was out for a few seconds in the kitchen", "sign:fainting"),
        # a fit named by whoever saw it
        ("had what the paramedic called a seizure", "sign:seizure"),
        # chest pain in the middle of the chest, with no "in"
        ("squeezing pain centre of my chest", "sign:chest_pain"),
        # a temperature said as a number ("I'm 39.4"), not an age ("I'm 39")
        ("I'm 38.7 and shivering", "sign:fever"),
        # hardly any urine
        ("my pee is brown and only a few drops come out", "sign:little_urine"),
        # a hand task with its object a few words on
        ("trouble opening my big kitchen jar lids", "sign:weakness_function"),
        ("the base of my thumb has sunk in", "sign:wasting"),
        ("i've started panting on the stairs", "sign:breathless"),
        ("my tongue wriggles like worms", "sign:tongue_twitching"),
        ("my words come out a bit mushy", "sign:speech_change"),
        ("he's aggressive and won't calm down", "sign:agitation"),
        ("I keep losing track of what I'm saying", "sign:confusion"),
    ],
)
def test_signs_composed_from_new_wordings(text, fact):
    assert fact in extract(text).present, text


@pytest.mark.parametrize(
    "text,fact",
    [
        ("I'm 39 and my calf twitches", "sign:fever"),
        ("went down on the floor to play with my son", "sign:fainting"),
        ("the twitch in my calf feels weaker today", "sign:weakness"),
        ("so confused about which magnesium to buy", "sign:confusion"),
        ("I'm numb to the scary stories by now", "sign:numbness"),
        ("fell into the google trap again", "location:shoulder"),
        ("overdose of coffee this morning haha", "sign:overdose"),
        ("I can't swallow pills, never could", "sign:cannot_swallow"),
        ("a fit of giggles", "sign:seizure"),
        ("I've never had a seizure", "sign:seizure"),
        ("aggressive twitching in my calf", "sign:agitation"),
    ],
)
def test_set_aside_and_idioms_of_the_new_wordings(text, fact):
    assert fact not in extract(text).present, text


def test_context_rules_of_the_sixth_red_team():
    from clinical.triage import triage

    # what others notice is the writer's ("people say my voice ...")
    assert "sign:speech_change" in extract("my friends say my speech has got slurred lately").present
    # a medicine asked about, then said to be taken
    assert "med:statin" in extract("Can statins cause aches? I've been on one for a month, legs ache").present
    # "Did my first class": a statement with its "I" left out, not a question
    assert "sign:swelling" in extract("Did my first spin class, legs swollen and sore").present
    # "over the last year" is how long, not long ago
    assert "onset:gradual" in extract("over the last year my feet have slowly gone numb").present
    # a time that opens a list times each finding of it
    assert "onset:days" in extract("since Monday there's twitching in my arm and some tingling in my hand").present
    # someone else's condition is theirs
    assert "history:known_condition" not in extract("my mum has MS; my eyelid twitches").present
    # a person named after a leading phrase is the subject of its finding
    assert extract("after a tummy bug my husband's legs are weak").subject == "other"
    # "we think it was ecstasy": the medicine of the person described
    assert "med:recreational_stimulant" in extract("my son is twitching and confused, we think he took ecstasy").present
    # "as a kid" is the writer, younger
    assert extract("never liked needles, even as a kid. eyelid twitch").subject == "self"
    # too breathless to finish a sentence is an emergency even propped up in bed
    assert triage(extract("propped up in bed, can't breathe, can't finish a sentence")).level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "i wouldn't care if i didn't wake up tomorrow",
        "everyone would be better off if I was gone",
        "it'd be easier for everyone if I never came home",
        "gave my camera and my books away to friends last week",
        "no point planning for next year",
        "if someone wanted to not be here anymore who would they call? asking for a friend",
    ],
)
def test_crisis_hints_of_new_concept_groups(text):
    from clinical.triage import triage

    assert triage(extract(text)).crisis, text


def test_what_is_not_a_crisis_hint():
    from clinical.triage import triage

    for text in (
        "I don't care if I wake up early, I just want the twitch gone",
        "it would be easier if I never drank coffee",
        "gave my old clothes to charity",
    ):
        assert not triage(extract(text)).crisis, text


@pytest.mark.parametrize(
    "text,fact",
    [
        ("he has been without knowledge for a minute", "sign:fainting"),
        ("the room went grey and the next thing I knew I was on the floor", "sign:fainting"),
        ("my son had a sees your on the floor", "sign:seizure"),
        ("she was shaking all over on the floor", "sign:seizure"),
        ("she keeps calling me by my dad's name", "sign:confusion"),
        ("he thinks it's 1995", "sign:confusion"),
        ("she is unable to lift her arms to brush her hair", "sign:weakness_function"),
        ("he needed my arm to walk", "sign:weakness_function"),
        ("he's running 39", "sign:fever"),
        ("the little bit of wee I managed", "sign:little_urine"),
        ("I haven't been able to go since this morning", "sign:little_urine"),
        ("my wife's face is dripping on the left side", "sign:face_droop"),
        ("he is breathing very hard", "sign:breathing_difficulty"),
        ("when I lie flat I have no air", "sign:breathing_difficulty"),
        ("he wakes most mornings with a headache", "sign:morning_headache"),
        ("he falls asleep in his chair during the day", "sign:daytime_sleepiness"),
        ("she tests her grip on the kettle over and over", "sign:health_anxiety"),
        ("I keep choking a bit on water", "sign:swallowing_change"),
        ("two weeks ago I had strong diarrhea", "trigger:recent_infection"),
    ],
)
def test_signs_of_the_seventh_red_team(text, fact):
    assert fact in extract(text).present, text


@pytest.mark.parametrize(
    "text,fact",
    [
        ("I've been running 40 minutes a day", "sign:fever"),
        ("I was without knowledge of the dose", "sign:fainting"),
        ("my nan asked where she is supposed to park", "sign:confusion"),
        ("saw a TikTok of a woman whose face was drooping", "sign:face_droop"),
        ("I had febrile convulsions as a toddler", "sign:seizure"),
        ("I woke up with a headache after the wedding", "sign:morning_headache"),
    ],
)
def test_lookalikes_of_the_seventh_red_team(text, fact):
    assert fact not in extract(text).present, text


def test_context_rules_of_the_seventh_red_team():
    from clinical.triage import triage

    # a person who thinks they are having a stroke, even as a question (policy)
    assert triage(extract("ok im scared i think im having a stroke rn??")).level == "emergency"
    assert triage(extract("is it normal to feel like I'm having a heart attack when anxious?")).level != "emergency"
    assert triage(extract("could it be a stroke if my eye twitches?")).level != "emergency"
    # a question that also says the finding is happening now
    text = "Could twitching chest muscles cause this crushing pain I've had for an hour?"
    assert triage(extract(text)).level == "emergency"
    assert triage(extract("can twitching cause chest pain?")).level != "emergency"
    # a statement said with "??" still reports
    assert "sign:wasting" in extract("my thumb muscle looks caved in??").present
    assert "sign:wasting" in extract("the muscle between my thumb and finger looks hollow??").present
    # a medicine not taken yet is no medicine of the person
    assert "med:ssri_snri" not in extract("I'm thinking of asking my GP for sertraline").present
    assert "med:ssri_snri" in extract("my GP started me on sertraline last week").present
    # a diarrhoea weeks ago, then tingling rising from both feet: early Guillain-Barre
    text = "Two weeks ago I had diarrhea. Since three days I have ants in both feet that go up to the ankles."
    assert triage(extract(text)).level == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "if this is als im just gonna unalive tbh",
        "I feel like finishing myself",
        "I feel living is no meaning anymore",
        "maybe if I die is better for my family",
        "i keep thinking about taking them all, the pills",
        "my brother says he won't be around much longer and he's giving away his guitars",
    ],
)
def test_crisis_said_in_slang_or_translated_english(text):
    from clinical.triage import triage

    assert triage(extract(text)).crisis, text


def test_what_is_not_a_crisis_in_the_seventh_red_team():
    from clinical.triage import triage

    for text in (
        "I don't want to continue",
        "I won't be around much longer at this job",
        "thinking about taking magnesium for the twitching",
        "I want to finish my course before I see the neurologist",
    ):
        assert not triage(extract(text)).crisis, text


def test_energy_drinks_by_brand_count_as_caffeine_in_the_plural_too():
    """Found by a new-user trial: "3 red bulls a day" was no caffeine."""
    for text in ["i drink 3 red bulls a day", "2 redbulls before the gym", "red bull every morning"]:
        assert "trigger:caffeine" in extract(text).present, text


def test_hours_of_sleep_are_not_how_long_the_twitching_has_lasted():
    """Found trying it as a person: "slept 5 hours" in a diary line made the check's duration 5 hours."""
    assert extract("eyelid 5/10, 3 monsters, slept 5 hours").duration_days is None
    assert extract("6h sleep, calf twitching for 3 weeks").duration_days == 21
    assert extract("twitching started 2 hours ago").duration_days is not None
    # ... and a sleep word after weeks or months leaves their time alone (a reviewer's cases)
    assert extract("been 6 weeks sleep is terrible").duration_days == 42
    assert extract("twitching 2 months sleep has been awful").duration_days == 60
