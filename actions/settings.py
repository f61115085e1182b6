"""Deployment settings: one clinic's values, kept out of the code.

Values come from `settings.yml` beside this file; an environment variable of the
same name in upper case with a `BFS_` prefix wins, so a deployment can change
them without editing files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import urlparse

import yaml

SETTINGS_FILE = Path(__file__).with_name("settings.yml")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    booking_url: str
    report_url: str  # the web page's address: a report's one-time link starts with it
    report_minutes: int  # how long a report waits for its download


def _check_url(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"setting '{name}' is empty: set it in {SETTINGS_FILE} or BFS_{name.upper()}")
    url = value.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"setting '{name}' must be an http(s) URL, got {url!r}")
    return url


def load_settings(path: Path = SETTINGS_FILE, environ: Optional[Mapping[str, str]] = None) -> Settings:
    environ = os.environ if environ is None else environ
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raw = {}
    if not isinstance(raw, dict):
        raise SettingsError(f"{path} must hold a mapping of setting names to values")
    booking = _check_url("booking_url", environ.get("BFS_BOOKING_URL") or raw.get("booking_url"))
    report_url = _check_url("report_url", environ.get("BFS_REPORT_URL") or raw.get("report_url"))
    minutes = environ.get("BFS_REPORT_MINUTES") or raw.get("report_minutes")
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise SettingsError(f"setting 'report_minutes' must be a whole number of minutes, got {minutes!r}") from None
    if not 1 <= minutes <= 24 * 60:
        raise SettingsError(f"setting 'report_minutes' must be between 1 and 1440, got {minutes}")
    return Settings(booking_url=booking, report_url=report_url.rstrip("/"), report_minutes=minutes)
