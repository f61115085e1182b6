"""Prints messages with the entities the clinical component finds, in Rasa's
annotation format, for writing conversation tests (`rasa test --e2e` compares
entities too). Usage: python scripts/annotate_entities.py "my calf twitches" ...
"""

from __future__ import annotations

import json
import sys

from clinical.extractor import understand
from components.clinical_findings import entities_of


def annotate(text: str) -> str:
    entities = entities_of(understand(text))
    out, last = [], 0
    for e in entities:
        attrs = {"entity": e["entity"], "value": str(e["value"])}
        if e.get("role"):
            attrs["role"] = e["role"]
        out.append(text[last : e["start"]] + f"[{text[e['start']:e['end']]}]" + json.dumps(attrs))
        last = e["end"]
    return "".join(out) + text[last:]


if __name__ == "__main__":
    for message in sys.argv[1:]:
        print(annotate(message))
