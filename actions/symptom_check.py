"""Rasa glue for the symptom check: start it, validate the form, give the result.

The decisions live in clinical (interview.py, triage.py); these actions
only read slots, call them, and turn the results into messages and events.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.check import (
    FINDINGS_SLOT,
    REPORT_REQUESTED,
    add_to_check,
    described_symptoms,
    start_check,
)
from actions.diary import save_embedded_entry
from actions.emergency import advise, just_advised, latest_findings, plays_it_down
from actions.other_parts import answer_openers, answer_questions, asks_for_report, faq_topic, utter_faq
from actions.report import send_report_with_result
from clinical.extractor import Findings
from clinical.interview import (
    EXAMPLES,
    MAX_UNCLEAR,
    NOT_NEEDED,
    QUESTIONS,
    UNKNOWN,
    Answer,
    answer_findings,
    take_turn,
)
from clinical.triage import facts_in, happening_now_line, load_rules, triage
from followup.diary import embedded_entry, is_diary_request

# Results after which the assistant offers to check in later.
CHECK_IN_AFTER = ("self_care", "routine")
SKIPPED = Answer.SKIPPED


class ActionStartSymptomCheck(Action):
    """Starts a fresh symptom check (the form follows by rule)."""

    def name(self) -> Text:
        return "action_start_symptom_check"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        return start_check(dispatcher, tracker)


class ActionAnswerQuestion(Action):
    """Answers an FAQ question and the message's other parts; starts the check
    if the message also described symptoms.

    "thanks! also, can alcohol make it worse?" gets "You're welcome" and the
    alcohol answer; "my calf twitches after every gym session" (classified as a
    question) gets the exercise answer and then the questions, so nobody who
    described their symptoms leaves untriaged. Inside a form only the answers
    are given and the form asks its question again.
    """

    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        answer_openers(dispatcher, tracker)
        if just_advised(tracker) and plays_it_down(tracker):
            return []  # "it went away, can I wait?": the reminder to call is the whole answer
        topic = faq_topic(tracker)
        if topic:
            utter_faq(dispatcher, topic)
        else:
            dispatcher.utter_message(response="utter_rephrase")
        # "can BFS cause choking?": what to do if it is happening now, without an alarm.
        now = happening_now_line(latest_findings(tracker))
        if now:
            dispatcher.utter_message(text=now)
        answer_questions(dispatcher, tracker)
        if tracker.active_loop.get("name") or not described_symptoms(tracker):
            return add_to_check(dispatcher, tracker)  # "can stress cause this? my leg got weaker too"
        return start_check(dispatcher, tracker, answer_parts=False) + [FollowupAction("symptom_check_form")]


class ActionEmergencyDenied(Action):
    """A "no" right after the emergency advice: a misunderstanding goes back to
    the check; "no, it went away" or "no, I'll wait" gets the advice again."""

    def name(self) -> Text:
        return "action_emergency_denied"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if plays_it_down(tracker):
            dispatcher.utter_message(response="utter_emergency_reminder")
            return []
        dispatcher.utter_message(response="utter_emergency_corrected")
        return start_check(dispatcher, tracker, answer_parts=False) + [FollowupAction("symptom_check_form")]


class ValidateSymptomCheckForm(Action):
    """Turns each message of the check into slot values and merged findings.

    Returns no events for a message that is not an answer, so Rasa hands it to
    the rules (FAQ, stop, emergency) and the form asks its question again after.
    """

    def name(self) -> Text:
        return "validate_symptom_check_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        slots = {slot: tracker.get_slot(slot) for slot in QUESTIONS}
        so_far = Findings.from_dict(tracker.get_slot(FINDINGS_SLOT))
        said = answer_findings(message.get("clinical"), so_far.subject if requested else None)
        text = message.get("text") or ""
        if requested and intent == "log_symptoms" and is_diary_request(intent, text) and not embedded_entry(text):
            # "diary: eye 5/10, ..." (even where it names the place asked for) or "can I keep a
            # log?" is for the diary's rule, then the question comes again; a bare "24" read as
            # an entry is an answer, and so is "no - diary: calf 6/10" (its entry saved below).
            return []
        turn = take_turn(requested, text, intent, so_far, slots, said)
        if not turn.is_answer:
            return []

        events: List[EventType] = [SlotSet(FINDINGS_SLOT, turn.findings.to_dict())]
        events += [SlotSet(slot, value) for slot, value in turn.slots.items()]
        if turn.corrected:
            dispatcher.utter_message(text="Thanks, I've updated that.")
        if turn.unclear:
            tries = int(tracker.get_slot("unclear_answers") or 0) + 1
            if tries > MAX_UNCLEAR:
                events += [SlotSet(requested, UNKNOWN), SlotSet("unclear_answers", 0)]
            else:
                dispatcher.utter_message(response="utter_unclear_answer", example=EXAMPLES.get(requested, ""))
                events.append(SlotSet("unclear_answers", tries))
        else:
            events.append(SlotSet("unclear_answers", 0))

        if (intent == "request_report" or asks_for_report(tracker)) and not tracker.get_slot(REPORT_REQUESTED):
            # "stress mostly... can you give me a report for her doctor?": it comes with the result.
            dispatcher.utter_message(response="utter_report_after_check")
            events.append(SlotSet(REPORT_REQUESTED, True))
        # "none of those. log today: eyelid 3/10": the answer, and the day's entry saved.
        save_embedded_entry(dispatcher, tracker)

        result = triage(turn.findings)
        filled = {**slots, **turn.slots}
        # Emergencies that only show across messages ("on sertraline" ... "now a
        # fever and confused"): advise at once and let the form finish.
        if result.level == "emergency":
            advise(dispatcher, result)
            events.append(SlotSet("triage_level", "emergency"))
            events += [SlotSet(slot, SKIPPED) for slot in QUESTIONS if filled.get(slot) is None]
        # A new loss of function of unknown onset: what to do until it is known,
        # then the onset question before any other.
        elif result.ask_onset and filled.get("symptom_onset") in (None, NOT_NEEDED) and requested != "symptom_onset":
            dispatcher.utter_message(text=result.onset_instruction)
            events += [SlotSet("symptom_onset", None), SlotSet("requested_slot", "symptom_onset")]
        return events


class ActionGiveTriageResult(Action):
    """The result: level, why, likely causes, safety net and a summary for a doctor."""

    def name(self) -> Text:
        return "action_give_triage_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        findings = Findings.from_dict(tracker.get_slot(FINDINGS_SLOT))
        result = triage(findings)
        for text in result_messages(
            result, already_advised=tracker.get_slot("triage_level") == "emergency", findings=findings
        ):
            dispatcher.utter_message(text=text)
        # After a self-care or routine result the safety net says to come back if it
        # lasts beyond 2 weeks: the offer to check in then (actions/checkins.py).
        events: List[EventType] = [SlotSet("triage_level", result.level)]
        if tracker.get_slot(REPORT_REQUESTED):  # asked for during the check: it comes with the result
            send_report_with_result(dispatcher, tracker)
            events.append(SlotSet(REPORT_REQUESTED, False))
        follow_up = result.level in CHECK_IN_AFTER and not result.ask_onset
        dispatcher.utter_message(response="utter_after_triage_checkin" if follow_up else "utter_after_triage")
        return events


def no_warning_signs(findings: Findings) -> str:
    """Why a self-care result: no warning sign, and what is known of the time (nothing made up)."""
    why = (
        "Why: I didn't hear any warning sign, such as weakness, a thinner muscle, or changes in speech, "
        "swallowing, breathing or feeling."
    )
    if "history:assessed_benign" in findings.present:
        return why + " A doctor has already checked this, and you told me nothing new."
    if findings.duration_days is not None and findings.duration_days <= 14:
        return why + " It started less than 2 weeks ago."
    return why


def onset_unknown(findings: Findings) -> str:
    """Why a result waits on the onset: what was heard, that its time is not known, and
    what the time decides (as the onset instruction says: the emergency number if it
    started within the last day)."""
    asked_about = facts_in(load_rules()["ask_onset"]["when"])
    words = [findings.evidence[f] for f in sorted(findings.present) if f in asked_about and f in findings.evidence]
    heard = " and ".join(f'"{w}"' for w in words[:3]) or "a new change"
    return f"Why: you mentioned {heard}, and I don't know yet when it started. {ONSET_MATTERS}"


# What the onset decides, said in the Why of a result that waits on it.
ONSET_MATTERS = (
    "When it started decides how soon you need help: call the emergency number now if it was in the last day."
)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listed(names: List[str]) -> str:
    if len(names) == 1:
        return names[0]
    return " and ".join(names) if len(names) == 2 else ", ".join(names[:-1]) + ", and " + names[-1]


# A sentence of a cause's advice that asks for care today or now: at the urgent level it
# still applies (stop a statin with dark urine, a fluoroquinolone at the first tendon pain).
SAME_DAY = re.compile(r"\b(?:today|now)\b", re.I)


def _same_day(advice: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+", advice.strip().rstrip(".") + ".")
    return " ".join(_capital(p) for p in parts if SAME_DAY.search(p))


def contributing(causes: List[Dict[str, str]], level: str = "self_care") -> str:
    """The likely contributing causes as a short list of names, then what helps with each, one
    line per cause (one cause: a single line), instead of one run-on sentence.

    At the urgent and emergency levels the person is about to see a doctor: slow advice
    ("ask the prescriber in the coming days or weeks", "rest and fluids help") would only
    blur how soon, so they are told to mention the causes. At the urgent level a cause's
    advice for today or now is kept (stop a statin with dark urine); an emergency needs
    nothing more than the call."""
    names = [c["name"] for c in causes]
    if level in ("urgent", "emergency"):
        tell = "Tell the doctor you see about " + (names[0] if len(names) == 1 else "each of them") + "."
        first = f"Likely contributing: {_listed(names)}. {tell}"
        same_day = [(c, _same_day(c["advice"])) for c in causes] if level == "urgent" else []
        same_day = [(c, s) for c, s in same_day if s]
        if not same_day:
            return first
        if len(causes) == 1:
            return f"{first} {same_day[0][1]}"
        return "\n".join([first, ""] + [f"- {_capital(c['name'])}: {s}" for c, s in same_day])
    advice = [c["advice"].strip().rstrip(".") + "." for c in causes]
    if len(causes) == 1:
        return f"Likely contributing: {names[0]}. What you can do: {advice[0]}"
    lines = [f"Likely contributing: {_listed(names)}.", "", "What you can do:"]
    lines += [f"- {_capital(c['name'])}: {a}" for c, a in zip(causes, advice)]
    return "\n".join(lines)


def _heard(evidence: List[str]) -> str:
    """The person's words, each quoted once ("tramadol" is not quoted twice)."""
    return " and ".join(f'"{e}"' for e in dict.fromkeys(evidence))


