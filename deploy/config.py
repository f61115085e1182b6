"""Builds the files Rasa starts with (credentials, endpoints) from templates and the environment.

credentials.yml and endpoints.yml are templates: `${VAR}` must be set for its
section to be kept, `${VAR:-default}` is optional. A section whose required
variables are not set is left out with one log line: a channel is not started
(REST is always on), an endpoint falls back to Rasa's default (the lock store
to the in-memory one, say). Rasa's own `${VAR}` expansion would stop the server
instead, and knows no defaults.

    python -m deploy.config credentials.yml > runtime-credentials.yml
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

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


def build_config(template: Optional[Dict[str, Any]], environ: Mapping[str, str]) -> Tuple[Dict[str, Any], List[str]]:
    """The sections whose variables are set, and one log line per section left out."""
    config, notes = {}, []
    for section, settings in (template or {}).items():
        missing: List[str] = []
        filled = _fill(settings, environ, missing)
        if missing:
            notes.append(f"{section} left out: {', '.join(sorted(set(missing)))} not set")
            continue
        config[section] = filled
    return config, notes


def load_config(template: Union[str, Path], environ: Mapping[str, str]) -> Tuple[Dict[str, Any], List[str]]:
    """`build_config` of a template file."""
    with open(template, encoding="utf-8") as f:
        return build_config(yaml.safe_load(f), environ)


def render(template: Union[str, Path], environ: Mapping[str, str], out: Path, leave_out: Iterable[str] = ()) -> Path:
    """Writes the filled template (without the `leave_out` sections) to `out`,
    readable by its owner only: it may hold passwords."""
    config, _ = load_config(template, environ)
    for section in leave_out:
        config.pop(section, None)
    out.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    out.chmod(0o600)
    return out


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m deploy.config credentials.yml|endpoints.yml", file=sys.stderr)
        return 2
    config, notes = load_config(argv[0], os.environ)
    for note in notes:
        print(note, file=sys.stderr)
    yaml.safe_dump(config, sys.stdout, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
