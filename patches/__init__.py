"""Runtime patches of Rasa 3.6 internals, for speed (each one, and what it
saves, in patches/speedups.py).

Installed only by `python -m patches.cli`, the Rasa command the launcher
(deploy/launcher.py) starts servers with; importing the project's components
or channels installs nothing, so `rasa train`, `rasa test` and the unit tests
run Rasa as it comes. Each patch names the package versions it was written
for and refuses, with one log line, on any other: an upgrade turns a patch
off instead of breaking it silently. `BFS_PATCHES=off` turns them all off
(`make bench` measures both ways); `BFS_PATCHES=without:name,...` leaves out
the ones named (`scripts/bench.py --without name` measures what one is worth).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from importlib import metadata
from typing import Callable, Dict, List, Mapping, Optional

logger = logging.getLogger(__name__)

SWITCH = "BFS_PATCHES"
# The versions every patch was written and tested for (requirements.lock).
WRITTEN_FOR = {"rasa": "3.6.21"}


@dataclass(frozen=True)
class Patch:
    name: str
    apply: Callable[[], None]
    packages: tuple  # whose internals it replaces (keys of WRITTEN_FOR)


def _table() -> List[Patch]:
    from patches import speedups as s

    return [
        Patch("validator_built_once", s._build_validator_once, ("rasa",)),
        Patch("event_class_table", s._cache_event_classes, ("rasa",)),
        Patch("graph_cut_kept", s._cache_minimal_schemas, ("rasa",)),
        Patch("dialogue_states_kept", s._cache_past_states, ("rasa",)),
        Patch("certain_rules_decide", s._let_certain_rules_decide, ("rasa",)),
        Patch("gc_freeze_after_start", lambda: None, ()),  # run by the channels once the server is up
    ]


_installed: List[str] = []


def installed() -> List[str]:
    """Names of the patches installed in this process."""
    return list(_installed)


def enabled(environ: Optional[Mapping[str, str]] = None) -> bool:
    value = (environ if environ is not None else os.environ).get(SWITCH, "on")
    return value.strip().lower() not in ("off", "0", "false", "no")


def left_out(environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """Patches named in BFS_PATCHES=without:a,b (to measure what each one is worth)."""
    value = (environ if environ is not None else os.environ).get(SWITCH, "").strip()
    if not value.lower().startswith("without:"):
        return []
    return [name.strip() for name in value.split(":", 1)[1].split(",") if name.strip()]


def _version(package: str) -> Optional[str]:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def install(
    environ: Optional[Mapping[str, str]] = None, versions: Optional[Dict[str, Optional[str]]] = None
) -> List[str]:
    """Installs every patch whose packages are at the versions it was written
    for, once per process; returns the names installed."""
    if _installed:
        return installed()
    if not enabled(environ):
        logger.info("Rasa patches off (%s=off)", SWITCH)
        return []
    found = versions if versions is not None else {p: _version(p) for p in WRITTEN_FOR}
    skipped = left_out(environ)
    unknown = set(skipped) - {patch.name for patch in _table()}
    if unknown:
        logger.warning("%s names no such patch: %s", SWITCH, ", ".join(sorted(unknown)))
    for patch in _table():
        if patch.name in skipped:
            logger.info("Patch %s left out (%s)", patch.name, SWITCH)
            continue
        wrong = [
            f"{p} {found.get(p)} (written for {WRITTEN_FOR[p]})"
            for p in patch.packages
            if found.get(p) != WRITTEN_FOR[p]
        ]
        if wrong:
            logger.warning("Patch %s not installed: %s", patch.name, ", ".join(wrong))
            continue
        patch.apply()
        _installed.append(patch.name)
    logger.info("Rasa patches installed: %s", ", ".join(_installed) or "none")
    return installed()