def result_messages(result, already_advised: bool = False, findings: Findings = None) -> List[str]:
    """The result as chat bubbles, in the order a clinician would say it.

    Thoughts of not wanting to live: the warm crisis response comes first, not a cold
    headline, then the emergency advice if another emergency was heard too. An onset
    still unknown: what to do if it started within the last day comes first."""
    messages = []
    if result.crisis and not already_advised:  # the crisis response first, whatever else was heard
        messages.append(result.action)
    if result.ask_onset:  # the onset stayed unknown: the emergency number if it was in the last day
        messages.append(result.onset_instruction)
    elif not already_advised:
        if result.crisis:
            if result.other_emergencies:
                messages.append(f"{result.headline} {result.level_action}")
        else:
            messages.append(f"{result.headline} {result.action}")
    deciding = result.deciding_reasons
    if deciding:
        parts = []
        for reason in deciding:
            words = _heard(reason.evidence)
            parts.append(f"{words} ({reason.text})" if words else reason.text)
        why = "Why: you mentioned " + "; ".join(parts) + "."
        messages.append(why + (" I don't know yet when it started. " + ONSET_MATTERS if result.ask_onset else ""))
        others = [r.text for r in result.reasons if r.level != result.level]
        if others:
            messages.append("Also worth telling the doctor about: " + "; ".join(others) + ".")
    elif result.ask_onset:
        messages.append(onset_unknown(findings or Findings()))
    else:
        messages.append(no_warning_signs(findings or Findings()))
    if result.causes:
        messages.append(contributing(result.causes, result.level))
    if result.safety_net:
        messages.append(result.safety_net)
    messages.append("A summary you can copy for a doctor:\n" + result.summary)
    return messages
