"""The twitch diary: one entry a day, read from what people actually write.

parse_entry turns "twitching bad in both calves, 4 coffees, slept 5 hours,
stressed" into a DiaryEntry. Each reader takes the words it used out of the
message before the next one looks, so a number is never read twice (the 5 in
"slept 5 hours" is sleep, not a rating). When a message is unclear a field
stays None: a wrong number in the diary would mislead the patterns later.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Callable, List, Optional, Tuple

from followup.dates import DATE_PATTERNS, WEEKDAY_NAMES, WEEKDAYS, date_parts, make_date, normalise_numbers

STRESS_LEVELS = ("low", "medium", "high")
DATA_FIELDS = ("rating", "locations", "caffeine", "sleep_hours", "stress", "exercise", "alcohol", "new_medicine")
# A year-less date that would be in the future is read as last year's only this close to New Year
# ("31 Dec" on 2 Jan); otherwise it is refused rather than filed a year back.
YEAR_ROLLBACK_DAYS = 60
# A message that opens with an explicit diary command and a colon or dash ("log today:",
# "diary entry -", "today's log:") is a diary entry, however much story follows it, and
# inside the symptom check it is an entry, not an answer to the question asked.
DIARY_COMMAND = re.compile(
    r"^\s*(?:please\s+)?(?:(?:twitch\s+)?(?:log|diary|journal)(?:\s+entry)?(?:\s+for)?(?:\s+(?:today|yesterday|tonight))?"
    r"|today'?s\s+(?:log|entry|diary(?:\s+entry)?)|add\s+to\s+(?:my\s+)?(?:diary|log))\s*[:\-\u2013\u2014]",
    re.I,
)
# The contract's intents that ask something of the diary. Said beside another main part
# ("my calf twitches ... can I start some kind of log?") the person is told how, once
# (actions/other_parts.py); inside the symptom check they are done and the check goes on.
DIARY_REQUESTS = ("log_symptoms", "show_diary", "export_my_data", "delete_diary_entry")
# A request that names the diary ("can I start some kind of log?", "keep a journal of this"):
# said beside a description, it is a request about the diary, not a day's entry.
NAMES_DIARY = re.compile(r"\b(?:log|logs|logging|diary|diaries|journal|track(?:ing|er)?|record(?:ing)?)\b", re.I)


def opens_with_diary_command(text: str) -> bool:
    return bool(DIARY_COMMAND.match(text or ""))


# Where a diary entry may start inside a longer message: a new sentence, a line, or a dash,
# and the little words people put before it ("none. oh and log today: ...").
ENTRY_START = re.compile(r"[.!?]\s+|\s[-\u2013\u2014]+\s*|\n\s*")
ENTRY_LEAD_IN = re.compile(r"^(?:(?:oh|and|also|plus|btw|ps|wait|ok|okay|anyway|before i forget)\b[\s,]*)+", re.I)


def embedded_entry(text: str) -> Optional[str]:
    """The diary entry a longer message carries after something else ("none of those. log
    today: eyelid 3/10", "no not really - diary: calf 6/10"), or None. A message that
    opens with the command is an entry as a whole, not one carried."""
    for start in ENTRY_START.finditer(text or ""):
        tail = ENTRY_LEAD_IN.sub("", text[start.end() :])
        if opens_with_diary_command(tail):
            return tail.strip()
    return None


def is_diary_request(intent: str, text: str) -> bool:
    """A message (or part) that asks something of the diary. One read as a day's entry
    asks only when it says so ("log today: ...", "can I start some kind of log?"): a
    bare "24" or "5/10 today" answering a question, or a sentence of a story, does not."""
    if intent not in DIARY_REQUESTS:
        return False
    return intent != "log_symptoms" or opens_with_diary_command(text) or bool(NAMES_DIARY.search(text or ""))


@dataclass
class DiaryEntry:
    day: datetime.date
    rating: Optional[float] = None  # how bad the twitching was, 0-10
    locations: List[str] = field(default_factory=list)  # person's words, lower case
    caffeine: Optional[int] = None  # caffeinated drinks that day
    sleep_hours: Optional[float] = None  # hours slept the night before
    stress: Optional[str] = None  # "low" | "medium" | "high"
    exercise: Optional[bool] = None
    alcohol: Optional[int] = None  # alcoholic drinks; 0 when "no alcohol"
    new_medicine: Optional[str] = None  # a medicine the person says is new
    note: str = ""  # the person's own words, kept for them

    def filled(self) -> List[str]:
        """The diary fields this entry gives (day and note are always there, so
        they are left out): an empty list means nothing was understood."""
        return [name for name in DATA_FIELDS if getattr(self, name) not in (None, [], "")]

    def merged_with(self, newer: "DiaryEntry") -> "DiaryEntry":
        """A second message about the same day adds to the first: what it gives
        replaces, what it leaves out is kept, and both notes are kept."""
        if newer.day != self.day:
            raise ValueError(f"cannot merge entries of different days ({self.day} and {newer.day})")
        merged = DiaryEntry(day=self.day, **{name: getattr(self, name) for name in DATA_FIELDS})
        for name in newer.filled():
            value = getattr(newer, name)
            setattr(merged, name, list(value) if isinstance(value, list) else value)
        merged.locations = list(merged.locations)
        notes = [n for n in (self.note.strip(), newer.note.strip()) if n]
        merged.note = " / ".join(dict.fromkeys(notes))
        return merged

    def as_dict(self) -> dict:
        """JSON-safe, for the store; from_dict reads it back."""
        d = asdict(self)
        d["day"] = self.day.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "DiaryEntry":
        """Inverse of as_dict; unknown keys are ignored so older rows still load."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in d.items() if k in known}
        day = kwargs.get("day")
        kwargs["day"] = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day))
        kwargs["locations"] = list(kwargs.get("locations") or [])
        kwargs["note"] = kwargs.get("note") or ""
        return cls(**kwargs)

    def summary(self) -> str:
        """One plain line to read back what was logged."""
        parts = []
        where = f" in {_join(self.locations)}" if self.locations else ""
        if self.rating is not None:
            parts.append(f"twitching {fmt_number(self.rating)}/10{where}")
        elif where:
            parts.append(f"twitching{where}")
        if self.caffeine is not None:
            parts.append("no caffeine" if self.caffeine == 0 else _count(self.caffeine, "caffeinated drink"))
        if self.sleep_hours is not None:
            parts.append(f"slept {fmt_number(self.sleep_hours)} h")
        if self.stress:
            parts.append(f"stress {self.stress}")
        if self.exercise is not None:
            parts.append("exercised" if self.exercise else "no exercise")
        if self.alcohol is not None:
            parts.append("no alcohol" if self.alcohol == 0 else _count(self.alcohol, "alcoholic drink"))
        if self.new_medicine:
            parts.append(f"new medicine: {self.new_medicine}")
        return "; ".join(parts) if parts else "nothing recorded"


