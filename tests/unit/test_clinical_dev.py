"""The clinical core on the development set (tests/data/clinical_dev.yml).

Every message goes through extract() + triage() alone (no servers), scored as
the policy demands: no missed emergency, no under-triage, false alarms on
benign messages and questions below 2%, exact level at least 0.95. The report
prints recall per rule and every miss, so a change to the design shows what it
moved. Also a cheap large false-alarm check: no FAQ training example and no
NLU test message that is not a symptom report may raise an emergency.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from clinical.extractor import extract
from clinical.triage import triage

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests" / "data" / "clinical_dev.yml"
# Two more, written by red-team reviewers from the policy alone: short plain
# messages, and long forum posts.
REDTEAM = ROOT / "tests" / "data" / "clinical_redteam.yml"
REDTEAM2 = ROOT / "tests" / "data" / "clinical_redteam2.yml"
REDTEAM3 = ROOT / "tests" / "data" / "clinical_redteam3.yml"
REDTEAM4 = ROOT / "tests" / "data" / "clinical_redteam4.yml"
REDTEAM5 = ROOT / "tests" / "data" / "clinical_redteam5.yml"
REDTEAM6 = ROOT / "tests" / "data" / "clinical_redteam6.yml"
REDTEAM7 = ROOT / "tests" / "data" / "clinical_redteam7.yml"
# ask_onset sits between urgent and emergency: asking is right for an unknown
# onset, and a known emergency must never be merely asked about.
RANK = {"self_care": 1, "routine": 2, "urgent": 3, "ask_onset": 3.5, "emergency": 4}
MIN_EXACT = 0.95
MAX_FALSE_ALARMS = 0.02


def outcome(text: str) -> str:
    return triage(extract(text)).outcome


@pytest.fixture(
    scope="module",
    params=[DEV, REDTEAM, REDTEAM2, REDTEAM3, REDTEAM4, REDTEAM5, REDTEAM6, REDTEAM7],
    ids=["dev", "redteam", "redteam2", "redteam3", "redteam4", "redteam5", "redteam6", "redteam7"],
)
def dev_results(request):
    items = yaml.safe_load(request.param.read_text(encoding="utf-8"))["items"]
    return [(item, outcome(item["text"])) for item in items]


def report(results) -> tuple:
    total = len(results)
    exact = sum(got == item["level"] for item, got in results)
    missed = [(i, g) for i, g in results if i["level"] == "emergency" and g != "emergency"]
    under = [(i, g) for i, g in results if RANK[g] < RANK[i["level"]]]
    over = [(i, g) for i, g in results if RANK[g] > RANK[i["level"]]]
    benign = [
        (i, g)
        for i, g in results
        if i["style"] in ("benign_word", "question") or i["category"].startswith(("benign_word/", "question/"))
    ]
    alarms = [(i, g) for i, g in benign if g in ("emergency", "urgent", "ask_onset") and RANK[g] > RANK[i["level"]]]
    per_rule = defaultdict(lambda: [0, 0])
    for item, got in results:
        key = item["rule"] or "(self_care)"
        per_rule[key][0] += got == item["level"]
        per_rule[key][1] += 1
    lines = [
        f"development set: {total} messages",
        f"exact level: {exact / total:.3f} ({exact}/{total})",
        f"missed emergencies: {len(missed)}   under-triage: {len(under)}   over-triage: {len(over)}",
        f"false alarms on benign and question messages: {len(alarms)}/{len(benign)}"
        f" ({len(alarms) / max(1, len(benign)):.3f})",
        "recall per rule (exact level):",
    ] + [f"  {rule:40s} {hit}/{n}" for rule, (hit, n) in sorted(per_rule.items())]
    lines += [f"  UNDER {i['level']} -> {g}: {i['text']}" for i, g in under]
    lines += [f"  OVER  {i['level']} -> {g}: {i['text']}" for i, g in over]
    return "\n".join(lines), exact / total, missed, under, alarms, len(benign)


def test_development_set(dev_results, capsys, request):
    text, exact, missed, under, alarms, benign = report(dev_results)
    out = ROOT / "results" / f"clinical_{request.node.callspec.id}.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n")
    with capsys.disabled():
        print("\n" + text)
    assert not missed, text
    assert not under, text
    assert len(alarms) / max(1, benign) < MAX_FALSE_ALARMS, text
    assert exact >= MIN_EXACT, text


def _examples(path: Path):
    """Examples of an NLU file as (intent, text)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in data.get("nlu", []):
        intent = block.get("intent")
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield intent, line[2:].strip()


def _no_emergency_corpus():
    files = sorted((ROOT / "data" / "nlu" / "faq").glob("*.yml"))
    files += [p for p in [ROOT / "data" / "nlu" / "long" / "questions.yml"] if p.exists()]
    texts = [text for path in files for _, text in _examples(path)]
    for name in ("nlu_test.yml", "nlu_long_test.yml"):
        path = ROOT / "tests" / name
        if path.exists():
            texts += [
                text for intent, text in _examples(path) if intent not in ("describe_symptoms", "report_emergency")
            ]
    return texts


def test_no_faq_or_non_symptom_message_raises_an_emergency():
    flagged = [text for text in _no_emergency_corpus() if triage(extract(text)).level == "emergency"]
    assert not flagged, "\n".join(flagged)
