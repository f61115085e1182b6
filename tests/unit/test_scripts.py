"""The helper scripts behind make: Python check, model fingerprint, validation
filter and NLU scoring."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT


def test_missing_python_gives_one_clear_line():
    proc = subprocess.run(
        [str(ROOT / "scripts" / "check_python.sh"), "python3.99-not-here"], capture_output=True, text=True
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs Python 3.10" in lines[0] and "install" in lines[0]


def test_wrong_python_version_is_named(tmp_path: Path):
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 3.12\n")
    fake.chmod(0o755)
    proc = subprocess.run([str(ROOT / "scripts" / "check_python.sh"), str(fake)], capture_output=True, text=True)
    assert proc.returncode == 1 and "is Python 3.12" in proc.stderr


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    (copy / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "model_fingerprint.sh", copy / "scripts")
    shutil.copy(ROOT / "config.yml", copy)
    shutil.copy(ROOT / "domain.yml", copy)
    shutil.copytree(ROOT / "data", copy / "data")
    (copy / "components").mkdir()
    shutil.copy(ROOT / "components" / "featurizers.py", copy / "components")
    shutil.copy(ROOT / "components" / "faq_selector.py", copy / "components")
    return copy


def fingerprint(project: Path) -> str:
    return subprocess.run(
        [str(project / "scripts" / "model_fingerprint.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_fingerprint_is_stable_and_follows_every_training_input(project_copy: Path):
    first = fingerprint(project_copy)
    assert first == fingerprint(project_copy) and len(first) == 64
    # Touching a file without changing it does not call for training.
    (project_copy / "config.yml").touch()
    assert fingerprint(project_copy) == first
    # Editing, adding or deleting a training file does.
    nlu = project_copy / "data" / "nlu" / "chitchat.yml"
    nlu.write_text(nlu.read_text() + "\n")
    edited = fingerprint(project_copy)
    assert edited != first
    extra = project_copy / "data" / "nlu" / "extra.yml"
    extra.write_text('version: "3.1"\n')
    added = fingerprint(project_copy)
    assert added != edited
    extra.unlink()
    assert fingerprint(project_copy) == edited
    # So does the code of the one trained component of the project's own.
    featurizer = project_copy / "components" / "featurizers.py"
    featurizer.write_text(featurizer.read_text() + "\n")
    assert fingerprint(project_copy) != edited


def test_validation_filter_separates_expected_from_new_warnings():
    from scripts.validate_data import find_warnings, unexplained

    output = (
        "x.py:100: UserWarning: The utterance 'utter_default' is not used in any story or rule.\n"
        "\x1b[93my.py:3: UserWarning: Something new happened\x1b[0m\n"
    )
    warnings = find_warnings(output)
    assert warnings == ["Something new happened", "The utterance 'utter_default' is not used in any story or rule."]
    expected = [{"pattern": r"The utterance 'utter_default'", "why": "built-in fallback"}]
    assert unexplained(warnings, expected) == ["Something new happened"]


def test_label_counts_the_faq_topic():
    from scripts.evaluate_nlu import label_of

    faq = {
        "intent": {"name": "faq"},
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/caffeine"}}},
    }
    assert label_of(faq) == "faq/caffeine"
    assert label_of({"intent": {"name": "greet"}}) == "greet"
    assert label_of({"intent": None}) == "None"


def test_scores_per_label():
    from scripts.evaluate_nlu import Report, per_label_scores

    labels = [("a", "greet", "greet"), ("b", "greet", "thank"), ("c", "thank", "thank")]
    scores = per_label_scores(labels)
    assert scores["greet"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert scores["thank"]["precision"] == 0.5 and scores["thank"]["recall"] == 1.0
    report = Report(labels=labels, per_label=scores)
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.confusions == [(("greet", "thank"), 1)]


def test_channels_start_only_with_their_environment():
    from deploy.config import build_config

    template = {
        "channels.rest.RestInput": None,
        "channels.telegram.TelegramInput": {
            "access_token": "${TELEGRAM_TOKEN}",
            "api_base_url": "${TELEGRAM_API_BASE_URL:-}",
        },
    }
    credentials, notes = build_config(template, {})
    assert credentials == {"channels.rest.RestInput": None}
    assert notes == ["channels.telegram.TelegramInput left out: TELEGRAM_TOKEN not set"]
    credentials, notes = build_config(template, {"TELEGRAM_TOKEN": "1:a"})
    assert credentials["channels.telegram.TelegramInput"] == {"access_token": "1:a", "api_base_url": ""}
    assert notes == []


def test_the_shipped_credentials_template_starts_rest_and_the_website_without_secrets():
    from support import ROOT, load_yaml

    from deploy.config import build_config

    credentials, notes = build_config(load_yaml(ROOT / "credentials.yml"), {})
    # The check-in scheduler runs in every server; it needs no secret.
    assert list(credentials) == [
        "channels.rest.RestInput",
        "channels.socketio.SocketIOInput",
        "channels.checkins.CheckinScheduler",
    ]
    assert credentials["channels.checkins.CheckinScheduler"] == {"poll_seconds": "60"}
    assert len(notes) == 2
    website = credentials["channels.socketio.SocketIOInput"]
    assert website["session_persistence"] is True
    assert website["cors_allowed_origins"] == "http://localhost:8080,http://127.0.0.1:8080"
    credentials, _ = build_config(load_yaml(ROOT / "credentials.yml"), {"WEB_ORIGINS": "https://clinic.example"})
    assert credentials["channels.socketio.SocketIOInput"]["cors_allowed_origins"] == "https://clinic.example"


def test_socket_origins_are_parsed_and_required():
    from channels.socketio import SocketIOInput, parse_origins

    assert parse_origins(" https://a.example/, http://b.example:8080 ,,") == [
        "https://a.example",
        "http://b.example:8080",
    ]
    assert parse_origins(["https://a.example"]) == ["https://a.example"]
    channel = SocketIOInput.from_credentials({"session_persistence": True, "cors_allowed_origins": "https://a.example"})
    assert channel.cors_allowed_origins == ["https://a.example"] and channel.session_persistence
    for missing in ({}, {"cors_allowed_origins": ""}, {"cors_allowed_origins": " , "}):
        with pytest.raises(ValueError, match="cors_allowed_origins"):
            SocketIOInput.from_credentials(missing)


def test_the_benchmark_summarises_latencies_and_judges_the_targets():
    """scripts/bench.py's arithmetic, on latencies made up for the test (the
    benchmark itself runs with `make bench`, not in the test suite)."""
    from scripts.bench import Load, report, targets

    def load(latencies_ms):
        measured = Load()
        for index, ms in enumerate(latencies_ms):
            measured.latencies.append(ms / 1000)
            measured.by_message.setdefault(f"message {index % 2}", []).append(ms / 1000)
        measured.wall = sum(latencies_ms) / 1000
        return measured.summary()

    def server(scale):
        return {
            "1_senders": load([10 * scale] * 19 + [40 * scale]),
            "10_senders": load([100 * scale] * 10 + [300 * scale] * 10),
            "rss_mb": 1000,
            "peak_rss_mb": 1000 + 200 * scale,
            "ready_s": 20 * scale,
        }

    base = server(1)
    assert base["1_senders"]["p50_ms"] == 10 and base["1_senders"]["p95_ms"] == 10
    assert base["1_senders"]["mean_ms"] == 11.5 and base["10_senders"]["p50_ms"] == 200
    assert base["1_senders"]["msg_per_s"] == round(20 / 0.23, 2)
    assert "1.20x" in report(server(1.2), base) and "mean_ms (10 senders)" in report(server(1.2), base)
    verdicts = targets(server(1.2), base)
    assert all(line.startswith("met ") for line in verdicts), verdicts
    verdicts = targets(server(1.6), base)  # 1.6x slower, 1320 MB, ready in 32 s
    assert [line.split()[0] for line in verdicts] == ["MISSED"] * 4 + ["met", "MISSED", "met"], verdicts
