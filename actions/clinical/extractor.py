"""Clinical findings from free text: a blank spaCy pipeline plus medspaCy ConText.

Why rules and not a model: the red flags must be found the same way every time,
on messy chat text, and the reasons shown to a person must point at their own
words. The lexicon (lexicon.yml) lists how people say each concept; ConText
decides whether a mention is negated ("no weakness"), about a relative ("my dad
had ALS") or hypothetical ("what if I get weak"). No model is downloaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

import yaml

from actions.clinical.clauses import clause_at, normalise

LEXICON_FILE = Path(__file__).with_name("lexicon.yml")

# Categories of the lexicon that become findings, and their fact prefix.
CATEGORY_PREFIX = {
    "SIGN": "sign",
    "ONSET": "onset",
    "MODIFIER": "modifier",
    "TRIGGER": "trigger",
    "MEDICINE": "med",
    "HISTORY": "history",
    "LOCATION": "location",
    "SUBJECT": "subject",
}

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "a few": 3,
    "couple": 2, "a couple": 2, "couple of": 2, "a couple of": 2, "several": 4,
}
UNIT_DAYS = {"d": 1, "day": 1, "wk": 7, "w": 7, "week": 7, "mo": 30, "mth": 30, "month": 30, "yr": 365, "year": 365}
# "3 wks", "3w", "10d" with digits; "three weeks", "a few days" with words (which
# need a space, or "and" would read as "an d").
DURATIONS = [
    re.compile(r"\b(\d+(?:\.\d+)?)\s*\+?\s*(days?|d|wks?|w|weeks?|mos?|mths?|months?|yrs?|years?)\b", re.I),
    re.compile(r"\b(a couple of|a couple|couple of|a few|few|several|an|a|one|two|three|four|five|six|seven|eight|"
               r"nine|ten|eleven|twelve)\s+(days?|wks?|weeks?|mths?|months?|yrs?|years?)\b", re.I),
    re.compile(r"\b(?:the )?(?:last|past)\s+(few|couple of|several)?\s*(days?|weeks?|months?|years?)\b", re.I),
]
DURATION_WORDS = [
    (re.compile(r"\b(today|this morning|an hour ago|hours ago|tonight|just now|since this morning)\b", re.I), 0.0),
    (re.compile(r"\bsince yesterday\b|\byesterday\b", re.I), 1.0),
    (re.compile(r"\bsince last (monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b", re.I), 7.0),
    (re.compile(r"\bsince (monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)\b", re.I), 4.0),
    (re.compile(r"\bsince last week\b|\blast week\b", re.I), 7.0),
    (re.compile(r"\bsince last month\b|\bfor (?:a|one) month\b", re.I), 30.0),
    (re.compile(r"\bfor ages\b|\bfor months\b|\bmonths now\b|\bfor a long time\b|\bsince (?:the )?(?:summer|spring|autumn|fall|winter|christmas|new year)\b", re.I), 90.0),
    (re.compile(r"\bfor years\b|\byears now\b|\bsince i was (?:a kid|young|a child)\b", re.I), 365.0),
]
AGE_PATTERNS = [
    re.compile(r"\b(\d{1,3})\s*(?:yo|y/o|y\.o\.?|yrs? old|years? old|year-old)\b", re.I),
    re.compile(r"\baged?\s*(\d{1,3})\b", re.I),
    re.compile(r"\b(?:i am|i'm|im|he is|he's|she is|she's|they are)\s+(\d{2})\b(?!\s*(?:days?|weeks?|wks?|months?|years?|%|kg|lbs?|cups?|coffees?|mg))", re.I),
    re.compile(r"\((\d{1,3})\)"),
    re.compile(r"\b(\d{2})\s?[mf]\b", re.I),
]
# Signs that are no red flag by themselves: in a question they are a topic.
NOT_RED_FLAGS = {"sign:twitching", "sign:widespread", "sign:health_anxiety", "sign:spasms", "sign:cramps"}
FIRST_PERSON_BODY = re.compile(r"\b(my|i|i'm|im|i've|ive|me)\b", re.I)


@dataclass(frozen=True)
class Mention:
    """One concept found in the text, with ConText's verdict on it."""

    fact: str  # "<prefix>:<concept>", e.g. "sign:weakness_function"
    text: str
    start: int
    end: int
    negated: bool = False
    family: bool = False
    hypothetical: bool = False
    asked: bool = False  # inside a question: "can twitching cause weakness?"

    @property
    def asserted(self) -> bool:
        return not (self.negated or self.hypothetical or self.asked)


