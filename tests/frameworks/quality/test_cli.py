"""``microcred qa check``: findings grouped by severity, JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcred.cli import app
from microcred.frameworks.quality import PROFILES
from tests.frameworks.quality.helpers import EXAMPLE, TODAY, changed

runner = CliRunner()
ON_TODAY = ["--today", TODAY.isoformat()]
EVERY_PROFILE = [option for profile in PROFILES for option in ("--profile", profile)]


def write(tmp_path: Path, spec: Any) -> str:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    return str(path)


def test_the_example_passes_every_profile() -> None:
    result = runner.invoke(app, ["qa", "check", str(EXAMPLE), *EVERY_PROFILE, *ON_TODAY])
    assert result.exit_code == 0, result.output
    assert "No findings." in result.stdout
    for profile in PROFILES:
        assert f"{profile}: met" in result.stdout


def test_the_example_passes_by_default() -> None:
    result = runner.invoke(app, ["qa", "check", str(EXAMPLE), *ON_TODAY])
    assert result.exit_code == 0, result.output
    assert "eu-annex-i: met" in result.stdout
    assert "coherence: met" in result.stdout


def test_a_blocking_error_exits_1_with_findings_grouped_by_severity(tmp_path: Path) -> None:
    spec = changed({"title": "", "eqf_level": None, "further_information": ""})
    result = runner.invoke(app, ["qa", "check", write(tmp_path, spec), *ON_TODAY])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.index("Errors (1)") < out.index("Warnings (1)") < out.index("Advice (1)")
    assert "title: Give the micro-credential a title." in out
    assert "eu-annex-i.title - Council Recommendation 2022/C 243/02, Annex I" in out
    assert "eu-annex-i: not met" in out


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["qa", "check", write(tmp_path, changed({"eqf_level": None})), *ON_TODAY]
    )
    assert result.exit_code == 0, result.output
    assert "Warnings (1)" in result.stdout


def test_json_output_and_stdin() -> None:
    spec = changed({"evidence_of_need": "", "stackability": ""})
    result = runner.invoke(
        app,
        ["qa", "check", "-", "--json", "--profile", "in-ncvet", *ON_TODAY],
        input=json.dumps(spec),
    )
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["passed"] is False
    assert report["profiles"] == {"in-ncvet": False, "coherence": True}
    assert report["findings"] == [
        {
            "rule_id": "in-ncvet.evidence-of-need",
            "severity": "error",
            "message": "Give the evidence of need by industry "
            "(employers, sector bodies, job data).",
            "field": "evidence_of_need",
            "source": "National Council for Vocational Education and Training (India), "
            "micro-credentials: evidence of need",
            "profile": "in-ncvet",
        }
    ]


def test_today_decides_the_review_window(tmp_path: Path) -> None:
    path = write(tmp_path, changed({}))
    result = runner.invoke(app, ["qa", "check", path, "--today", "2030-01-01", "--json"])
    assert result.exit_code == 1
    rules = [finding["rule_id"] for finding in json.loads(result.stdout)["findings"]]
    assert rules == ["coherence.review-date-window"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["missing.json"], None, "missing.json: no such file"),
        (["-"], "{not json", "stdin: not JSON"),
        (["-"], '{"outcomes": [{"text": 5}]}', "stdin: outcomes[0].text: must be text."),
        (["-", "--profile", "bogus"], "{}", "There is no quality profile 'bogus'"),
        (["-", "--today", "tomorrow"], "{}", "--today 'tomorrow': not a date"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    args: list[str], stdin: str | None, message: str
) -> None:
    result = runner.invoke(app, ["qa", "check", *args], input=stdin)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert message in lines[0]
    assert result.stdout == ""
