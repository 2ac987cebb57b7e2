"""`make run`, the quick start: it says what it does while it installs and takes a port."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_says_what_it_does_and_serves_on_the_port_given(tmp_path) -> None:
    # -n prints the steps a fresh checkout runs (no virtual environment yet) without running them.
    steps = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8010", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    said = [line for line in steps.splitlines() if line.startswith("echo ")]
    assert any("Creating the virtual environment" in line for line in said), steps
    assert any("Installing microcred and its dependencies" in line for line in said), steps
    assert any("http://127.0.0.1:8010/" in line for line in said), steps
    install = next(line for line in steps.splitlines() if " install " in line and " -e ." in line)
    assert "--quiet" not in install, "pip's progress is hidden"
    assert steps.rstrip().endswith("serve --demo --port 8010")
