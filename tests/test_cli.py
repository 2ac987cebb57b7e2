"""The ``microcred`` command: round trips, exit codes, and one-line errors for bad input."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microcred.cli import app
from microcred.vc import sign
from microcred.vc.keys import generate_key_file, read_key_file
from microcred.verification.samples import badge_png
from tests import conformance
from tests.factories import unsigned_credential

runner = CliRunner()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "issuer.key"
    result = runner.invoke(app, ["keys", "generate", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def credential_file(tmp_path: Path, key_file: Path) -> Path:
    key = read_key_file(key_file.read_bytes())
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(unsigned_credential(key)))
    return path


def run(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real entry point in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "microcred", *args], input=input, capture_output=True, timeout=120
    )


def test_keys_generate_prints_a_did_key_pair() -> None:
    result = runner.invoke(app, ["keys", "generate"])
    assert result.exit_code == 0
    key = json.loads(result.stdout)
    assert key["publicKeyMultibase"].startswith("z6Mk")
    assert key["secretKeyMultibase"].startswith("z")
    assert key["controller"] == "did:key:" + key["publicKeyMultibase"]


def test_keys_generate_writes_a_private_file_and_never_overwrites(key_file: Path) -> None:
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    before = key_file.read_bytes()
    result = runner.invoke(app, ["keys", "generate", "--out", str(key_file)])
    assert result.exit_code == 2
    assert key_file.read_bytes() == before


@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt"])
def test_sign_then_verify(
    suite: str, tmp_path: Path, key_file: Path, credential_file: Path
) -> None:
    signed = runner.invoke(
        app, ["sign", str(credential_file), "--key", str(key_file), "--suite", suite]
    )
    assert signed.exit_code == 0, signed.output
    out = tmp_path / "signed"
    out.write_text(signed.stdout)
    verified = runner.invoke(app, ["verify", str(out), "--json"])
    assert verified.exit_code == 0, verified.output
    report = json.loads(verified.stdout)
    assert report["verified"] is True
    assert {check["id"] for check in report["checks"]} >= {"proof.signature", "validity.expired"}


def test_sign_uses_the_given_created_time(key_file: Path, credential_file: Path) -> None:
    result = runner.invoke(
        app,
        ["sign", str(credential_file), "--key", str(key_file), "--created", "2026-01-02T03:04:05Z"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["proof"]["created"] == "2026-01-02T03:04:05Z"


def test_verify_fails_a_tampered_credential_with_exit_1(
    tmp_path: Path, key_file: Path, credential_file: Path
) -> None:
    signed = json.loads(
        runner.invoke(app, ["sign", str(credential_file), "--key", str(key_file)]).stdout
    )
    signed["credentialSubject"]["achievement"]["name"] = "Something else"
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(signed))
    result = runner.invoke(app, ["verify", str(path)])
    assert result.exit_code == 1
    assert "NOT VERIFIED" in result.stdout


def test_sign_streams_json_lines_and_verify_reads_them(tmp_path: Path, key_file: Path) -> None:
    key = read_key_file(key_file.read_bytes())
    stream = "\n".join(
        json.dumps(unsigned_credential(key, name=f"Credential {n}")) for n in range(5)
    )
    result = run("sign", "-", "--key", str(key_file), input=stream.encode())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 5
    assert [json.loads(line)["name"] for line in lines] == [f"Credential {n}" for n in range(5)]
    verified = run("verify", "-", "--json", input=result.stdout)
    assert verified.returncode == 0, verified.stdout
    reports = [json.loads(line) for line in verified.stdout.decode().splitlines()]
    assert len(reports) == 5 and all(report["verified"] for report in reports)


def test_bake_and_unbake_round_trip(tmp_path: Path, key_file: Path, credential_file: Path) -> None:
    signed = tmp_path / "signed.json"
    signed.write_text(
        runner.invoke(app, ["sign", str(credential_file), "--key", str(key_file)]).stdout
    )
    image = tmp_path / "badge.png"
    image.write_bytes(badge_png())
    baked = tmp_path / "baked.png"
    result = runner.invoke(app, ["bake", str(image), str(signed), "--out", str(baked)])
    assert result.exit_code == 0, result.output
    unbaked = runner.invoke(app, ["unbake", str(baked)])
    assert json.loads(unbaked.stdout) == json.loads(signed.read_text())
    assert runner.invoke(app, ["verify", str(baked)]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["verify", "missing.json"], None, "missing.json: no such file"),
        (["verify", "-"], b"this is not a credential", "not JSON"),
        (["verify", "-"], b"", "empty"),
        (["sign", "-", "--key", "missing.key"], b"{}", "missing.key: no such file"),
        (
            ["sign", "-", "--suite", "rsa-magic", "--key", "x"],
            b"{}",
            "--suite 'rsa-magic': unknown",
        ),
        (["sign", "-"], b"{}", "--key is required"),
        (["keys", "generate", "--type", "dsa"], None, "--type 'dsa': unknown"),
        (["verify", "-", "--document", "nonsense"], b"{}", "expected URL=FILE"),
        (["unbake", "-"], b"GIF89a not an image", "neither a PNG nor an SVG"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    args: list[str], stdin: bytes | None, message: str
) -> None:
    result = run(*args, input=stdin)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert message in lines[0]
    assert "Traceback" not in result.stderr.decode()


def test_sign_with_a_wrong_key_file_is_exit_2(tmp_path: Path, credential_file: Path) -> None:
    bad_key = tmp_path / "bad.key"
    bad_key.write_text('{"publicKeyMultibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"}')
    result = run("sign", str(credential_file), "--key", str(bad_key))
    assert result.returncode == 2
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_sign_stops_at_a_bad_line_and_names_it(key_file: Path) -> None:
    key = read_key_file(key_file.read_bytes())
    good = json.dumps(unsigned_credential(key)).encode()
    result = run("sign", "-", "--key", str(key_file), input=good + b"\nnot json\n" + good)
    assert result.returncode == 2
    assert "-, line 2: not JSON" in result.stderr.decode()
    assert len(result.stdout.decode().splitlines()) == 1
    no_context = run("sign", "-", "--key", str(key_file), input=good + b'\n{"type": "x"}\n')
    assert no_context.returncode == 2
    assert "-, line 2: " in no_context.stderr.decode()
    assert "@context" in no_context.stderr.decode()


def test_verify_air_gapped_with_documents() -> None:
    """A revoked DCC credential: the status list is answered from a local file, nothing fetched."""
    manifest = conformance.manifest("dcc-fixtures")
    case = next(
        c
        for c in manifest["credentials"]
        if c["expected"].get("status") == "revoked"
        and c["expected"]["overall"] == "invalid"
        and c["expected"]["validity_period"] == "ok"
        and "didKey" in c["file"]
    )
    credential = json.loads(conformance.path("dcc-fixtures", case["file"]).read_bytes())
    status_url = credential["credentialStatus"]["statusListCredential"]
    status_file = conformance.path(
        "dcc-fixtures", manifest["url_mappings"]["status_lists"][status_url]
    )
    path = str(conformance.path("dcc-fixtures", case["file"]))
    offline = run("verify", path, "--json", "--offline")
    assert offline.returncode == 1
    result = run("verify", path, "--json", "--document", f"{status_url}={status_file}")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    revocation = [c for c in report["checks"] if c["id"] == "status.revocation"]
    assert revocation and revocation[-1]["status"] == "failed"
    assert "revoked" in revocation[-1]["message"]


def test_generated_key_files_read_back() -> None:
    key = read_key_file(generate_key_file("ed25519"))
    assert key.public.did_key.startswith("did:key:z6Mk")


def test_sign_answers_a_context_from_a_document_air_gapped(tmp_path: Path) -> None:
    """The vc-di-eddsa vector uses the VC 2.0 examples context, which microcred does not bundle."""
    vectors = conformance.manifest("w3c-vc-di-eddsa")
    [suite] = [s for s in vectors["suites"] if s["id"] == "eddsa-rdfc-2022"]
    folder = conformance.path("w3c-vc-di-eddsa")
    examples = "https://www.w3.org/ns/credentials/examples/v2"
    context_file = conformance.path("contexts", "credentials-examples-v2.jsonld")
    options = json.loads((folder / suite["proof_options"]).read_bytes())
    arguments = [
        "sign",
        str(folder / suite["input_document"]),
        "--key",
        str(folder / vectors["key"]["file"]),
        "--verification-method",
        options["verificationMethod"],
        "--created",
        options["created"],
    ]
    without = runner.invoke(app, arguments)
    assert without.exit_code == 2
    assert examples in without.output
    result = runner.invoke(app, [*arguments, "--document", f"{examples}={context_file}"])
    assert result.exit_code == 0, result.output
    signed = json.loads(result.stdout)
    assert signed["proof"]["proofValue"] == suite["expected_proofValue"]["value"]


def test_sign_refuses_a_document_option_without_a_file(
    credential_file: Path, key_file: Path
) -> None:
    result = runner.invoke(
        app, ["sign", str(credential_file), "--key", str(key_file), "--document", "https://x"]
    )
    assert result.exit_code == 2
    assert "URL=FILE" in result.output


@pytest.mark.parametrize(
    ("public_url", "warned"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://badges.example.org", True),
        ("https://badges.example.org", False),
    ],
)
def test_serve_warns_when_the_public_url_is_plain_http(public_url: str, warned: bool) -> None:
    from microcred.site.server import public_url_warning

    warning = public_url_warning(public_url)
    assert (warning is not None) is warned
    if warned:
        assert public_url in warning and "did:web" in warning and "HTTPS" in warning


def test_verify_prints_names_literally_and_plain_when_piped(tmp_path: Path, key_file: Path) -> None:
    key = read_key_file(key_file.read_bytes())
    credential = unsigned_credential(key)
    credential["credentialSubject"]["achievement"]["name"] = "[bold]Welding[/] [red]"
    path = tmp_path / "signed.json"
    path.write_text(json.dumps(sign(credential, key=key)))
    plain = run("verify", str(path))
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.decode().splitlines()
    assert lines[0] == "VERIFIED [bold]Welding[/] [red] (OpenBadgeCredential (JSON))"
    assert "   passed proof.signature: The eddsa-rdfc-2022 proof by" in plain.stdout.decode()
    assert b"\x1b[" not in plain.stdout
    coloured = subprocess.run(
        [sys.executable, "-m", "microcred", "verify", str(path)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "FORCE_COLOR": "1"},
    )
    first = coloured.stdout.decode().splitlines()[0]
    assert first == "\x1b[1;32mVERIFIED\x1b[0m [bold]Welding[/] [red] (OpenBadgeCredential (JSON))"
