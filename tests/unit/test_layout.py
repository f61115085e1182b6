"""Where things live, checked: each top-level package is one kind of thing (README, "Architecture")."""

from __future__ import annotations

import ast
import subprocess
import sys

from support import ROOT


def imports(package: str) -> set[str]:
    """Top-level module names a package's files import."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def test_the_clinical_core_imports_no_rasa_and_nothing_of_the_project_but_itself():
    used = imports("clinical")
    assert not used & {"rasa", "rasa_sdk", "sanic", "tensorflow"}
    assert not used & {"actions", "components", "channels", "stores", "patches", "deploy", "web", "scripts"}


def test_the_actions_and_channels_do_not_reach_into_the_nlu_components():
    assert "components" not in imports("actions")
    assert not imports("channels") & {"components", "actions"}


def test_no_file_edits_the_import_path():
    for package in (
        "actions",
        "clinical",
        "components",
        "channels",
        "stores",
        "patches",
        "deploy",
        "web",
        "scripts",
        "tests",
    ):
        for path in (ROOT / package).rglob("*.py"):
            assert "sys.path." + "insert" not in path.read_text(encoding="utf-8"), path


def test_the_action_server_loads_no_language_pipeline():
    """The NLU component reads each message once; the actions get the reading in the parse data."""
    code = "import actions.actions, actions.symptom_check, sys; print(sorted(m for m in ('spacy', 'thinc') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
