"""Triage engine: findings in, result out. No Rasa imports.

The clinical content lives in triage_rules.yml (one entry per line of the
policy); this module only evaluates it, so a clinician can review the rules
without reading Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional

import yaml

from actions.clinical.extractor import Findings

RULES_FILE = Path(__file__).with_name("triage_rules.yml")
LEVELS = ("emergency", "urgent", "routine", "self_care")


class RuleTableError(ValueError):
    """The rule table is malformed; the message names the rule."""


@dataclass(frozen=True)
class Reason:
    rule: str
    level: str
    text: str
    source: str
    evidence: List[str]  # the person's own words behind the rule


@dataclass
class TriageResult:
    level: str
    headline: str
    action: str
    reasons: List[Reason] = field(default_factory=list)
    causes: List[Dict[str, str]] = field(default_factory=list)
    safety_net: str = ""
    summary: str = ""

    @property
    def deciding_reasons(self) -> List[Reason]:
        return [r for r in self.reasons if r.level == self.level]


def holds(condition: Any, facts: FrozenSet[str]) -> bool:
    """Evaluates a condition of the rule table against a set of facts."""
    if isinstance(condition, str):
        return condition in facts
    if isinstance(condition, list):
        return all(holds(item, facts) for item in condition)
    if isinstance(condition, dict):
        unknown = set(condition) - {"all", "any", "none"}
        if unknown:
            raise RuleTableError(f"unknown condition keys {sorted(unknown)}")
        return (
            all(holds(item, facts) for item in condition.get("all", []))
            and (not condition.get("any") or any(holds(item, facts) for item in condition["any"]))
            and not any(holds(item, facts) for item in condition.get("none", []))
        )
    raise RuleTableError(f"a condition must be a fact, a list or a mapping, not {condition!r}")


def facts_in(condition: Any) -> set:
    """Every fact a condition mentions (used to quote the person's words)."""
    if isinstance(condition, str):
        return {condition}
    items = condition if isinstance(condition, list) else [
        item for key in ("all", "any") for item in condition.get(key, [])
    ]
    return set().union(*(facts_in(item) for item in items)) if items else set()


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> dict:
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rule in table["rules"]:
        for key in ("id", "level", "when", "reason", "source"):
            if key not in rule:
                raise RuleTableError(f"rule {rule.get('id', '?')} has no '{key}'")
        if rule["level"] not in LEVELS:
            raise RuleTableError(f"rule {rule['id']}: unknown level {rule['level']!r}")
        holds(rule["when"], frozenset())  # raises on a malformed condition
    return table


def _summary(findings: Findings, level: str, reasons: List[Reason], causes: List[Dict[str, str]],
             labels: Dict[str, str]) -> str:
    """A few lines for a doctor, in the person's own terms."""
    who = "Patient described by a relative or friend" if findings.subject == "other" else "Patient's own account"
    lines = [f"{who}; assistant triage level: {level.replace('_', ' ')} (not a diagnosis)."]
    if findings.age is not None:
        lines.append(f"Age: {findings.age}.")
    locations = sorted(f.split(":", 1)[1] for f in findings.present if f.startswith("location:"))
    twitch = "Twitching" + (f" in: {', '.join(locations)}" if locations else "")
    if findings.duration_days is not None:
        days = findings.duration_days
        twitch += f"; for about {round(days / 7)} week(s)" if days >= 14 else f"; for about {round(days)} day(s)"
    lines.append(twitch + ".")
    reported = sorted(findings.evidence[f] for f in findings.present
                      if f.startswith(("sign:", "onset:")) and f != "sign:twitching" and f in findings.evidence)
    if reported:
        lines.append("Reported: " + "; ".join(reported) + ".")
    denied = sorted({labels.get(f, f.split(":", 1)[1].replace("_", " "))
                     for f in findings.absent if f.startswith("sign:")})
    if denied:
        lines.append("Denied: " + ", ".join(denied) + ".")
    medicines = [c["name"] for c in causes if c["fact"].startswith("med:")]
    if medicines:
        lines.append("Medicines: " + ", ".join(medicines) + ".")
    triggers = [c["name"] for c in causes if c["fact"].startswith("trigger:")]
    if triggers:
        lines.append("Possible triggers: " + ", ".join(triggers) + ".")
    if "history:family_als" in findings.present:
        lines.append("Family history of ALS/MND.")
    if "history:assessed_benign" in findings.present:
        lines.append("Previously assessed as benign fasciculations.")
    if reasons:
        lines.append("Flags: " + "; ".join(r.text.split(" (")[0] for r in reasons) + ".")
    return "\n".join(lines)


def _evidence(findings: Findings, fact: str) -> Optional[str]:
    """The person's words behind a fact (derived facts quote what they came from)."""
    if fact.startswith("duration:"):
        return findings.evidence.get("duration")
    if fact.startswith("age:"):
        return findings.evidence.get("age")
    if fact == "sign:widespread" and fact not in findings.evidence:
        return None
    return findings.evidence.get(fact)


def triage(findings: Findings, rules_path: Path = RULES_FILE) -> TriageResult:
    table = load_rules(rules_path)
    facts = findings.facts()
    reasons = []
    for rule in table["rules"]:
        if holds(rule["when"], facts):
            evidence = [quoted for f in sorted(facts_in(rule["when"])) if (quoted := _evidence(findings, f))]
            reasons.append(Reason(rule["id"], rule["level"], rule["reason"], rule["source"], evidence))
    ranks = {name: spec["rank"] for name, spec in table["levels"].items()}
    level = max((r.level for r in reasons), key=ranks.__getitem__, default="self_care")
    reasons.sort(key=lambda r: -ranks[r.level])
    causes = [
        {"fact": fact, **spec}
        for fact, spec in table["causes"].items()
        if fact in facts
    ]
    spec = table["levels"][level]
    return TriageResult(
        level=level,
        headline=spec["headline"],
        action=" ".join(spec["action"].split()),
        reasons=reasons,
        causes=causes,
        safety_net=" ".join(table["safety_net"][level].split()),
        summary=_summary(findings, level, reasons, causes, table.get("labels", {})),
    )
