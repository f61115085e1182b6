"""Shared paths and fixtures for the test suite."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "bfs-assistant.tar.gz"
CONTRACT = ROOT.parent / "shared" / "spec" / "assistant_contract.md"
ARTICLE = ROOT.parent / "shared" / "knowledge" / "bfs_article.txt"

sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail(f"{MODEL.relative_to(ROOT)} is missing: run `make train` (make test does it)")
    return MODEL


@pytest.fixture(scope="session")
def domain() -> dict:
    return load_yaml(ROOT / "domain.yml")


@pytest.fixture(scope="session")
def faq_responses() -> dict:
    return load_yaml(ROOT / "data" / "responses" / "faq.yml")["responses"]


@pytest.fixture(scope="session")
def training_examples():
    """(text, label) pairs of the training data, label `faq/<topic>` for FAQs."""
    from evaluate_nlu import load_examples

    return load_examples(ROOT / "data" / "nlu")


@pytest.fixture(scope="session")
def test_examples():
    from evaluate_nlu import load_examples

    return load_examples(ROOT / "tests" / "nlu_test.yml")