def fmt_number(x: float) -> str:
    """6.0 -> "6", 4.5 -> "4.5": whole numbers without a trailing .0."""
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}".rstrip("0").rstrip(".")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _join(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- reading a message

MARK = " \u25c7 "  # stands where words were taken: no letters or digits, not a clause break
HRS = r"(?:hours?|hrs?|h)\b"
TWITCH = r"(?:twitch\w*|fascic\w*|flicker\w*|spasm\w*|jump(?:ing|y|ed)\b|buzz\w*|quiver\w*|ripple\w*|vibrat\w*)"
CLAUSE_SPLIT = re.compile(r"[,;!?\n:]|(?<!\d)\.|\.(?!\d)|\bbut\b|\s-\s|\balthough\b|\bwhereas\b")
HEDGE = (
    r"(?:(?:like|about|around|maybe|only|just|roughly|approx\w*|barely|nearly|almost|probably|prob|"
    r"a solid|a good|a measly|under|less than|over|more than|at least|at most|a little over|a bit over|"
    r"a bit under|a little under|max)\s+)*"
)
QTY = r"(?:(?P<lo>\d+)\s*(?:-|to|or)\s*)?(?P<n>\d+|an?|another|single)\s+"
CONTAINER = r"(?:(?:cups?|mugs?|cans?|bottles?|glass(?:es)?|shots?|pots?|servings?|scoops?|tins?|pints?|large|small|big)\s+(?:of\s+)?)?"
DRINK_ADJ = (
    r"(?:(?:large|big|small|huge|strong|extra|iced|ice|hot|black|white|green|diet|sugar[- ]free|double|triple|"
    r"oat|instant|filter|proper|cold|regular|normal|full[- ]fat|zero|sugary|massive|quick|morning|afternoon|"
    r"medium|venti|grande|tall)\s+)*"
)
CAFFEINE_DRINK = (
    r"(?:coffees?|espressos?|lattes?|cappuccinos?|americanos?|flat whites?|mochas?|macchiatos?|cortados?|"
    r"cold brews?|chai(?: lattes?)?|matcha(?: lattes?)?|teas?|cuppas?|brews?|energy drinks?|red ?bulls?|"
    r"monsters?|rockstars?|relentless|celsius|prime energy|colas?|coca[- ]colas?|cokes?|pepsis?|"
    r"dr\.? peppers?|mountain dews?|pre[- ]?workouts?|caffeine (?:pills?|tablets?)|caffeinated drinks?|"
    r"nescafes?|nespressos?|double shots?)"
)
NOT_CAFFEINATED = r"(?:decaf\w*|herbal|chamomile|camomile|peppermint|mint|fruit|rooibos|de-?caffeinated)"
ALCOHOL_DRINK = (
    r"(?:beers?|lagers?|ales?|ipas?|stouts?|guinness(?:es)?|ciders?|wines?|proseccos?|champagnes?|cavas?|"
    r"cocktails?|margaritas?|mojitos?|spritz(?:es)?|whisk(?:e)?ys?|whiskies|bourbons?|vodkas?|"
    r"gin(?: and tonic| & tonic)?s?|g ?& ?ts?|rums?|tequilas?|shots?|jagers?|jaegers?|sakes?|"
    r"(?:hard )?seltzers?|alcoholic drinks?|drinks?|pints?|bevvies|bevs|(?<=of )(?:red|white|rose|ros\u00e9|bubbly))"
)
BODY_PARTS = (
    "eyelids", "eyelid", "eye lid", "eyebrows", "eyebrow", "eyes", "eye", "lips", "lip", "mouth", "cheeks",
    "cheek", "face", "jaw", "chin", "tongue", "temple", "forehead", "scalp", "neck", "shoulders", "shoulder",
    "upper arm", "forearms", "forearm", "arms", "arm", "biceps", "bicep", "triceps", "tricep", "elbows",
    "elbow", "wrists", "wrist", "hands", "hand", "palms", "palm", "fingers", "finger", "thumbs", "thumb",
    "pinky", "chest", "pecs", "pec", "stomach", "belly", "tummy", "abdomen", "ribs", "rib", "lower back",
    "upper back", "hips", "hip", "glutes", "glute", "buttocks", "buttock", "bum", "butt", "groin",
    "thighs", "thigh", "quads", "quad", "hamstrings", "hamstring", "knees", "knee", "legs", "leg", "calves",
    "calf", "shins", "shin", "ankles", "ankle", "feet", "foot", "big toe", "toes", "toe", "arches", "arch",
    "soles", "sole", "heels", "heel", "all over", "everywhere", "whole body",
)  # fmt: skip
SIDE = r"(?:(?:both(?: of)?|left|right|upper|lower|inner|outer|top|bottom|left and right|right and left)\s+(?:(?:my|the)\s+)?)"
PART_RE = re.compile(
    r"\b(?:(?:my|the)\s+)?(?P<side>" + SIDE + r"*)(?P<part>"
    + "|".join(re.escape(p) for p in sorted(BODY_PARTS, key=len, reverse=True))
    + r"|(?<=my )back|(?<=the )back)\b(?! (?:of|to|from|up)\b)"
)  # fmt: skip
PART_WORD = re.compile(r"(?:" + "|".join(re.escape(p) for p in BODY_PARTS) + r"|back)")
# Words that may follow a rating number ("twitching 8 in my calves"); any other word makes it a count
# ("3 times", "2 weeks") and it is left alone.
NEXT_OK = set(
    "today yesterday tonight this overall i im i'd but and with or maybe again though at in on for so my both "
    "left right mostly mainly all pretty really honestly now then too also which".split()
)
PREV_BAD = set(
    "for in at since after by every than of on within past last over under per the x from to until till".split()
)

