"""Runs `rasa data validate` and fails on any warning that is not explained.

Rasa's own `--fail-on-warnings` ignores some warnings and cannot be told that
others are expected; this keeps the check strict while documenting the rest in
scripts/expected_validation_warnings.yml.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).with_name("expected_validation_warnings.yml")
WARNING = re.compile(r"UserWarning: (.+)")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def find_warnings(output: str) -> list[str]:
    return sorted({m.group(1).strip() for m in WARNING.finditer(ANSI.sub("", output))})


def unexplained(warnings: list[str], expected: list[dict]) -> list[str]:
    return [w for w in warnings if not any(re.search(e["pattern"], w) for e in expected)]


def main() -> int:
    rasa = Path(sys.executable).with_name("rasa")
    proc = subprocess.run(
        [str(rasa), "data", "validate", "--fail-on-warnings", "--max-history", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    output = proc.stdout + proc.stderr
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    warnings = find_warnings(output)
    bad = unexplained(warnings, expected)
    for w in warnings:
        if w not in bad:
            print(f"expected warning: {w}")
    if proc.returncode != 0:
        print(output[-4000:])
        print(f"rasa data validate failed (exit {proc.returncode})")
        return 1
    if bad:
        print("Unexplained validation warnings (fix them or explain them in " f"{EXPECTED.relative_to(ROOT)}):")
        for w in bad:
            print(f"  - {w}")
        return 1
    print(f"rasa data validate: clean ({len(warnings)} expected warnings, none unexplained)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
