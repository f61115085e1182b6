"""Scores the trained model on a labelled NLU file, counting the FAQ topic.

Rasa's `rasa test nlu` scores the `faq` intent and the response selector
separately; what a person experiences is one label (`greet`, `faq/bfs_vs_als`,
...), so this scores that label. Used by `make evaluate` and by the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

FAQ = "faq"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Report:
    labels: List[Tuple[str, str, str]]  # (text, expected, predicted)
    per_label: Dict[str, Dict[str, float]] = field(default_factory=dict)

    @property
    def accuracy(self) -> float:
        """The label a person experiences, FAQ topic included."""
        return sum(e == p for _, e, p in self.labels) / len(self.labels)

    @property
    def intent_accuracy(self) -> float:
        """The main intent alone (`faq` for every topic): what the contract's order decides."""
        return sum(intent_of(e) == intent_of(p) for _, e, p in self.labels) / len(self.labels)

    @property
    def confusions(self) -> List[Tuple[Tuple[str, str], int]]:
        pairs = Counter((e, p) for _, e, p in self.labels if e != p)
        return pairs.most_common()


def label_of(parse: dict) -> str:
    """The label a person experiences: the intent, or `faq/<topic>` for FAQs."""
    intent = (parse.get("intent") or {}).get("name") or "None"
    if intent == FAQ:
        selected = parse.get("response_selector", {}).get(FAQ, {}).get("response", {})
        return selected.get("intent_response_key") or FAQ
    return intent


def intent_of(label: str) -> str:
    return label.split("/")[0]


def load_examples(path: Path) -> List[Tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    examples = []
    for message in data.intent_examples:
        label = message.get("intent_response_key") or message.get("intent")
        examples.append((message.get("text"), label))
    return examples


def per_label_scores(labels: List[Tuple[str, str, str]]) -> Dict[str, Dict[str, float]]:
    names = sorted({e for _, e, _ in labels} | {p for _, _, p in labels})
    scores = {}
    for name in names:
        tp = sum(1 for _, e, p in labels if e == name and p == name)
        fp = sum(1 for _, e, p in labels if e != name and p == name)
        fn = sum(1 for _, e, p in labels if e == name and p != name)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[name] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return scores


async def parse_all(model: Path, texts: List[str]) -> List[dict]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def evaluate(model: Path, data: Path) -> Report:
    examples = load_examples(data)
    parses = asyncio.run(parse_all(model, [text for text, _ in examples]))
    labels = [(text, expected, label_of(parse)) for (text, expected), parse in zip(examples, parses)]
    return Report(labels=labels, per_label=per_label_scores(labels))


def format_report(report: Report) -> str:
    lines = [f"{'label':34} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>4}"]
    for name, s in report.per_label.items():
        lines.append(f"{name:34} {s['precision']:6.2f} {s['recall']:6.2f} {s['f1']:6.2f} {s['support']:4d}")
    lines.append("")
    lines.append("Confusions (expected -> predicted: count):")
    for (expected, predicted), count in report.confusions or [(("none", "none"), 0)]:
        lines.append(f"  {expected} -> {predicted}: {count}")
    lines.append("")
    lines.append("Misclassified messages:")
    for text, expected, predicted in report.labels:
        if expected != predicted:
            lines.append(f"  [{expected} -> {predicted}] {text}")
    lines.append("")
    lines.append(
        f"accuracy: {report.accuracy:.3f} on {len(report.labels)} messages "
        f"(main intent alone: {report.intent_accuracy:.3f})"
    )
    return "\n".join(lines)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="trained model (.tar.gz)")
    parser.add_argument("--data", type=Path, required=True, help="labelled NLU YAML file")
    parser.add_argument("--report", type=Path, help="also write the scores as JSON here")
    parser.add_argument("--min-accuracy", type=float, default=0.0, help="exit 1 when accuracy falls below this")
    args = parser.parse_args(argv)
    for path in (args.model, args.data):
        if not path.exists():
            parser.error(f"{path} does not exist (train first with `make train`)")
    report = evaluate(args.model, args.data)
    print(format_report(report))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(
            json.dumps(
                {
                    "accuracy": report.accuracy,
                    "intent_accuracy": report.intent_accuracy,
                    "per_label": report.per_label,
                    "confusions": [{"expected": e, "predicted": p, "count": c} for (e, p), c in report.confusions],
                },
                indent=2,
            )
        )
    return 0 if report.accuracy >= args.min_accuracy else 1


if __name__ == "__main__":
    sys.exit(main())