# Rating words, most specific first (tried in this order; a longer phrase hides the words inside it).
RATING_WORDS: List[Tuple[str, float]] = [
    (r"\bno (?:more )?" + TWITCH, 0), (r"\bnot (?:a )?single twitch\w*", 0), (r"\bzero " + TWITCH, 0),
    (r"\b0 " + TWITCH, 0), (r"\btwitch\w*[- ]free\b", 0), (r"\bnot (?:a )?twitch\w*", 0),
    (r"\b(?:didn'?t|did not|haven'?t|hasn'?t|not) (?:twitch\w*|had any twitch\w*) (?:at all|once)\b", 0),
    (r"\bnot twitching at all\b", 0), (r"\b(?:none|non[- ]?existent|nil|zero|nothing)\b", 0),
    (r"\bnot (?:too |that |so |very |really |as )?(?:bad|awful|terrible|strong)\b", 3),
    (r"\b(?:was|were|is|are)n'?t (?:too |that |so |very |really )?(?:bad|awful|terrible)\b", 3),
    (r"\b(?:very|really|so|super|extremely|insanely|crazy|unbelievably|incredibly) (?:bad|strong|intense|active|frequent)\b", 9),
    (r"\b(?:terrible|awful|horrible|horrendous|worst|non[- ]?stop|constant(?:ly)?|unbearable|severe|extreme|"
     r"out of control|(?:like )?crazy|insane|relentless|all day long|through the roof)\b", 9),
    (r"\b(?:very|really|super|extremely|so) (?:mild|light|slight|little|minor|few)\b", 1),
    (r"\b(?:barely|hardly|almost none|almost no|next to nothing|minimal|tiny bit|almost gone|virtually none)\b", 1),
    (r"\b(?:pretty|quite|fairly|rather) (?:bad|strong|intense|active|frequent|rough)\b", 7),
    (r"\b(?:a lot|lots|loads|heaps|tons|bad|strong|intense|heavy|frequent|rough|active|high|flaring|flared up)\b", 7),
    (r"\b(?:moderate|medium|so[- ]so|average|middling|okayish|ok-ish|mid)\b", 5),
    (r"\b(?:mild|mildly|not much|not many|manageable|quiet|calm|low|not too many)\b", 3),
    (r"\b(?:a little|a bit|a touch|slight|slightly|light|minor|few|occasional|the odd)\b", 2),
]  # fmt: skip
# Twitching compared with another time says nothing on its own scale: these leave the rating None.
RATING_RELATIVE = (
    r"(?<!no )\b(?:(?:the )?same(?: as (?:usual|always|normal|before|yesterday|ever))?|as usual|usual|normal|"
    r"no change|unchanged|similar|not as \w+|(?:bit |little |much |lot )?(?:worse|better|less|more|calmer|"
    r"quieter|milder|stronger)(?: than \w+)?|improv\w*)\b"
)

_MEDICINES = (
    "sertraline citalopram escitalopram fluoxetine paroxetine venlafaxine duloxetine mirtazapine amitriptyline "
    "nortriptyline trazodone bupropion propranolol atenolol bisoprolol metoprolol gabapentin pregabalin "
    "magnesium melatonin b12 iron potassium calcium zinc creatine salbutamol prednisolone prednisone "
    "omeprazole lansoprazole metformin levothyroxine ciprofloxacin levofloxacin doxycycline amoxicillin "
    "diazepam lorazepam clonazepam alprazolam quetiapine aripiprazole olanzapine lithium methylphenidate "
    "adderall ritalin vyvanse atorvastatin simvastatin rosuvastatin amlodipine ramipril lisinopril losartan "
    "antibiotics antidepressants antidepressant ssri ssris inhaler cetirizine loratadine montelukast "
    "topiramate lamotrigine sumatriptan naproxen ibuprofen codeine tramadol hydroxyzine buspirone "
    "ashwagandha quinine"
).split()
_DRUG_SUFFIX = r"(?:ine|ol|am|pam|lam|pine|pril|sartan|statin|azole|mycin|cillin|cycline|oxacin|one|ide|mab|tine|pride|done|ate|zide|lol)"
_NOT_MEDICINE = set(
    "to a an the my new feeling feel twitching twitch twitches getting going work working job again at on this "
    "that today yesterday early late off up out running run gym exercise exercising eating drinking sleeping "
    "worrying panicking noticing having being doing taking it them some all me for by with".split()
)


class _Reader:
    """The message as it is being read: taken words are replaced by MARK."""

    def __init__(self, text: str):
        self.s = normalise_numbers(text)

    def take(self, pattern: str, handle: Callable[[re.Match], object] = None, flags: int = 0) -> list:
        """Every match of `pattern`, left to right, taken out of the text; returns what `handle` gave."""
        found, rx = [], re.compile(pattern, flags)
        pos = 0
        while True:
            m = rx.search(self.s, pos)
            if not m:
                return found
            value = handle(m) if handle else m
            if value is _SKIP:
                pos = m.start() + 1
                continue
            found.append(value)
            self.s = self.s[: m.start()] + MARK + self.s[m.end() :]
            pos = m.start() + len(MARK)

    def clauses(self) -> List[str]:
        return [c for c, _ in self.clauses_with_breaks()]

    def clauses_with_breaks(self) -> List[Tuple[str, str]]:
        """(clause, the break before it: "," ":" "but" ...), empty clauses left out."""
        out, pos, before = [], 0, ""
        for m in CLAUSE_SPLIT.finditer(self.s):
            out.append((self.s[pos : m.start()], before))
            before, pos = m[0].strip(), m.end()
        out.append((self.s[pos:], before))
        return [(c, b) for c, b in out if c.strip()]


_SKIP = object()  # a handler's answer to Reader.take: not this match, leave the words
MAX_READ = 2000  # characters read from a message; a diary entry is far shorter, and the note keeps it all


def parse_entry(text: str, today: datetime.date) -> DiaryEntry:
    """Reads one diary message. Fields the message does not clearly give stay None."""
    return _read(text, today)[0]


def future_day_named(text: str, today: datetime.date) -> Optional[datetime.date]:
    """The future day a diary message names, if any ("tomorrow", "next Friday",
    "on 3 March" when that is still to come). parse_entry files such a message
    under today; an action can use this to say a future day cannot be logged."""
    return _read(text, today)[1]


def _read(text: str, today: datetime.date) -> Tuple[DiaryEntry, Optional[datetime.date]]:
    """(the entry, a future day the message named and was refused). The order matters:
    each reader takes its words before the next looks."""
    r = _Reader((text or "")[:MAX_READ])
    entry = DiaryEntry(day=today, note=(text or "").strip())
    entry.stress = _stress_number(r)
    entry.sleep_hours = _sleep(r)
    entry.day, refused = _day(r, today)
    entry.rating = _strong_rating(r)
    entry.caffeine = _caffeine(r)
    entry.alcohol = _alcohol(r)
    entry.exercise = _exercise(r)
    entry.new_medicine = _medicine(r)
    r.take(r"\b\d{1,2}(?::\d\d)?\s*(?:am|pm|o'?clock)\b|\b\d{1,2}:\d\d\b")  # times of day are not ratings
    if entry.stress is None:
        entry.stress = _stress_words(r)
    if entry.rating is None:
        entry.rating = _weak_rating(r)
    entry.locations = _locations(r)
    return entry, refused


