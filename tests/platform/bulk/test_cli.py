"""``microcred bulk-issue``: a CSV issued from the command line with its progress shown."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from microcred.awards.models import Award
from microcred.cli import app
from tests.platform.awards.factories import make_issuer
from tests.platform.bulk.factories import csv_file, rows


def test_a_csv_is_issued_with_progress_and_a_report(tmp_path: Path) -> None:
    organisation, registrar, version = make_issuer()
    table = rows(version, 3)
    table[2]["learner_did"] = "did:nonsense"
    source = tmp_path / "cohort.csv"
    source.write_bytes(csv_file(table))
    report = tmp_path / "report.csv"
    command = ["bulk-issue", organisation.slug, str(source), "--user", registrar.username]

    refused = CliRunner().invoke(app, command)
    assert refused.exit_code == 2
    assert "1 row(s) with problems; nothing was issued. Line 4, learner_did" in refused.output
    assert not Award.objects.exists()

    done = CliRunner().invoke(app, [*command, "--good-rows", "--report", str(report)])
    assert done.exit_code == 1, done.output
    assert "line 4, learner_did: 'did:nonsense' is not a DID" in done.output
    assert "Issuing" in done.output and "3/3" in done.output
    assert ": 2 issued, 1 failed, 0 remaining (finished)." in done.output
    assert "The learners' emails are queued: a task worker sends them" in done.output
    assert Award.objects.count() == 2
    with report.open(newline="") as file:
        outcomes = [(row["line"], row["status"]) for row in csv.DictReader(file)]
    assert outcomes == [("2", "issued"), ("3", "issued"), ("4", "failed")]

    again = CliRunner().invoke(app, [*command, "--good-rows"])
    assert "started before as job" in again.output and Award.objects.count() == 2
    assert "emails are queued" not in again.output


def test_an_unknown_user_or_organisation_is_one_line(tmp_path: Path) -> None:
    organisation, registrar, version = make_issuer()
    source = tmp_path / "cohort.csv"
    source.write_bytes(csv_file(rows(version, 1)))
    nobody = CliRunner().invoke(app, ["bulk-issue", organisation.slug, str(source), "--user", "x"])
    assert (nobody.exit_code, nobody.output.strip()) == (2, "microcred: No user 'x'.")
    elsewhere = CliRunner().invoke(
        app, ["bulk-issue", "nowhere", str(source), "--user", registrar.username]
    )
    assert elsewhere.exit_code == 2 and "No organisation 'nowhere'." in elsewhere.output
    bad = CliRunner().invoke(
        app, ["bulk-issue", organisation.slug, str(source), "--user", "x", "--format", "pdf"]
    )
    assert bad.exit_code == 2 and "--format 'pdf': unknown" in bad.output
