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

from clinical.extractor import Findings

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
    crisis: bool = False  # the crisis rule (thoughts of not wanting to live)


@dataclass
class TriageResult:
    level: str
    headline: str
    action: str
    reasons: List[Reason] = field(default_factory=list)
    causes: List[Dict[str, str]] = field(default_factory=list)
    safety_net: str = ""
    summary: str = ""
    # A new loss of function whose onset is unknown: the onset question comes
    # first, and `onset_instruction` says what to do until it is answered.
    ask_onset: bool = False
    onset_instruction: str = ""
    # Thoughts of not wanting to live: `action` is the crisis response, said first,
    # and `level_action` the level's own action (said after it when another
    # emergency was heard too).
    crisis: bool = False
    level_action: str = ""

    @property
    def deciding_reasons(self) -> List[Reason]:
        return [r for r in self.reasons if r.level == self.level]

    @property
    def other_emergencies(self) -> List[Reason]:
        """The emergencies heard besides the crisis (a sudden face droop with thoughts of dying)."""
        return [r for r in self.deciding_reasons if r.level == "emergency" and not r.crisis]

    @property
    def outcome(self) -> str:
        """The level, or `ask_onset` while the onset decides between emergency and less."""
        return "ask_onset" if self.ask_onset and self.level != "emergency" else self.level


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
    items = (
        condition
        if isinstance(condition, list)
        else [item for key in ("all", "any") for item in condition.get(key, [])]
    )
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
    if "ask_onset" in table:
        holds(table["ask_onset"]["when"], frozenset())
    return table


def _summary(
    findings: Findings, level: str, reasons: List[Reason], causes: List[Dict[str, str]], labels: Dict[str, str]
) -> str:
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
    if "sign:twitching" in findings.present or locations or findings.duration_days is not None:
        lines.append(twitch + ".")  # no "Twitching." for a message that never mentioned it
    reported = sorted(
        findings.evidence[f]
        for f in findings.present
        if f.startswith(("sign:", "onset:")) and f != "sign:twitching" and f in findings.evidence
    )
    if reported:
        lines.append("Reported: " + "; ".join(reported) + ".")
    denied = sorted(
        {labels.get(f, f.split(":", 1)[1].replace("_", " ")) for f in findings.absent if f.startswith("sign:")}
    )
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
    crisis = False
    for rule in table["rules"]:
        if holds(rule["when"], facts):
            evidence = [
                quoted for f in sorted(facts_in(rule["when"])) if f in facts and (quoted := _evidence(findings, f))
            ]
            reasons.append(
                Reason(rule["id"], rule["level"], rule["reason"], rule["source"], evidence, bool(rule.get("crisis")))
            )
            crisis = crisis or bool(rule.get("crisis"))
    ranks = {name: spec["rank"] for name, spec in table["levels"].items()}
    level = max((r.level for r in reasons), key=ranks.__getitem__, default="self_care")
    reasons.sort(key=lambda r: -ranks[r.level])
    ask = table.get("ask_onset")
    # Another urgent reason (a medicine, an infection, weakness shown in tasks)
    # already explains the weakness and sends the person to a doctor today.
    # A stroke sign (face, speech, one side, paralysis) is asked about whatever else was heard.
    explained = (
        (
            any(r.level == "urgent" and r.rule not in ask.get("still_ask", []) for r in reasons)
            and not any(f in facts for f in ask.get("always_ask", []))
        )
        if ask
        else True
    )
    # The crisis rule says nothing about when a weakness began: "my arm feels weak and I
    # want to die" still needs the onset question's instruction after the crisis response.
    other_emergency = any(r.level == "emergency" and not r.crisis for r in reasons)
    ask_onset = (
        bool(ask)
        and (level != "emergency" or (crisis and not other_emergency))
        and not explained
        and holds(ask["when"], facts)
        and not any(f in facts for f in ask.get("unless", []))
    )
    if ask_onset and ranks[level] < ranks[ask["floor"]]:
        level = ask["floor"]
    causes = [{"fact": fact, **spec} for fact, spec in table["causes"].items() if fact in facts]
    spec = table["levels"][level]
    level_action = " ".join(spec["action"].split())
    action = " ".join(table["crisis_response"].split()) if crisis else level_action
    return TriageResult(
        level=level,
        headline=spec["headline"],
        action=action,
        level_action=level_action,
        reasons=reasons,
        causes=causes,
        safety_net=safety_net(level, table, assessed="history:assessed_benign" in facts),
        summary=_summary(findings, level, reasons, causes, table.get("labels", {})),
        ask_onset=ask_onset,
        onset_instruction=" ".join(ask["instruction"].split()) if ask_onset else "",
        crisis=crisis,
    )


def safety_net(level: str, table: dict, assessed: bool = False) -> str:
    """The tiers of the safety net above `level`, one list each (kept once, in the rule table).

    After a doctor has assessed the twitching as benign, `<level>_after_assessment`
    (where the table has one) replaces them: "twitching over 2 weeks, book an
    appointment" would tell someone to book what they have already had."""
    tiers = table["safety_net_tiers"]
    key = f"{level}_after_assessment" if assessed and f"{level}_after_assessment" in tiers else level
    return "\n\n".join(table["safety_net"][tier] for tier in tiers[key])


def whole_safety_net(rules_path: Path = RULES_FILE) -> str:
    """All three tiers, most urgent first: the FAQ answer on when to see a doctor."""
    table = load_rules(rules_path)
    return "\n\n".join(table["safety_net"][tier] for tier in ("emergency", "urgent", "routine"))


def emergency_echo(result: TriageResult) -> str:
    """The sentence an emergency reply starts with: what was heard, in the
    person's words, so a misunderstanding can be corrected (triage policy, how
    findings are understood). Thoughts of not wanting to live are not echoed:
    the crisis response answers them, and "say so if I misunderstood" is no
    reply to them. A crisis alone has no echo."""
    if result.level != "emergency" or (result.crisis and not result.other_emergencies):
        return ""
    words = []
    for reason in result.other_emergencies:
        words.extend(e for e in reason.evidence if e not in words)
    heard = " and ".join(f'"{w}"' for w in words[:3]) if words else "what you described"
    return (
        f"I'm treating this as an emergency because you said {heard}. "
        'If I misunderstood, say so (for example "no, that\'s not happening now") and we can go back to the check.'
    )


def happening_now_line(findings: Findings, rules_path: Path = RULES_FILE) -> str:
    """For a question that names a red flag ("can BFS cause choking?"): the one
    line on what to do if it is happening now; empty when nothing was asked about."""
    table = load_rules(rules_path)
    if not findings.asked & set(table["happening_now_signs"]):
        return ""
    return " ".join(table["happening_now"].split())