# --- day -------------------------------------------------------------------------------------


def _day(r: _Reader, today: datetime.date) -> Tuple[datetime.date, Optional[datetime.date]]:
    """(the day the message is about, a future day it named and was refused)."""
    # Words for other days used only to compare with are not the entry's day.
    r.take(
        r"\b(?:than|since|from|as|like|vs|versus|compared to|compared with)\s+(?:yesterday|last night|"
        + WEEKDAY_NAMES
        + r")\b"
    )
    named: List[Tuple[int, Optional[datetime.date]]] = []  # (position, day)

    def at(m: re.Match, day: Optional[datetime.date]) -> None:
        named.append((m.start(), day))

    r.take(r"\b(?:the )?day before yesterday\b", lambda m: at(m, today - datetime.timedelta(days=2)))
    r.take(r"\byesterday\b", lambda m: at(m, today - datetime.timedelta(days=1)))
    r.take(r"\b(?:the )?day after tomorrow\b|\btomorrow\b", lambda m: at(m, today + datetime.timedelta(days=1)))
    r.take(r"\b(\d{1,2}) days? ago\b", lambda m: at(m, today - datetime.timedelta(days=int(m[1]))))
    r.take(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", lambda m: at(m, today))

    def weekday(m: re.Match) -> None:
        back = (today.weekday() - WEEKDAYS.index(m[2])) % 7
        if m[1] and m[1].startswith("next"):
            at(m, today + datetime.timedelta(days=(WEEKDAYS.index(m[2]) - today.weekday()) % 7 or 7))
        else:
            at(m, today - datetime.timedelta(days=back))

    r.take(rf"\b(?:(next|last|this|on|on a)\s+)?({WEEKDAY_NAMES})(?:'s)?\b", weekday)

    def calendar_date(m: re.Match):
        d, month, year = date_parts(m)
        if "/" in m[0] and month == 10 and d <= 10 and not re.search(r"\b(?:on|for|date)\s*$", r.s[: m.start()]):
            return _SKIP  # "6/10" is a rating
        if year:
            at(m, make_date(year, month, d))
            return None
        this_year = make_date(today.year, month, d)
        last_year = make_date(today.year - 1, month, d)
        if this_year and this_year <= today:
            at(m, this_year)
        elif last_year and (today - last_year).days <= YEAR_ROLLBACK_DAYS:
            at(m, last_year)
        else:
            at(m, this_year or last_year)
        return None

    for pattern in DATE_PATTERNS:
        r.take(pattern.pattern, calendar_date)

    def month_day(m: re.Match) -> None:
        d = int(m[1] or m[2])
        cand = make_date(today.year, today.month, d)
        if cand and cand > today:  # "the 30th" on the 2nd is last month's
            prev = today.replace(day=1) - datetime.timedelta(days=1)
            cand = make_date(prev.year, prev.month, d)
        at(m, cand)

    # "on the 3rd", or "the 3rd" standing alone ("the 3rd was bad"), not "the 1st dose"
    r.take(
        r"\bon the (\d{1,2})(?:st|nd|rd|th)\b|\bthe (\d{1,2})(?:st|nd|rd|th)\b(?=\s*(?:$|[,.;:!?\u25c7-]|was\b|i\b|my\b|twitch))",
        month_day,
    )
    named = [(pos, d) for pos, d in sorted(named, key=lambda x: x[0]) if d]
    if not named:
        return today, None
    first = named[0][1]
    if first > today:
        return today, first
    return first, None


# --- sleep -----------------------------------------------------------------------------------


def _clock(h: str, minutes: Optional[str], ampm: Optional[str], bedtime: bool) -> float:
    t = int(h) % 12 + (int(minutes) / 60 if minutes else 0)
    if ampm == "pm" or (not ampm and bedtime and int(h) >= 6 and int(h) != 12):
        t += 12
    return t


def _sleep(r: _Reader) -> Optional[float]:
    found: List[float] = []
    clock = r"(\d{1,2})(?::(\d\d))?\s*(am|pm)?"

    def span(m: re.Match) -> None:
        start = _clock(m[1], m[2], m[3], bedtime=True)
        end = _clock(m[4], m[5], m[6], bedtime=False)
        hours = (end - start) % 24
        if 0 < hours <= 16:
            found.append(float(hours))

    sleep_word = r"\b(?:slept|sleep|asleep|bed|kipped)\b"

    def clock_range(m: re.Match):
        said_clock = re.search(r"\bfrom\s", m[0]) or m[3] or m[6] or m[2] or m[5] or int(m[1]) > int(m[4])
        return span(m) if said_clock else _SKIP  # "slept 5-6 hours" is an amount, not a time

    r.take(
        sleep_word + rf"[^,.;!?]{{0,60}}?\b(?:from\s+)?{clock}\s*(?:to|till|til|until|-)\s*{clock}(?!\s*{HRS}|\d)",
        clock_range,
    )
    r.take(
        rf"\b(?:bed|asleep|slept)\s+(?:at|by|around|about)\s+{clock}[^.;!?]{{0,60}}?\b(?:woke(?: up)?|up|awake|got up)\s+"
        rf"(?:at|by|around|about)\s+{clock}",
        span,
    )

    def amount(m: re.Match) -> None:
        hi = float(m["hi"]) if m["hi"] else None
        lo = float(m["lo"])
        found.append((lo + hi) / 2 if hi is not None else lo)

    r.take(
        r"\bsleep(?: quality)?\s*(?:was\s+|is\s+|[:=-]\s*)?\d+(?:\.\d+)?\s*(?:/\s*10|out of 10)\b"
    )  # a score for sleep, not hours
    rng = r"(?P<lo>\d+(?:\.\d+)?)(?:\s*(?:-|to|or|/)\s*(?P<hi>\d+(?:\.\d+)?))?"
    filler = (
        r"(?:\s*[=~:-]|\s+(?:for|was|were|of|only|just|total|in total|a|solid|good|maybe|about|around|like|roughly|"
        r"approx\w*|barely|nearly|almost|probably|prob|under|less than|over|more than|at least|at most|is|a measly|max)\b)*\s*"
    )
    r.take(
        r"\b(?:didn'?t sleep at all|did not sleep at all|no sleep|0 sleep|all[- ]nighter|didn'?t sleep a wink)\b",
        lambda m: found.append(0.0),
    )
    r.take(
        rf"\b(?:slept|sleep|kipped){filler}{rng}\s*(?:{HRS}(?:\s+(?:of\s+)?(?:sleep|kip))?|(?=\s*(?:$|[,.;!?)]|{MARK.strip()}|\band\b|last night)))",
        amount,
    )
    r.take(rf"{HEDGE}{rng}\s*{HRS}\s+(?:of\s+)?(?:sleep|kip|shut[- ]?eye|rest|in bed)\b", amount)
    # "didn't sleep much (maybe 5 hrs)", "only got 4 hours last night": hours in a clause about sleep
    if not found:
        for clause in r.clauses():
            if re.search(r"\b(?:sleep\w*|slept|bed|night|kip|woke)\b", clause) and not re.search(
                r"\b(?:work\w*|shift|drove|driving|awake|nap\w*|flight|travel\w*)\b", clause
            ):
                m = re.search(rf"(?<![\d/]){rng}\s*{HRS}", clause)
                if m:
                    amount(m)
                    r.s = r.s.replace(m[0], MARK, 1)
                    break
    # Words about sleep with no amount are taken too, so "slept badly" is not read as a twitch rating.
    r.take(
        r"\b(?:slept|sleep|sleeping)\s+(?:was\s+)?(?:very\s+|really\s+|so\s+|pretty\s+)?(?:badly|bad|poorly|well|ok|okay|terrible|terribly|awful|rubbish|great|fine|better|worse|much|little|in)\b|\b(?:barely|hardly|didn'?t|did not|couldn'?t)\s+sleep\b|\b(?:bad|poor|good|rough|terrible|awful|broken|restless)\s+(?:night'?s?\s+)?sleep\b|\b(?:bad|rough|terrible|awful|restless|good|poor)\s+night\b"
    )
    if found and 0 <= found[0] <= 16:
        return round(found[0], 2)
    return None


# --- ratings ---------------------------------------------------------------------------------


def _valid_rating(x: str) -> Optional[float]:
    v = float(x)
    return v if 0 <= v <= 10 else None


def _stress_number(r: _Reader) -> Optional[str]:
    levels: List[str] = []

    def level(m: re.Match):
        v = float(m[1])
        if v > 10:
            return _SKIP
        levels.append("high" if v >= 7 else "medium" if v >= 4 else "low")
        return None

    r.take(
        r"\b(?:stress(?:ed|ful)?|anxiety|anxious)(?:\s+(?:level|levels|was|is|were|about|around|at|like|maybe|a|an|of|rating))*"
        r"\s*[:=-]?\s*(\d+(?:\.\d+)?)(?!\s*(?:" + HRS + r"|days?|weeks?))(?:\s*(?:/\s*10|out of 10))?",
        level,
    )
    return levels[0] if levels else None


def _strong_rating(r: _Reader) -> Optional[float]:
    """Ratings that say they are ratings: "6/10", "6 out of 10", "rated it a 6"."""
    found: List[float] = []

    def keep(m: re.Match):
        v = _valid_rating(m[1])
        if v is None:
            return _SKIP
        found.append(v)
        return None

    r.take(r"(?<![\d/.])(\d+(?:\.\d+)?)\s*(?:/|out of|outta)\s*10\b(?!\s*/)", keep)
    r.take(
        r"\b(?:rated?|rating|score[ds]?|scoring|level)\s+(?:it\s+|today\s+|the twitch\w*\s+)?(?:(?:at|as|of|was|is|:)\s+)?(?:an?\s+)?(\d+(?:\.\d+)?)\b(?!\.\d|\d)",
        keep,
    )
    return found[0] if found else None


def _next_word_ok(s: str, end: int) -> bool:
    """Whether the words after a number let it be a rating ("8 in my calves" yes, "3 times" no)."""
    rest = s[end:]
    if re.match(r"\s*(?:$|[,.;!?)\n:\u25c7]|-\s)", rest):
        return True
    m = re.match(r"\s*([a-z'\-]+)", rest)
    if not m:
        return False
    word = m[1]
    return word in NEXT_OK or bool(PART_WORD.fullmatch(word))


def _weak_rating(r: _Reader) -> Optional[float]:
    """Ratings read from context: "twitching 8", "a 6", "maybe seven", "twitches were mild"."""
    s = r.s
    twitch_near = rf"\b{TWITCH}[\s:,\-]*(?:(?:was|were|is|are|at|about|around|like|maybe|probably|prob|roughly|approx\w*|honestly|a|an|level|today|itself)\s+)*"
    for m in re.finditer(twitch_near + r"(\d+(?:\.\d+)?)\b(?![/:\d]|\.\d)", s):
        if _next_word_ok(s, m.end()) and _valid_rating(m[1]) is not None:
            return float(m[1])
    for m in re.finditer(r"\b(?:an?)\s+(\d+(?:\.\d+)?)\b(?![/:\d]|\.\d)", s):
        if _next_word_ok(s, m.end()) and _valid_rating(m[1]) is not None:
            return float(m[1])
    previous_twitch = False
    for clause, before in r.clauses_with_breaks():
        has_twitch = re.search(rf"\b{TWITCH}", clause) is not None
        after_twitch, previous_twitch = previous_twitch, has_twitch
        plain = clause.replace("\u25c7", " ")
        # A number on its own right after a clause about twitching ("bad day for twitching, maybe seven"),
        # but not the value of a label ("sleep: 8").
        short = (
            (has_twitch or after_twitch)
            and before != ":"
            and re.fullmatch(
                r"\s*(?:(?:maybe|about|around|probably|prob|like|roughly|i'?d say|id say|say|solid|an?|honestly|overall|so)\s+)*"
                r"(\d+(?:\.\d+)?)\s*(?:today|tonight|overall|or so|i think|i guess|maybe)?\s*",
                plain,
            )
        )
        if short and _valid_rating(short[1]) is not None:
            return float(short[1])
        if has_twitch:
            for m in re.finditer(r"(?<![\d./])\b(\d+(?:\.\d+)?)\b(?![/:\d]|\.\d)", clause):
                before = re.findall(r"[a-z']+", clause[: m.start()])
                if before and before[-1] in PREV_BAD:
                    continue
                after = clause[m.end() :]
                if re.match(rf"\s*{TWITCH}", after):
                    continue  # "5 twitches" is a count
                if _next_word_ok(clause, m.end()) and _valid_rating(m[1]) is not None:
                    return float(m[1])
    return _rating_words(r)


def _rating_words(r: _Reader) -> Optional[float]:
    best: Optional[Tuple[int, float]] = None  # (distance to the twitch word, value)
    clauses: List[str] = []
    for clause, before in r.clauses_with_breaks():
        if before in (":", "-") and clauses and re.search(rf"\b{TWITCH}\W*$", clauses[-1]):
            clauses[-1] += ": " + clause  # "twitching: none" is one thought
        else:
            clauses.append(clause)
    for clause in clauses:
        twitches = [m.start() for m in re.finditer(rf"\b{TWITCH}|\b(?:no|zero|0) {TWITCH}", clause)]
        if not twitches:
            continue
        clause = re.sub(RATING_RELATIVE, lambda m: "\u25c7" * len(m[0]), clause)
        taken = [False] * len(clause)
        for pattern, value in RATING_WORDS:
            for m in re.finditer(pattern, clause):
                if any(taken[m.start() : m.end()]):
                    continue
                taken[m.start() : m.end()] = [True] * (m.end() - m.start())
                distance = min(abs(m.start() - t) for t in twitches)
                if best is None or distance < best[0]:
                    best = (distance, float(value))
    return best[1] if best else None


# --- drinks ----------------------------------------------------------------------------------


def _quantity(m: re.Match) -> int:
    n = m["n"]
    count = 1 if n in ("a", "an", "another", "single") else int(n)
    if m["lo"]:
        count = max(count, int(m["lo"]))  # "2-3 coffees": the higher, as the drinks were had
    return count


def _caffeine(r: _Reader) -> Optional[int]:
    counts: List[int] = []
    drink = rf"{CONTAINER}{DRINK_ADJ}{CAFFEINE_DRINK}"
    r.take(rf"\b(?:(?:\d+|an?|some)\s+)?{CONTAINER}{DRINK_ADJ}{NOT_CAFFEINATED}\s*(?:{CAFFEINE_DRINK}|{DRINK_ADJ}\w+)?")
    r.take(r"\b(?:soft|fizzy|hot|sports|protein|isotonic)\s+drinks?\b")  # neither caffeine nor alcohol
    none = (
        rf"\b(?:no|zero|0|without|skipped|avoided|cut out|quit|stopped|off|no more|didn'?t (?:have|drink|touch)|did not (?:have|drink)|haven'?t had|(?:don'?t|do not) (?:drink|have))"
        rf"\s+(?:any\s+|the\s+|my\s+)?(?:caffeine|{drink})(?:\s*(?:,|or|and|nor|/)\s*(?:any\s+)?(?:caffeine|{drink}))*\b"
        r"|\bcaffeine[- ]free\b|\b(?:stayed )?off (?:the )?caffeine\b|\bcaffeine\s*[:=-]?\s*(?:none|nil|zero)\b"
    )
    r.take(none, lambda m: counts.append(0))
    r.take(r"\bcaffeine(?: drinks?)?\s*[:=-]?\s*(\d+)\b(?!\s*mg)", lambda m: counts.append(int(m[1])))
    r.take(
        rf"\b(\d+)\s*x\s*{drink}\b|\b{drink}\s*(?:x|[:=])\s*(\d+)\b(?!\s*(?:mg|ml))",
        lambda m: counts.append(int(m[1] or m[2])),
    )
    r.take(rf"\b{QTY}{drink}\b", lambda m: counts.append(_quantity(m)))
    vague = r.take(rf"\b{CAFFEINE_DRINK}\b|\bcaffeine\b")
    if vague or not counts:
        return None  # "had coffee": some, but how many is a guess
    return sum(counts)


def _alcohol(r: _Reader) -> Optional[int]:
    counts: List[int] = []
    container = r"(?:(?:glass(?:es)?|bottles?|cans?|pints?|shots?|large|small|big|half)\s+(?:of\s+)?)?"
    adj = r"(?:(?:large|big|small|cold|strong|craft|light|alcohol[- ]free|non[- ]alcoholic|0\.0|red|white)\s+)*"
    drink = rf"{container}{adj}{ALCOHOL_DRINK}"
    r.take(
        rf"\b(?:(?:\d+|an?|some)\s+)?{container}(?:alcohol[- ]free|non[- ]alcoholic|0\.0%?|low[- ]alcohol|zero[- ]alcohol)\s+\w+"
    )
    r.take(
        r"\bdidn'?t drink (?:much|enough|lots)\b|\b(?:drink(?:ing|s)?|drank|had)\s+(?:lots of |more |plenty of |a lot of |loads of |some |enough |"
        r"(?:an?|\d+) (?:glass(?:es)?|bottles?|litres?|liters?|pints?) of )?(?:water|milk|juice|squash|smoothies?|electrolytes?)\b"
        r"|\bglass(?:es)? of (?:water|milk|juice)\b"
    )
    none = (
        rf"\b(?:no|zero|0|without|skipped|avoided|no more)\s+(?:any\s+)?(?:alcohol|booze|drinking|{drink})(?:\s*(?:,|or|and|nor|/)\s*(?:any\s+)?(?:alcohol|booze|{drink}))*\b"
        r"|\b(?:didn'?t|did not|don'?t|do not|wasn'?t|not)\s+(?:drink|drinking)(?:\s+(?:any\s+)?(?:alcohol|booze))?(?=\s*(?:$|[,.;!?)\n\u25c7]|-|and\b|at all|today|tonight|last night|yesterday|either|this week|anything|any\b))"
        r"|\b(?:sober|alcohol[- ]free day|dry day|teetotal|stayed off (?:the )?(?:booze|alcohol|drink))\b|\balcohol\s*[:=-]?\s*(?:none|nil|zero|no)\b"
    )
    r.take(none, lambda m: counts.append(0))
    r.take(r"\b(?:alcohol|booze)\s*[:=-]?\s*(\d+)\b", lambda m: counts.append(int(m[1])))
    r.take(
        rf"\b{ALCOHOL_DRINK}\s*(?:x|[:=])\s*(\d+)\b|\b(\d+)\s*x\s*{ALCOHOL_DRINK}\b",
        lambda m: counts.append(int(m[1] or m[2])),
    )
    r.take(rf"\b{QTY}{drink}\b", lambda m: counts.append(_quantity(m)))
    vague = r.take(rf"\b(?:alcohol|booze|drank|drinking|{ALCOHOL_DRINK})\b")
    if vague or not counts:
        return None
    return sum(counts)


# --- exercise, stress, medicine --------------------------------------------------------------

EXERCISE_NOUN = r"(?:the gym|gym|a workout|workout|work ?out|exercise|exercising|training|a run|run|running|my run|a jog|jog|leg day|cardio|class|session|sport|swim|weights)"
EXERCISE_VERB = r"(?:exercise|exercised|work out|workout|worked out|train|trained|go to the gym|go running|go for a (?:run|jog|swim)|run|ran|lift|do any exercise|do anything active|do exercise|go to the gym|go to gym|make it to the gym)"


def _exercise(r: _Reader) -> Optional[bool]:
    said: List[bool] = []
    r.take(r"\bwatch(?:ed|ing)? (?:the |some )?(?:football|tennis|rugby|cricket|basketball|boxing|sport|match|game)\b")
    r.take(r"\bran (?:out|late|errands|around after|a bath)\b|\brun down\b")
    r.take(
        rf"\b(?:skipped|skip|missed|no|without|avoided|cancelled)\s+(?:the\s+|my\s+|a\s+|any\s+)?{EXERCISE_NOUN}s?\b"
        rf"|\b(?:didn'?t|did not|couldn'?t|could not|haven'?t|have not|wasn'?t able to|too tired to|not able to|never)\s+(?:\w+\s+)?{EXERCISE_VERB}\b"
        r"|\brest day\b|\bday off (?:from |the )?(?:gym|training|exercise|running)\b|\bexercise\s*[:=-]?\s*(?:none|no|nil)\b",
        lambda m: said.append(False),
    )
    r.take(
        r"\bwent (?:for (?:a|an|my)\s+(?:\w+\s+)?|on (?:a|an|my)\s+(?:\w+\s+)?)(?:run|jog|swim|bike ride|ride|cycle|hike|workout)\b"
        r"|\bwent (?:running|jogging|swimming|cycling|hiking|climbing|bouldering|rowing|training|to the gym|to gym|to (?:a |my )?(?:spin|yoga|pilates|crossfit|gym|boxing|hiit|dance) class)\b"
        r"|\b(?:worked out|working out|workout|work out|exercised|exercising|did (?:some )?exercise|trained|lifted|lifting|weights|weight training|strength training|"
        r"(?:leg|arm|push|pull|chest|back) day|cardio|hiit|crossfit|yoga|pilates|spin class|boxing|football|soccer|tennis|squash|badminton|basketball|"
        r"rugby|netball|hockey|climbing|bouldering|swam|cycled|biked|hiked|jogged|jogging|gym session|hit the gym|at the gym|(?:the )?gym|parkrun|"
        r"(?:a|my|morning|evening|long|short|quick|easy|hard|\d+\s*k)\s+(?:run|jog)|ran\s+\d+(?:\.\d+)?\s*(?:k|km|miles?|mi)\b|ran a (?:\d+\s*k|marathon|half)|did a \d+\s*k)\b"
        r"|\bexercise\s*[:=-]?\s*(?:yes|y)\b",
        lambda m: said.append(True),
    )
    if not said or len(set(said)) > 1:
        return None  # nothing said, or both said ("skipped the gym but went for a run"): unclear
    return said[0]


def _stress_words(r: _Reader) -> Optional[str]:
    levels: List[str] = []
    feel = r"(?:stressed|anxious|stressful|worried|tense|on edge|panicky|wound up)"
    adverb = r"(?:very|really|super|so|extremely|incredibly|massively|totally|hugely|pretty|crazy|insanely|majorly)"

    def level(name: str) -> Callable[[re.Match], None]:
        return lambda m: levels.append(name)

    r.take(r"\b(?:less|more|a bit less|a bit more|not as|not more)\s+(?:stressed|anxious|stressful|relaxed|tense)\b")
    r.take(
        r"\b(?:couldn'?t|could not|can'?t|cannot|unable to)\s+(?:\w+\s+)?(?:relax|calm down|switch off)\b",
        level("high"),
    )
    r.take(
        rf"\b(?:not|wasn'?t|isn'?t|weren'?t|didn'?t feel|don'?t feel|never|wasnt|no longer)\s+(?:at all\s+|really\s+|too\s+|very\s+|that\s+|so\s+|particularly\s+|feeling\s+|feel\s+)?{feel}(?: at all)?"
        r"|\bno (?:stress|anxiety)\b|\bstress[- ]free\b|\b(?:stress|anxiety)(?: levels?)?(?: was| were| is)?\s*[:=-]?\s*(?:low|minimal|fine|ok|okay|none|nil)\b"
        r"|\blow (?:stress|anxiety)\b|\brelax(?:ed|ing)\b|\bchill(?:ed)?(?: out)?\b|\bpeaceful\b|\beasy day\b|\bunstressed\b|\bzen\b"
        r"|\b(?:felt|feeling|feel|i was|i'?m|i am)\s+(?:\w+\s+)?calm\b|\bcalm (?:day|mood|mind)\b",
        level("low"),
    )
    r.take(
        r"\b(?:a (?:bit|little|tad)|bit|slightly|somewhat|mildly|moderately|kind of|kinda|sort of|fairly|quite|a little bit)\s+(?:stressed|anxious|tense|on edge|stressful|worried|wound up)"
        r"|\b(?:some|a bit of|a little|moderate|medium|mild)\s+(?:stress|anxiety)\b|\b(?:stress|anxiety)(?: levels?)?(?: was| is)?\s*[:=-]?\s*(?:medium|moderate|ok-ish|mid|so-so|average)\b",
        level("medium"),
    )
    r.take(
        rf"\b{adverb}\s+(?:stressed|anxious|stressful|tense|worried|panicky|on edge)"
        r"|\bstressed(?: out)?\b|\bstressful\b|\banxious\b|\bpanic(?:ky|king| attacks?)\b|\boverwhelmed\b|\bon edge\b|\bfrazzled\b|\bburn(?:ed|t) out\b"
        r"|\b(?:high|lots of|a lot of|so much|loads of|huge|massive) (?:stress|anxiety)\b|\b(?:stress|anxiety)(?: levels?)?(?: was| were| is)?\s*[:=-]?\s*(?:high|bad|awful|terrible|horrible|through the roof|off the charts|huge|massive|sky high)\b",
        level("high"),
    )
    r.take(r"\btense\b", level("medium"))
    if not levels or len(set(levels)) > 1:
        return None  # nothing said, or two levels said: unclear
    return levels[0]


def _medicine(r: _Reader) -> Optional[str]:
    found: List[str] = []
    two_word = r"(?:vitamin [a-z0-9]+|beta[- ]blockers?|the pill|fish oil|st john'?s wort)"

    def keep(m: re.Match, strict: bool):
        name = m["name"]
        before = r.s[max(0, m.start() - 30) : m.start()]
        if re.search(
            r"(?:\bnot|n't|\byet to|\bgoing to|\bgonna|\bmight|\bthinking (?:of|about)|\bsupposed to|\bshould|\bmeant to|\bwill|\bplan(?:ning)? to|\babout to)\s*(?:\w+\s*)?$",
            before,
        ):
            return _SKIP
        if name.split()[0] in _NOT_MEDICINE:
            return _SKIP
        if strict and not (re.fullmatch(two_word, name) or name in _MEDICINES or re.search(_DRUG_SUFFIX + r"$", name)):
            return _SKIP
        found.append(name)
        return None

    name = rf"(?P<name>{two_word}|[a-z][a-z0-9\-]{{2,}})"
    dose = r"(?:\s+\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|iu)\b)?"
    r.take(
        r"\b(?:new (?:med(?:ication|icine)?s?|prescription|pills?|tablets?|drug|supplement)(?: called| is| was|:|\s*-)?"
        r"|(?:started|starting|began|begun|start) (?:taking|on|a course of)|now (?:taking|on)|(?:first|1st|1th) (?:dose|day|tablet|pill) (?:of|on)"
        r"|prescribed)\s+(?:(?:a|an|the|my|some)\s+)?(?:new\s+)?" + name + dose,
        lambda m: keep(m, strict=False),
    )
    r.take(
        r"\b(?:started|starting|began|begun)\s+(?:(?:a|an|the|my|some)\s+)?(?:new\s+)?" + name + dose,
        lambda m: keep(m, strict=True),
    )
    return found[0] if found else None


# --- where -----------------------------------------------------------------------------------


_FILLER = set(
    "and in my the also mostly mainly some a bit plus both left right today again on of lots especially esp then "
    "n & + / all over around near just only still random places spots few couple occasional area areas muscle "
    "muscles side sides".split()
)


def _locations(r: _Reader) -> List[str]:
    """Body parts where the twitching was: from clauses about twitching, or clauses that are only a list of places."""
    places: List[str] = []
    for clause in r.clauses():
        about_twitching = re.search(rf"\b{TWITCH}|\beye ?lids?\b", clause) is not None
        found = list(PART_RE.finditer(clause))
        if not found:
            continue
        if not about_twitching:
            rest = PART_RE.sub(" ", clause.replace("\u25c7", " "))
            if any(w not in _FILLER for w in re.findall(r"[a-z'&+/]+", rest)):
                continue
        for m in found:
            side = re.sub(r"\b(?:my|the|of)\b", " ", m["side"])
            place = " ".join((side + " " + m["part"]).split())
            if place not in places:
                places.append(place)
    return places


# --------------------------------------------------------------------------- the guided log

SKIP = "skip"  # the guided log's Skip button; also "pass", "not sure"
_SKIP_RE = re.compile(
    r"(?:skip(?: (?:it|this|that))?|pass|next|no idea|i don'?t know|don'?t know|dunno|not sure|unsure|"
    r"rather not(?: say)?|i'?d rather not(?: say)?|prefer not to say|n/?a|-)"
)
_NOTHING_RE = re.compile(
    r"(?:no|nope|nah|nothing(?: else)?|none|that'?s (?:it|all)|no thanks?|all good|no,? that'?s (?:it|all))"
)
_NONE_WORDS = re.compile(r"(?:none|no|zero|nothing|nil|not any|not one|0)")


def parse_answer(question: str, text: str):
    """One answer of the guided log (actions/diary.py's diary_form): the value for
    `question` ("rating", "location", "sleep", "caffeine", "stress", "more", and
    also "alcohol", "exercise"), SKIP when the person skips, None when it cannot
    be read so the form asks again. A bare number answers the question asked:
    "7" is 7 hours to the sleep question and 7/10 to the rating question."""
    raw = (text or "").strip()
    t = re.sub(r"[.!?]+$", "", normalise_numbers(raw)).strip()
    if not t:
        return None
    if _SKIP_RE.fullmatch(t):
        return SKIP
    question = question.replace("diary_", "")
    if question == "more":
        return SKIP if _NOTHING_RE.fullmatch(t) else raw
    bare = re.fullmatch(r"(?:about |around |maybe |roughly |like )?(\d+(?:\.\d+)?)", t)
    number = float(bare[1]) if bare else None
    if question == "rating":
        if number is not None:
            return number if 0 <= number <= 10 else None
        rating = parse_entry(raw, datetime.date.today()).rating
        if rating is None:  # the question was about twitching, so "mild" needs no "twitching" beside it
            rating = parse_entry("twitching " + raw, datetime.date.today()).rating
        return rating
    if question in ("location", "locations"):
        if re.fullmatch(r"(?:none|nowhere|no twitching|not twitching)", t):
            return SKIP
        words = re.sub(r"\b(?:my|the|in|on|it'?s|it was|mostly|mainly)\b", " ", t).split()
        if 0 < len(words) <= 5:
            return " ".join(words)  # a short answer is the place, in the person's own words ("pinky toe area")
        places = parse_entry("twitching in " + raw, datetime.date.today()).locations
        return _join(places) if places else None
    if question in ("sleep", "sleep_hours"):
        if number is not None:
            return number if 0 <= number <= 16 else None
        if re.fullmatch(r"(?:none|no sleep|0 hours|didn'?t sleep(?: at all)?|not at all)", t):
            return 0.0
        for prefix in ("", "slept "):
            hours = parse_entry(prefix + raw, datetime.date.today()).sleep_hours
            if hours is not None:
                return hours
        return None
    if question in ("caffeine", "alcohol"):
        if number is not None:
            return int(number) if number == int(number) and number <= 30 else None
        if _NONE_WORDS.fullmatch(t):
            return 0
        return getattr(parse_entry(raw, datetime.date.today()), question)
    if question == "stress":
        if t in STRESS_LEVELS:
            return t
        if number is not None:
            return None if number > 10 else "high" if number >= 7 else "medium" if number >= 4 else "low"
        if re.fullmatch(r"(?:none|no|not at all|nope|not really|not much|calm|fine|ok|okay|relaxed)", t):
            return "low"
        if re.fullmatch(
            r"(?:a bit|a little|a little bit|some|somewhat|moderate|moderately|medium|so-so|so so|average|mid)", t
        ):
            return "medium"
        if re.fullmatch(r"(?:very|very much|a lot|lots|extremely|really|super|massively|so much|loads)", t):
            return "high"
        return parse_entry(raw, datetime.date.today()).stress
    if question == "exercise":
        if re.fullmatch(r"(?:yes|yeah|yep|y|i did|did)", t):
            return True
        if re.fullmatch(r"(?:no|nope|nah|n|i didn'?t|didn'?t|none)", t):
            return False
        return parse_entry(raw, datetime.date.today()).exercise
    return None
