"""The clinical development set end to end: the first message of a conversation,
through the real servers (REST), for a stratified sample of 80+ messages.

What a person sees must match what the clinical core decides: an emergency gets
the emergency advice (or the crisis response) and `triage_level: emergency` in
that same turn; a benign message, a question about a red flag or a gradual
complaint gets neither. Issue 11 asks for this beside the pytest run of the
whole set through extract() + triage() (tests/unit/test_clinical_dev.py).
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import yaml
from support import say, texts, tracker

DEV = Path(__file__).resolve().parents[1] / "data" / "clinical_dev.yml"
PER_LEVEL = {"emergency": 30, "urgent": 18, "routine": 12, "self_care": 24, "ask_onset": 4}
# The emergency advice and the crisis response (the health-anxiety answer names
# crisis lines too, so those alone are no sign of an emergency reply).
EMERGENCY_ADVICE = ("What you describe can be a medical emergency", "I'm really sorry you're feeling this way")


def sample() -> list:
    items = yaml.safe_load(DEV.read_text(encoding="utf-8"))["items"]
    by_level = defaultdict(list)
    for item in items:
        by_level[item["level"]].append(item)
    chosen = []
    for level, count in PER_LEVEL.items():
        group = sorted(by_level[level], key=lambda i: i["text"])
        random.Random(11).shuffle(group)
        # Every style of the level first (formal, chat, typos, third person, traps, questions ...).
        by_style = defaultdict(list)
        for item in group:
            by_style[item["style"]].append(item)
        ordered = [
            item
            for rank in range(len(group))
            for items_ in by_style.values()
            if rank < len(items_)
            for item in [items_[rank]]
        ]
        chosen += ordered[:count]
    # The two ways to false-alarm: red-flag words in unrelated expressions, and questions.
    for style in ("question", "benign_word"):
        extra = sorted((i for i in items if i["style"] == style and i not in chosen), key=lambda i: i["text"])
        random.Random(12).shuffle(extra)
        chosen += extra[:8]
    return chosen


def test_the_first_message_gets_the_right_level_of_response_end_to_end(servers):
    chosen = sample()
    assert len(chosen) >= 80
    wrong = []
    for n, item in enumerate(chosen):
        sender = f"clinical-{n}"
        reply = texts(say(servers, sender, item["text"]))
        level = tracker(servers, sender)["slots"].get("triage_level")
        advised = any(a in reply for a in EMERGENCY_ADVICE)
        if item["level"] == "emergency":
            ok = level == "emergency" and advised
        elif item["level"] == "ask_onset":
            ok = True  # asking is right; treating a possible stroke sign as an emergency is allowed
        else:
            ok = level != "emergency" and not advised
        if not ok:
            wrong.append(f"[{item['level']} -> slot {level}, advice {advised}] {item['text']}\n    {reply[:160]}")
    assert not wrong, "\n".join(wrong)