@dataclass
class Findings:
    """What one message (or a whole conversation, merged) says about the person."""

    present: Set[str] = field(default_factory=set)
    absent: Set[str] = field(default_factory=set)
    subject: str = "self"
    age: Optional[int] = None
    duration_days: Optional[float] = None
    evidence: Dict[str, str] = field(default_factory=dict)  # fact -> the person's words
    # Findings only asked about ("will my twitching lead to paralysis?"): not
    # reported, but the answer can add what to do if it is happening now.
    asked: Set[str] = field(default_factory=set)

    def facts(self) -> FrozenSet[str]:
        """Present findings plus the facts derived from age and duration."""
        derived = set(self.present)
        if self.duration_days is not None:
            derived.add("duration:over_2_weeks" if self.duration_days > 14 else "duration:under_2_weeks")
        if self.age is not None and self.age >= 50:
            derived.add("age:50_plus")
        if len({f for f in self.present if f.startswith("location:")}) >= 3:
            derived.add("sign:widespread")
        if self.subject == "other":
            derived.add("subject:other")
        return frozenset(derived)

    def to_dict(self) -> dict:
        return {
            "present": sorted(self.present),
            "absent": sorted(self.absent),
            "subject": self.subject,
            "age": self.age,
            "duration_days": self.duration_days,
            "evidence": dict(sorted(self.evidence.items())),
            "asked": sorted(self.asked),
        }

    @classmethod
    def from_dict(cls, data: Optional[dict]) -> "Findings":
        data = data or {}
        return cls(
            present=set(data.get("present", [])),
            absent=set(data.get("absent", [])),
            subject=data.get("subject", "self"),
            age=data.get("age"),
            duration_days=data.get("duration_days"),
            evidence=dict(data.get("evidence", {})),
            asked=set(data.get("asked", [])),
        )

    def merge(self, newer: "Findings") -> "Findings":
        """Later statements win: a new denial removes an earlier finding and vice versa."""
        present = (self.present - newer.absent) | newer.present
        absent = (self.absent - newer.present) | newer.absent
        evidence = {**self.evidence, **newer.evidence}
        kept = present | {"duration", "age"}
        return Findings(
            present=present,
            absent=absent,
            subject=newer.subject if newer.subject == "other" else self.subject,
            age=newer.age if newer.age is not None else self.age,
            duration_days=newer.duration_days if newer.duration_days is not None else self.duration_days,
            evidence={k: v for k, v in evidence.items() if k in kept},
            asked=set(newer.asked) - present,
        )


def _token_patterns(phrase: str, make_doc) -> List[dict]:
    patterns: List[dict] = []
    for word in phrase.split():
        if word == "~":
            patterns.append({"OP": "?"})
        elif word.endswith("*") and len(word) > 1:
            stem = re.escape(word[:-1].lower())
            patterns.append({"LOWER": {"REGEX": rf"^{stem}[\w'-]*$"}})
        else:
            patterns.extend({"LOWER": t.lower_} for t in make_doc(word))
    return patterns


