"""patches/__init__.py: the switch and the version check, on a table of fake patches
(no Rasa internal is touched here)."""

from __future__ import annotations

import logging

import pytest

import patches


@pytest.fixture
def fake_table(monkeypatch):
    applied = []
    table = [
        patches.Patch("plain", lambda: applied.append("plain"), ("rasa",)),
        patches.Patch("rasa_private", lambda: applied.append("rasa_private"), ("rasa",)),
        patches.Patch("no_package", lambda: applied.append("no_package"), ()),
    ]
    monkeypatch.setattr(patches, "_table", lambda: table)
    monkeypatch.setattr(patches, "_installed", [])
    return applied


def test_all_are_installed_on_the_versions_they_were_written_for(fake_table):
    assert patches.install(environ={}, versions=dict(patches.WRITTEN_FOR)) == [
        "plain",
        "rasa_private",
        "no_package",
    ]
    assert fake_table == ["plain", "rasa_private", "no_package"]
    assert patches.install(environ={}, versions=dict(patches.WRITTEN_FOR)) == patches.installed()
    assert len(fake_table) == 3  # once per process


def test_a_patch_refuses_another_version_with_one_log_line(fake_table, caplog):
    versions = dict(patches.WRITTEN_FOR, rasa="3.6.22")
    with caplog.at_level(logging.WARNING, logger="patches"):
        assert patches.install(environ={}, versions=versions) == ["no_package"]
    refused = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert refused == [
        f"Patch {name} not installed: rasa 3.6.22 (written for {patches.WRITTEN_FOR['rasa']})"
        for name in ("plain", "rasa_private")
    ]


@pytest.mark.parametrize("value", ["off", "OFF", "0", "false", "no"])
def test_one_switch_turns_them_all_off(fake_table, value):
    assert patches.install(environ={patches.SWITCH: value}, versions=dict(patches.WRITTEN_FOR)) == []
    assert fake_table == [] and patches.installed() == []


def test_one_patch_can_be_left_out_by_name(fake_table, caplog):
    environ = {patches.SWITCH: "without:plain, no_such_patch"}
    with caplog.at_level(logging.WARNING, logger="patches"):
        assert patches.install(environ=environ, versions=dict(patches.WRITTEN_FOR)) == [
            "rasa_private",
            "no_package",
        ]
    assert any("no_such_patch" in r.getMessage() for r in caplog.records)


def test_the_table_covers_every_patch_once_and_names_known_packages():
    table = patches._table()
    assert len({p.name for p in table}) == len(table) == 6
    assert all(set(p.packages) <= set(patches.WRITTEN_FOR) for p in table)


def test_the_versions_written_for_are_the_locked_ones():
    from support import ROOT

    lock = (ROOT / "requirements.lock").read_text()
    for package, version in patches.WRITTEN_FOR.items():
        assert f"\n{package}=={version}\n" in lock, package


def test_importing_the_components_and_channels_installs_nothing():
    import subprocess
    import sys

    code = (
        "import components.clinical_findings, components.message_parts, channels.rest, channels.socketio, "
        "patches; print(patches.installed())"
    )
    from support import ROOT

    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
