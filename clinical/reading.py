"""One message, read once: what the NLU component hands to the actions.

`read_message` is the whole clinical reading of a message as plain data (it
travels in Rasa's parse data under `clinical`); interview.answer_findings
picks from it what a message says as an answer inside the symptom check. The
action server never reads a message's text again, so it loads no language
pipeline.
"""

from __future__ import annotations

from typing import Any, Dict, List

from clinical.extractor import Understanding, understand
from clinical.interview import describes_symptoms
from clinical.triage import load_rules, triage


def read_message(text: str, classifier_says_emergency: bool = False) -> Dict[str, Any]:
    """The clinical reading of a message.

    judged_red_flags: acute red flags the core read in their context and found no
    emergency ("if I lie flat I can't breathe", "a video of someone having a
    seizure"), listed only when the classifier called the message an emergency:
    then the core's reading stands. A red flag it did not hear at all leaves the
    classifier's emergency in place.
    """
    understanding = understand(text)
    return payload(text, understanding, classifier_says_emergency)


def payload(text: str, understanding: Understanding, classifier_says_emergency: bool = False) -> Dict[str, Any]:
    findings = understanding.findings
    level = triage(findings).level if findings.present else None
    judged: List[str] = []
    if classifier_says_emergency and level != "emergency":
        judged = sorted(understanding.heard & set(load_rules()["happening_now_signs"]))
    return {
        "findings": findings.to_dict(),
        "as_answer": {about: f.to_dict() for about, f in understanding.as_answer.items()},
        "level": level,
        "emergency": level == "emergency",
        "describes_symptoms": describes_symptoms(text, findings),
        "judged_red_flags": judged,
    }
