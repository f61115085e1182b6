"""Sentences, clauses and questions in chat text, as character spans.

Why: whether a finding is reported depends on the clause it sits in. "my eye
keeps twitching, why?" reports twitching and then asks; "can twitching cause
weakness?" asks about weakness and reports nothing. People rarely punctuate,
so a question is recognised by how its clause starts as well as by "?".
Character spans keep this independent of the tokenizer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Tuple

# Curly quotes and apostrophes as straight ones, same length (offsets hold).
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'"})

SENTENCE_END = re.compile(r"[.!?]+(?=\s|$|[\"')\]])|\n+|(?<=\s)-{2,}(?=\s)")
# A clause ends at punctuation inside a sentence or before a conjunction.
# "so" before a word of degree is an intensifier ("my arm went so weak"), not "so I ...".
INTENSIFIED_WORDS = (
    r"weak|weaker|bad|badly|sore|stiff|heavy|numb|tired|hard|much|many|often|fast|quickly|slowly|slurred|"
    r"strong|tight|short|dizzy|clumsy|painful|swollen|dark|thin|wobbly|floppy|confused|sleepy|hot|sick|"
    r"unwell|scared|worried|anxious|long|far|little|few|very|really|suddenly|quick|slow"
)
CLAUSE_BREAK = re.compile(
    r"[,;:()]|\s[-\u2013\u2014]+\s|\band\b(?!\s+(?:off|then|needles|forth|down|there|pains|ends)\b)|\b(?:but|because|cos|coz|though|tho|although|while|whereas|"
    rf"which|plus|then|or)\b|\bso\b(?!\s+(?:{INTENSIFIED_WORDS})\b)"
    # "what do I do my face is drooping": the plea is a clause of its own.
    r"|(?<=what do i do)\s|(?<=what should i do)\s|(?<=what can i do)\s|(?<=what to do)\s|(?<=please help)\s"
    r"|(?<=help me)\s|(?<=what do we do)\s",
    re.I,
)
INTENSIFIED = re.compile(INTENSIFIED_WORDS)
# Words people put in front of a question ("hi, quick question - why ...").
FILLER = re.compile(
    r"^(?:\s|\b(?:hi|hey|hello|hiya|ok|okay|so|and|but|also|well|um+|uh+|doc|doctor|please|sorry|then|plus|"
    r"just|quick|question|one more thing|btw|anyway|right|oh|ah)\b)*",
    re.I,
)
# Question words that open a question wherever a clause starts ("my legs are weak, why?").
WH_START = re.compile(
    r"^(?:what(?:'s|s)?|why|how|whats|wat|any idea|anyone know|does anyone|has anyone|"
    r"can anyone|is there|are there)\b",
    re.I,
)
# ... and those that do so only at the start of a sentence ("my dad, who is 70, ...").
WH_FIRST = re.compile(r"^(?:which|who|where|when|y)\b", re.I)
NOT_QUESTION = re.compile(
    r"^what\s+(?:worries|scares|bothers|concerns|frightens|upsets|bugs)\b|"
    r"^what(?:'s|s| is)\s+(?:bugging|worrying|bothering|scaring|weird|strange|odd|new|scary|different|worse)\b|"
    r"^what\s+(?:i've|ive|i have)\s+(?:noticed|seen|felt)\b|"
    r"^what\s+i\s+(?:noticed|mean|feel|have noticed|see)\b|^how\s+(?:weak|bad|much)\b(?!.*\?)",
    re.I,
)
POSITIVE_AUX = r"is|are|am|was|were|can|could|does|do|did|should|shall|will|would|may|might|must"
# Verbs that open a question even with no subject after them; "was", "did" and
# "am" at the start of a message usually leave out an "I" ("did a hard workout").
OPENING_AUX = r"is|are|can|could|does|do|should|shall|will|would|may|might|must"
AUX = (
    r"is|are|am|was|were|can|could|does|do|did|should|shall|will|would|may|might|must|isn't|aren't|"
    r"doesn't|don't|didn't|won't|wouldn't|shouldn't|couldn't|can't|isnt|arent|doesnt|dont|didnt|cant|"
    r"couldnt|shouldnt|wouldnt"
)
SUBJECT_WORD = (
    r"i|you|u|he|she|it|we|they|this|that|these|those|there|my|your|his|her|their|our|the|a|an|"
    r"someone|anyone|anybody|somebody|people|twitching|twitches|bfs|als|mnd|muscles?|stress|anxiety"
)
# Aux first: "can twitching cause weakness", "is that normal". At the start of
# a sentence this is a question unless a negation or an adverb follows
# ("can't walk", "can barely walk": a statement with its subject left out).
AUX_START = re.compile(
    rf"^(?:{OPENING_AUX})\b(?!\s*(?:'t|n't|nt|not|barely|hardly|only|still|also|really|just|never|"
    rf"even|now|no longer|getting|going|being|been|feel|see|hear|tell|walk|move|lift|manage|"
    rf"get|sometimes|usually|always|often)\b)",
    re.I,
)
AUX_SUBJECT = re.compile(rf"^(?:{OPENING_AUX})\s+(?:{SUBJECT_WORD})\b", re.I)
# "does being tired cause it", "can not sleeping cause fasciculations": an -ing
# subject and a verb of causing make a question of what AUX_START leaves out.
AUX_GERUND = re.compile(
    r"^(?:does|do|did|can|could|will|would|should|might|may)\s+(?:not\s+)?\w+ing\b"
    r".*\b(?:cause|causes|make|makes|lead|trigger|give|bring|affect)\b",
    re.I,
)
# "which medicines cause it", "when does it need a doctor": a question without a
# "?" when a verb follows the question word ("when I walk ..." is no question).
WH_VERB = re.compile(
    r"^(?:which|who|where|when|at what point)\s+(?:\w+\s+){0,2}(?:is|are|was|were|can|could|does|do|did|should|will|"
    r"would|cause|causes|help|helps|make|makes)\b",
    re.I,
)
# Asking for advice: "any tips to avoid getting twitches".
ADVICE = re.compile(
    r"^(?:any|some|got any|need)\s+(?:tips|advice|ideas|suggestions|recommendations)\b|"
    r"^(?:tips|advice)\s+(?:on|for|to|about)\b",
    re.I,
)
# Later in a sentence only a pronoun after the verb makes a question ("..., is
# that normal"); "..., has twitching" and "and have a fever" leave the subject out.
PRONOUN_AFTER_AUX = re.compile(
    rf"^(?:{POSITIVE_AUX}|have|has|had)\s+(?:i|you|u|he|she|it|we|they|this|that|there|"
    rf"anyone|anybody|someone|somebody|my|your)\b(?!\s+(?:am|is|are|was|have|has|had|'m|'s|'ve)\b)",
    re.I,
)
DROPPED_I = re.compile(r"^(?:did|was|were|am)\b", re.I)
NEGATED_AUX_SUBJECT = re.compile(rf"^(?:{AUX})\s+(?:{SUBJECT_WORD})\b", re.I)  # "isn't it normal?"
HAVE_START = re.compile(
    r"^(?:have|has|had)\s+(?:i|you|u|he|she|it|we|they|anyone|anybody|someone|somebody|people)\b", re.I
)
# An embedded question: "I was wondering if ...", "I want to know whether ...".
EMBEDDED = re.compile(
    r"\b(?:wonder(?:ing)?|want(?:ed)? to know|like to know|need to know|curious|asking|ask|question is|"
    r"tell me|not sure)\s+(?:if|whether|about|what|why|how)\b",
    re.I,
)
# Questions that take the finding as given: "why is my face drooping?".
PRESUPPOSING = re.compile(
    r"^(?:why|how come|is it (?:normal|bad|ok|okay|serious|worrying|concerning) (?:that|when|if)|"
    r"what(?:'s| is| could be| might be)? caus\w+|what does it mean (?:that|when|if)|"
    r"should i (?:be )?worr\w* that|is it bad that|do i need to worry that)\b",
    re.I,
)
# A clause that gives a reason inside a question is a statement again:
# "can stress do this, because my legs feel weak?"
STATEMENT_AGAIN = re.compile(r"^(?:because|cos|coz|as i|as my|since i|since my)\b", re.I)
# A clause that starts with its own subject is a statement of its own.
OWN_SUBJECT = re.compile(
    r"^(?:and\s+|but\s+|now\s+)?(?:my|i|i'm|im|i've|ive|i'd|id|i am|he|she|he's|hes|she's|shes|his|her|they|their|we|"
    r"our|it's|its|there's|theres)\b(?!\s*\?)",
    re.I,
)
# A clause that goes on with what the sentence says ("... and finger looks hollow??").
CONTINUED = re.compile(
    rf"^(?:and|&)\s+(?!(?:{AUX}|what|why|how|have|has|had|any|anyone|normal|ok|okay|bad|serious)\b)\w+", re.I
)
# Questions that suppose: what follows them in the sentence is supposed too.
SUPPOSING = re.compile(r"^(?:what if|if|suppose|imagine|in case|will|would|could|might|can)\b", re.I)
# "my calf twitches and so does my arm" is no question.
SO_DOES = re.compile(
    r"^\W*(?:and\s+)?(?:so|nor|neither)\s+(?:do|does|did|is|are|am|was|were|has|have|can|will)\b", re.I
)


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    sentence: int
    question: bool = False
    presupposing: bool = False  # a question that takes what it names as given


def normalise(text: str) -> str:
    return (text or "").translate(_QUOTES)


def sentences(text: str) -> List[Tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _strip_filler(text: str, start: int, end: int) -> int:
    """Start of a clause's content after greetings and fillers."""
    match = FILLER.match(text[start:end])
    return start + (match.end() if match else 0)


