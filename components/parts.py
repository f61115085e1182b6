"""Splitting a message into the parts a person wrote, and choosing the main one.

Plain Python (no Rasa import), so the rules are tested directly; the Rasa glue
is components/message_parts.py.

People write several things at once: "hi! my calf has twitched for 3 weeks, is
it ALS?". The classifier is trained on whole messages, and on a long story its
best guess is often weak or wrong, while each sentence on its own is the kind
of message it knows well. So each sentence (and a greeting or thanks that opens
the message) is classified too, and the contract's order picks the main intent
(../shared/spec/assistant_contract.md, "Messages with several parts").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional

from followup.diary import DIARY_REQUESTS, is_diary_request, opens_with_diary_command

# Set on a part's Message (by components/message_parts.py): the part itself.
# Components that read the whole message once (the clinical core) skip parts.
PART_KEY = "message_part"

# The contract's order: an emergency first, then a described symptom, then
# anything else, and a greeting or thanks last. Lower is more important.
# A diary entry ("log today: twitching 6/10 in my calves") is a description kept
# in the diary: it ranks with describe_symptoms, so the symptoms it describes
# do not turn it into a symptom check (its signs are still screened: an
# emergency outranks it, and actions/diary.py re-checks a sign needing care soon).
PRIORITY = {"report_emergency": 0, "describe_symptoms": 1, "log_symptoms": 1, "greet": 3, "thank": 3}
OTHER_PRIORITY = 2
# Requests about the diary, check-ins and the report name symptoms without reporting
# them ("show my twitch diary", "delete the entry with the 9/10", "a summary of my
# twitches for my GP"): the classifier's reading stands (a described emergency still
# outranks them).
REQUESTS_NAMING_SYMPTOMS = {"show_diary", "export_my_data", "delete_diary_entry", "plan_checkin", "request_report"}
# Requests answered as such beside the main part, never as a worried question.
REQUESTS = ("request_doctor", "request_report")
# Parts answered besides the main intent (anything else is covered by the main
# answer: a second description joins the check, "bye" after a question is noise,
# a check-in is offered with the result).
ANSWERED_ALONGSIDE = ("greet", "thank", "faq", "bot_challenge", "question") + REQUESTS + DIARY_REQUESTS
# A question with no clear FAQ topic ("my eye keeps twitching, why?"): answered
# next to a description by what the symptom check is for.
QUESTION = "question"
# More parts than this are not classified one by one: a long story is one part
# per sentence up to here, and the rest stays with the whole message.
MAX_PARTS = 8

# A greeting or thanks that opens a message, split off the rest:
# "hi, my calf ...", "Hello there! I ...", "thanks so much - also, ...".
OPENER = re.compile(
    r"^\s*((?:hi+|hello+|hey+|hiya|heya|yo|howdy|greetings|good (?:morning|afternoon|evening|day)|"
    r"morning|evening|hallo|hola|namaste|salam|thanks?(?: you)?(?: (?:so|very) much)?(?: for (?:that|this|the \w+))?|"
    r"thx|ty|cheers|many thanks|thank u|ok(?:ay)? thanks?)"
    r"(?:\s+(?:there|all|everyone|guys|doc|doctor|bot))?)"
    r"\s*(?:[!.,:;\-–—]+|\s(?=(?:i|i'm|im|my|so|quick|also|can|could|is|what|why|how|does|do|am|please)\b))\s*",
    re.I,
)
# Sentence ends: . ! ? (repeated) or a line break, followed by more text.
SENTENCE_END = re.compile(r"(?<=[.!?])[.!?]*\s+(?=\S)|\s*\n+\s*")
QUESTION_WORD = re.compile(
    r"^\s*(what|why|how|can|could|does|do|did|is|are|am|should|will|would|when|which|"
    r"who|has|have|any idea|anyone)\b(?!['’]t)",
    re.I,
)


@dataclass(frozen=True)
class Part:
    text: str
    start: int  # characters into the message
    question: bool


def is_question_sentence(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(QUESTION_WORD.match(text))


def split(text: str) -> List[Part]:
    """The parts of a message: an opening greeting or thanks, then each sentence.

    A message of one part gives [] (nothing to classify beyond the whole), and
    so do commands ("/greet") and empty text.
    """
    if not text or not text.strip() or text.lstrip().startswith("/"):
        return []
    parts: List[Part] = []
    offset = 0
    opener = OPENER.match(text)
    if opener and opener.end() < len(text.rstrip()):
        parts.append(Part(opener.group(1), opener.start(1), False))
        offset = opener.end()
    rest = text[offset:]
    position = 0
    for match in list(SENTENCE_END.finditer(rest)) + [None]:
        end = match.start() if match else len(rest)
        sentence = rest[position:end].strip()
        if sentence and re.search(r"\w", sentence):
            parts.append(Part(sentence, offset + rest.index(sentence, position), is_question_sentence(sentence)))
        if match:
            position = match.end()
    if len(parts) < 2:
        return []
    return parts[:MAX_PARTS]


def priority(intent: Optional[str]) -> int:
    return PRIORITY.get((intent or "").split("/")[0], OTHER_PRIORITY)


@dataclass
class Candidate:
    """A reading of the message: the whole message's intent, a part's, or the clinical core's."""

    intent: str  # "greet", "faq/caffeine", ...
    confidence: float
    text: str
    order: int  # 0 for the whole message and the clinical core, then parts in order


