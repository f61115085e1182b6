"""`make shell` in a real terminal (a pty): a greeting, a button, an FAQ."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from support import ROOT, free_port

PROMPT = "Your input ->"


@pytest.fixture
def shell(model_path):
    env = dict(
        os.environ,
        ACTION_PORT=str(free_port()),
        SHELL_PORT=str(free_port()),
        MODEL=str(model_path),
        TERM="xterm",
        COLUMNS="200",
        LINES="50",
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "deploy.launcher", "shell"],
        cwd=str(ROOT),
        env=env,
        encoding="utf-8",
        timeout=240,
        dimensions=(50, 200),
    )
    child.logfile_read = sys.stdout if os.environ.get("SHELL_TEST_VERBOSE") else None
    yield child
    child.sendline("/stop")
    child.expect(pexpect.EOF, timeout=60)
    child.close()


def test_greeting_button_and_faq_in_the_terminal(shell):
    shell.expect(PROMPT)
    shell.sendline("hello")
    shell.expect("not a doctor")
    # The greeting has buttons: rasa shell offers them as a menu; Enter picks the first.
    shell.expect("BFS or ALS")
    shell.send("\r")
    shell.expect("(?i)motor neurone disease", timeout=60)
    shell.expect(PROMPT)
    shell.sendline("can coffee cause twitching?")
    shell.expect("Caffeine is a stimulant", timeout=60)
    shell.expect(PROMPT)


def test_in_the_terminal_the_report_is_written_and_its_path_shown(shell):
    shell.expect(PROMPT)
    shell.sendline("log today: twitching 4/10 in my left calf, 2 coffees")
    shell.expect("Saved in your diary", timeout=60)
    shell.expect(PROMPT)
    shell.sendline("send me a report for my doctor")
    shell.expect(r"The PDF is at (\S+\.pdf)", timeout=60)
    pdf = Path(shell.match.group(1))
    shell.expect(r"the FHIR file for a clinic's systems at (\S+\.fhir\.json)", timeout=10)
    fhir = Path(shell.match.group(1).rstrip("."))
    try:
        assert pdf.read_bytes().startswith(b"%PDF-") and pdf.parent == ROOT / "var" / "reports"
        assert json.loads(fhir.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    finally:
        pdf.unlink(missing_ok=True)
        fhir.unlink(missing_ok=True)
