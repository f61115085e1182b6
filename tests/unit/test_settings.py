"""Deployment settings: the booking link and the report's download settings come from configuration and are checked."""

from pathlib import Path

import pytest

from actions.settings import SETTINGS_FILE, SettingsError, load_settings


def test_shipped_settings_are_valid():
    assert load_settings(environ={}).booking_url.startswith("https://")


def test_environment_overrides_the_file():
    settings = load_settings(environ={"BFS_BOOKING_URL": "https://clinic.example/book"})
    assert settings.booking_url == "https://clinic.example/book"


@pytest.mark.parametrize("bad", ["", "   ", "clinic.example/book", "javascript:alert(1)", "ftp://x.example"])
def test_malformed_booking_url_is_refused_with_a_clear_message(tmp_path: Path, bad):
    settings_file = tmp_path / "settings.yml"
    settings_file.write_text(f"booking_url: {bad!r}\n")
    with pytest.raises(SettingsError, match="booking_url"):
        load_settings(settings_file, environ={})


def test_missing_file_without_environment_is_an_error(tmp_path: Path):
    with pytest.raises(SettingsError, match="empty"):
        load_settings(tmp_path / "absent.yml", environ={})


def test_settings_file_sits_beside_the_code():
    assert SETTINGS_FILE.name == "settings.yml" and SETTINGS_FILE.exists()


def test_the_report_link_and_window_come_from_the_file_or_the_environment():
    shipped = load_settings(environ={})
    assert shipped.report_url.startswith("http") and shipped.report_minutes == 30
    settings = load_settings(environ={"BFS_REPORT_URL": "https://twitch.example/", "BFS_REPORT_MINUTES": "10"})
    assert (settings.report_url, settings.report_minutes) == ("https://twitch.example", 10)


@pytest.mark.parametrize("bad", ["0", "-5", "soon", "100000"])
def test_a_bad_report_window_is_refused_with_a_clear_message(bad):
    with pytest.raises(SettingsError, match="report_minutes"):
        load_settings(environ={"BFS_REPORT_MINUTES": bad})
