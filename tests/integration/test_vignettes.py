"""Patient vignettes through the real servers, trained model and actions.

Each vignette's first message is sent over REST; then the test answers
whatever the symptom check asks, like the patient would, until a triage level
is set. Scored as the policy demands: no missed emergency (on the first
message), no under-triage, and at least 0.90 exact.
"""

from __future__ import annotations

import pytest
import yaml
from support import ROOT, say, tracker

VIGNETTES = yaml.safe_load((ROOT / "tests" / "vignettes.yml").read_text(encoding="utf-8"))
RANK = {"self_care": 1, "routine": 2, "urgent": 3, "emergency": 4}
MIN_EXACT = 0.90
MAX_TURNS = 12


def play(servers, sender: str, vignette: dict) -> dict:
    answers = {**VIGNETTES["defaults"], **vignette.get("answers", {})}
    say(servers, sender, vignette["text"])
    slots = tracker(servers, sender)["slots"]
    first_level, asked = slots.get("triage_level"), []
    for _ in range(MAX_TURNS):
        if slots.get("triage_level"):
            break
        requested = slots.get("requested_slot")
        if requested is None:
            break
        asked.append(requested)
        say(servers, sender, answers[requested])
        slots = tracker(servers, sender)["slots"]
    return {"first": first_level, "level": slots.get("triage_level"), "asked": asked}


@pytest.fixture(scope="module")
def outcomes(servers):
    return [(v, play(servers, f"vignette-{i}", v)) for i, v in enumerate(VIGNETTES["vignettes"])]


def test_vignettes(outcomes, capsys):
    total = len(outcomes)
    exact = sum(o["level"] == v["level"] for v, o in outcomes)
    emergencies = [(v, o) for v, o in outcomes if v["level"] == "emergency"]
    caught_first = sum(o["first"] == "emergency" for _, o in emergencies)
    under = [(v, o) for v, o in outcomes if RANK.get(o["level"] or "", 0) < RANK[v["level"]]]
    over = [(v, o) for v, o in outcomes if RANK.get(o["level"] or "", 0) > RANK[v["level"]]]
    questions = [len(o["asked"]) for v, o in outcomes if v["level"] != "emergency"]
    lines = [
        f"vignettes: {total}",
        f"exact accuracy: {exact / total:.3f} ({exact}/{total})",
        f"emergency recall on the first message: {caught_first}/{len(emergencies)}",
        f"under-triage: {len(under)}   over-triage: {len(over)}",
        f"questions asked (non-emergency): max {max(questions)}, mean {sum(questions) / len(questions):.1f}",
    ] + [f"  expected {v['level']}, got {o['level']}: {v['text']} (asked {o['asked']})" for v, o in under + over]
    report = "\n".join(lines)
    out = ROOT / "results" / "vignettes.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report + "\n")
    with capsys.disabled():
        print("\n" + report)
    assert caught_first == len(emergencies), report
    assert not under, report
    assert exact / total >= MIN_EXACT, report