def load_lexicon(path: Path = LEXICON_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def entity_patterns(lexicon: dict, make_doc) -> List[dict]:
    """EntityRuler patterns for every phrase of the lexicon, in a fixed order."""
    patterns = []
    for category, prefix in CATEGORY_PREFIX.items():
        for concept, phrases in lexicon.get(category, {}).items():
            for phrase in phrases:
                patterns.append({
                    "label": prefix,
                    "id": concept,
                    "pattern": _token_patterns(str(phrase), make_doc),
                })
    return patterns


SPAN_KEY = "clinical"


@lru_cache(maxsize=1)
def build_pipeline(path: Path = LEXICON_FILE):
    """The spaCy pipeline: sentence splitter, lexicon span ruler, ConText.

    Spans go to a span group rather than `doc.ents` so that categories may
    overlap: in "my legs suddenly gave way" both the fall and "suddenly" count.
    """
    import spacy
    from medspacy.context import ConTextRule  # noqa: F401  (registers the factory)

    lexicon = load_lexicon(path)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPAN_KEY, "phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(entity_patterns(lexicon, nlp.make_doc))
    context = nlp.add_pipe("medspacy_context", config={
        "rules": "default", "input_span_type": "group", "span_group_name": SPAN_KEY,
    })
    context.add([
        ConTextRule(rule["literal"], rule["category"], direction=rule["direction"])
        for rule in lexicon.get("CONTEXT", [])
    ])
    return nlp


def duration_match(text: str) -> Optional[Tuple[float, int, int]]:
    """The longest duration said, in days, with its character span."""
    found = []
    for pattern in DURATIONS:
        for match in pattern.finditer(text):
            number, unit = (match.group(1) or "one").lower(), match.group(2).lower().rstrip("s")
            value = float(number) if number[0].isdigit() else NUMBER_WORDS[number]
            found.append((value * UNIT_DAYS[unit], match.start(), match.end()))
    if not found:
        for pattern, days in DURATION_WORDS:
            match = pattern.search(text)
            if match:
                found.append((days, match.start(), match.end()))
    return max(found, key=lambda f: f[0]) if found else None


def age_match(text: str) -> Optional[Tuple[int, int, int]]:
    """The age said, with the character span of the number."""
    for pattern in AGE_PATTERNS:
        for match in pattern.finditer(text):
            age = int(match.group(1))
            if 1 <= age <= 110:
                return age, match.start(1), match.end(1)
    return None


def _context_categories(ent, covered: Set[int], text: str = "") -> Set[str]:
    """ConText categories that modify `ent`, ignoring words of matched phrases.

    A negation word inside a matched phrase is part of what the person said, not
    a denial: the "n't" of "I can't breathe" negates neither "can't breathe" nor
    anything after it ("can't speak properly ... her face looks droopy").
    """
    categories = set()
    for modifier in ent._.modifiers:
        start, end = modifier.modifier_span
        if all(i in covered for i in range(start, end)):
            continue
        if text and ent.doc[start:end].start_char < len(text):
            # "my calf twitches, is that normal": the question's words modify nothing outside it.
            where = clause_at(text, ent.doc[start].idx)
            if where.question and not where.start <= ent.start_char < where.end:
                continue
        categories.add(modifier.category)
    return categories


def mentions(text: str) -> List[Mention]:
    """Every concept in the text, with the ConText categories that modify it.

    Overlapping matches of one concept are joined ("keep dropping" + "dropping
    things" quote the person as "keep dropping things"); within a category the
    longest match wins; across categories matches may overlap ("my legs
    suddenly gave way" is both a fall and a sudden onset).
    """
    from spacy.util import filter_spans

    doc = build_pipeline()(text)
    spans = doc.spans[SPAN_KEY]
    covered = {i for span in spans if span.label_ == "sign" for i in range(span.start, span.end)}
    joined: List[list] = []  # [label, concept, start, end, categories]
    for span in sorted(spans, key=lambda s: (s.label_, s.id_, s.start)):
        last = joined[-1] if joined else None
        if last and (last[0], last[1]) == (span.label_, span.id_) and span.start < last[3]:
            last[3] = max(last[3], span.end)
            last[4] |= _context_categories(span, covered, text)
        else:
            joined.append([span.label_, span.id_, span.start, span.end, _context_categories(span, covered, text)])
    found = []
    for label in {j[0] for j in joined}:
        group = [j for j in joined if j[0] == label]
        kept = {(s.start, s.end) for s in filter_spans([doc[j[2]:j[3]] for j in group])}
        for _, concept, start, end, categories in group:
            if (start, end) not in kept:
                continue
            span = doc[start:end]
            found.append(Mention(
                fact=f"{label}:{concept}",
                text=span.text,
                start=span.start_char,
                end=span.end_char,
                negated="NEGATED_EXISTENCE" in categories,
                family="FAMILY" in categories,
                hypothetical="HYPOTHETICAL" in categories,
                asked=_asked(text, span.start_char, f"{label}:{concept}"),
            ))
    return sorted(found, key=lambda m: (m.start, m.end, m.fact))


def _asked(text: str, start: int, fact: str) -> bool:
    """Whether a mention sits in a question rather than a report.

    A question that takes a red flag as given still reports it ("why is my face
    drooping?"): missing an emergency is the worst failure. Twitching in such a
    question ("why do my muscles twitch?") is left to the FAQ.
    """
    clause = clause_at(text, start)
    if not clause.question:
        return False
    return not (clause.presupposing and fact.startswith("sign:") and fact not in NOT_RED_FLAGS)


def _subject(text: str, found: Iterable[Mention]) -> str:
    """`other` when the message is about someone else ("my dad (64) has ...")."""
    found = list(found)
    others = [m for m in found if m.fact == "subject:other"]
    if not others:
        return "self"
    first_other = min(m.start for m in others)
    signs = [m for m in found if m.fact.startswith("sign:")]
    first_sign = min((m.start for m in signs), default=len(text))
    # "I twitch ... my dad had ALS": the person talks about themselves first.
    before = text[:min(first_other, first_sign)]
    if FIRST_PERSON_BODY.search(before) and first_sign < first_other:
        return "self"
    # "my dad ... my calf twitches too" would need a second subject; keep it simple
    # and triage the person named first.
    return "other"


Measure = Tuple[float, int, int]  # value, start, end (characters)


def extract_with_mentions(text: str) -> Tuple[Findings, List[Mention], Dict[str, Measure]]:
    """Findings of one message, the mentions that made them (final facts), and
    the age and duration said, with their spans (keys `age`, `duration_days`)."""
    text = normalise(text)
    found = mentions(text)
    subject = _subject(text, found)
    age, duration = age_match(text), duration_match(text)
    findings = Findings(subject=subject, age=age[0] if age else None, duration_days=duration[0] if duration else None)
    for key, match in (("age", age), ("duration", duration)):
        if match:
            findings.evidence[key] = text[match[1]:match[2]]
    used: List[Mention] = []
    for mention in found:
        fact = mention.fact
        if fact.startswith("subject:"):
            continue
        if fact == "history:als":
            # ALS is only ever a finding as family history; "I'm scared it's ALS" is fear.
            if not (mention.family and mention.asserted):
                continue
            mention = Mention("history:family_als", mention.text, mention.start, mention.end)
            fact = mention.fact
        elif mention.family and subject == "self" and fact.startswith("sign:"):
            continue  # a relative's symptom, not the person's
        if mention.hypothetical:
            continue
        if mention.asked:
            findings.asked.add(fact)
            continue
        used.append(mention)
        if mention.negated:
            findings.absent.add(fact)
        else:
            findings.present.add(fact)
            findings.evidence.setdefault(fact, mention.text)
    # "no weakness in my legs, but my hand is weak": asserted anywhere wins.
    findings.absent -= findings.present
    findings.asked -= findings.present
    measures = {name: match for name, match in (("age", age), ("duration_days", duration)) if match}
    return findings, used, measures


def extract(text: str) -> Findings:
    """Findings of one message."""
    return extract_with_mentions(text)[0]
