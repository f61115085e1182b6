"""Builds the credentials Rasa starts with, from credentials.yml and the environment.

credentials.yml is a template: `${VAR}` must be set for its channel to start,
`${VAR:-default}` is optional. A channel whose required variables are not set
is left out with one log line, so the assistant runs with the channels it has
(REST is always on). Rasa's own `${VAR}` expansion would stop the server instead.

    python -m channels.config credentials.yml > runtime-credentials.yml
"""
from __future__ import annotations

import os
import re
import sys
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)(?::-([^}]*))?\}")


def _fill(value: Any, environ: Mapping[str, str], missing: List[str]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, environ, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, environ, missing) for v in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if environ.get(name):
            return environ[name]
        if default is None:
            missing.append(name)
            return ""
        return default

    return PLACEHOLDER.sub(replace, value)


def build_credentials(template: Optional[Dict[str, Any]],
                      environ: Mapping[str, str]) -> Tuple[Dict[str, Any], List[str]]:
    """The channels that can start, and one log line per channel left out."""
    credentials, notes = {}, []
    for channel, settings in (template or {}).items():
        missing: List[str] = []
        filled = _fill(settings, environ, missing)
        if missing:
            notes.append(f"channel {channel} not started: {', '.join(sorted(set(missing)))} not set")
            continue
        credentials[channel] = filled
    return credentials, notes


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m channels.config credentials.yml", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        template = yaml.safe_load(f)
    credentials, notes = build_credentials(template, os.environ)
    for note in notes:
        print(note, file=sys.stderr)
    yaml.safe_dump(credentials, sys.stdout, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