# The whole message's reading stands unless it is one of these: a fallback, or
# a greeting or thanks, which a longer message's other parts outrank.
REPLACEABLE = {"nlu_fallback", "greet", "thank"}


def choose_main(candidates: Iterable[Candidate]) -> Optional[Candidate]:
    """The most important reading in the contract's order; within one rank the
    whole message's reading comes first, then the earliest part."""
    found = [c for c in candidates if c.intent and c.intent != "nlu_fallback"]
    if not found:
        return None
    return min(found, key=lambda c: (priority(c.intent), c.order))


def decide(whole: Candidate, parts: List[Candidate], emergency: bool, describes: bool) -> Optional[Candidate]:
    """The main reading of a message.

    The classifier's reading of the whole message is the best single guess
    (measured: on the held-out sets it beats any vote of its parts), so it
    stands, except where the contract's order says otherwise:
    - an emergency finding of the clinical core makes it `report_emergency`;
    - a message that opens with a diary command ("log today: ...") is `log_symptoms`;
    - a symptom the person reports (the clinical core, in a statement, not a
      question) makes it `describe_symptoms`, outranking a question, a greeting
      or a request (not a request about the diary, which only names symptoms);
    - a fallback, greeting or thanks gives way to the most important part, so
      "hi! can coffee cause this?" is the coffee question. A part is never an
      emergency on the classifier's word alone: a sentence out of its context
      is not enough to send someone to the emergency department.
    """
    if emergency:
        return Candidate("report_emergency", 1.0, whole.text, 0)
    if opens_with_diary_command(whole.text) and whole.intent != "log_symptoms":
        # "log today: ..." with a long story after it still asked to log it.
        return Candidate("log_symptoms", 1.0, whole.text, 0)
    if (
        describes
        and priority(whole.intent) > PRIORITY["describe_symptoms"]
        and whole.intent not in REQUESTS_NAMING_SYMPTOMS
    ):
        return Candidate("describe_symptoms", 1.0, whole.text, 0)
    if whole.intent.split("/")[0] not in REPLACEABLE:
        return whole
    safe_parts = [p for p in parts if priority(p.intent) > PRIORITY["report_emergency"]]
    return choose_main([whole] + safe_parts)


def other_parts(candidates: Iterable[Candidate], main: Candidate) -> List[Dict[str, object]]:
    """Parts to answer besides the main intent, once each, in the order written
    (the whole message's reading last: its parts say it more precisely)."""
    seen = {main.intent}
    out = []
    for candidate in sorted(candidates, key=lambda c: (c.order == 0, c.order)):
        base = candidate.intent.split("/")[0]
        if candidate.intent in seen or base not in ANSWERED_ALONGSIDE:
            continue
        if base == "faq" and candidate.intent == "faq":
            continue  # no topic picked: nothing to answer with
        if base in DIARY_REQUESTS and not is_diary_request(candidate.intent, candidate.text):
            continue
        seen.add(candidate.intent)
        out.append({"intent": candidate.intent, "text": candidate.text, "confidence": round(candidate.confidence, 4)})
    return out