@lru_cache(maxsize=256)
def clauses(text: str) -> Tuple[Clause, ...]:
    """The clauses of a text, each marked as a question or a statement."""
    text = normalise(text)
    out: List[Clause] = []
    for number, (s_start, s_end) in enumerate(sentences(text)):
        sentence = text[s_start:s_end]
        asks = "?" in sentence
        cuts = [0] + [m.start() for m in CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
        parts = [(s_start + a, s_start + b) for a, b in zip(cuts, cuts[1:]) if sentence[a:b].strip(" ,;:()-")]
        in_question = presupposing = seen = False
        opener = ""
        marked = []
        for start, end in parts:
            content = text[_strip_filler(text, start, end) : end].strip(" ,;:()-\u2013\u2014")
            first = not seen
            seen = seen or bool(content)
            if in_question and (
                STATEMENT_AGAIN.match(content) or (OWN_SUBJECT.match(content) and not SUPPOSING.match(opener))
            ):
                # "what should I do, my dad collapsed": a clause with a subject of its own
                # says something; only a list goes on asking ("can it cause weakness, or numbness?"),
                # and so does a supposition ("what if it's ALS and I can't breathe?").
                in_question = presupposing = False
            if not in_question and content and not NOT_QUESTION.match(content) and not SO_DOES.match(text[start:end]):
                starts_question = bool(
                    WH_START.match(content)
                    or (first and asks and WH_FIRST.match(content))
                    or (first and AUX_START.match(content) and not re.match(r"^(?:have|has|had)\b", content, re.I))
                    or (first and HAVE_START.match(content))
                    or (first and (AUX_GERUND.match(content) or WH_VERB.match(content) or ADVICE.match(content)))
                    or (first and AUX_SUBJECT.match(content))
                    # "Did my first CrossFit class 2 days ago": "did", "was", "am" with no "?" leave out an "I"
                    or (PRONOUN_AFTER_AUX.match(content) and (asks or not DROPPED_I.match(content)))
                    or (asks and NEGATED_AUX_SUBJECT.match(content))
                    or EMBEDDED.search(content)
                )
                if starts_question:
                    in_question = True
                    opener = content
                    presupposing = bool(PRESUPPOSING.match(content))
            marked.append([start, end, in_question, presupposing])
        # "my calf has twitched for weeks, normal?": a "?" with no question word
        # makes the last clause the question.
        # A clause with its own subject is a statement said anxiously instead
        # ("my thumb muscle looks caved in??").
        if asks and marked and not any(m[2] for m in marked):
            last = text[_strip_filler(text, marked[-1][0], marked[-1][1]) : marked[-1][1]].strip(" ,;:()-\u2013\u2014")
            raw = text[marked[-1][0] : marked[-1][1]].strip(" ,;:()-\u2013\u2014")
            marked[-1][2] = not (OWN_SUBJECT.match(last) or CONTINUED.match(raw))
        out.extend(Clause(start, end, number, question, presup) for start, end, question, presup in marked)
    return tuple(out)


def clause_at(text: str, position: int) -> Clause:
    """The clause holding a character position (the last one for positions past the end)."""
    found = clauses(text)
    for clause in found:
        if clause.start <= position < clause.end:
            return clause
    return found[-1] if found else Clause(0, len(text or ""), 0)


def is_question(text: str) -> bool:
    """Whether any clause of the text asks something."""
    return any(clause.question for clause in clauses(text or ""))
