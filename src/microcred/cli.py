"""The ``microcred`` command: the standards engine and the platform from a shell.

Every command reads its input, calls one function of :mod:`microcred.vc` (or
of the platform's services) and prints the result. Bad input is one line on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

from microcred.errors import MicrocredError

app = typer.Typer(
    help="microcred: design, issue and verify micro-credentials (Open Badges 3.0, W3C VC).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
keys_app = typer.Typer(help="Manage signing keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
qa_app = typer.Typer(help="Check specifications against quality profiles.", no_args_is_help=True)
app.add_typer(qa_app, name="qa")

stderr = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

EXIT_BAD_INPUT = 2


# Choices are checked by the commands themselves, so a wrong one is one line on stderr.
SUITES = ("eddsa-rdfc-2022", "eddsa-jcs-2022", "vc-jwt")
KEY_TYPES = ("ed25519", "rsa", "p256")


def choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        fail(f"{option} {value!r}: unknown; choose one of {', '.join(choices)}")
    return value


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit 2: the input could not be used."""
    stderr.print(f"microcred: {message}", markup=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def read_input(name: str) -> bytes:
    """Return the bytes of a file, or of standard input for ``-``."""
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    if not path.is_file():
        fail(f"{name}: no such file")
    try:
        return path.read_bytes()
    except OSError as exc:
        fail(f"{name}: {exc.strerror}")


def parse_documents(options: list[str]) -> dict[str, Path]:
    """Turn ``URL=FILE`` options into a mapping, checking that each file exists."""
    documents: dict[str, Path] = {}
    for option in options:
        url, sep, file = option.partition("=")
        if not sep or not url or not file:
            fail(f"--document {option!r}: expected URL=FILE")
        path = Path(file)
        if not (path.is_file() or path.is_dir()):
            fail(f"--document {option!r}: {file}: no such file")
        documents[url] = path
    return documents


@app.command()
def verify(
    input: Annotated[
        str, typer.Argument(help="A file (JSON, JSON Lines, JWT, PNG, SVG) or - for stdin.")
    ],
    json_output: Annotated[
        bool, typer.Option("--json", help="Print one JSON report per credential, one per line.")
    ] = False,
    document: Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            help="Answer URL from a local FILE (URL=FILE; repeatable): DID documents, status "
            "lists, OB 2.0 hosted assertions, JSON-LD contexts. With any --document, nothing is "
            "fetched from the network.",
        ),
    ] = None,
    offline: Annotated[bool, typer.Option(help="Never use the network.")] = False,
) -> None:
    """Verify credentials. Exit 0 when all verified, 1 when any did not, 2 for unreadable input."""
    from microcred.vc import verify as verify_input
    from microcred.vc.http import HttpFetcher, LocalFetcher

    data = read_input(input)
    documents = parse_documents(document or [])
    fallback = None if (offline or documents) else HttpFetcher()
    fetcher = LocalFetcher(documents, fallback=fallback)
    try:
        reports = verify_input(
            data,
            source="stdin" if input == "-" else input,
            fetcher=fetcher,
            loader=context_loader(documents),
            now=datetime.now(UTC),
        )
    except MicrocredError as error:
        fail(f"{input}: {error.message}")
    # No emoji codes: "did:key:z6Mk..." would print as "did🔑z6Mk...".
    out = Console(highlight=False, soft_wrap=True, emoji=False)
    for report in reports:
        if json_output:
            print(report.to_json())
        else:
            print_report(out, report)
    raise typer.Exit(0 if reports and all(report.verified for report in reports) else 1)


STATUS_STYLE = {"passed": "green", "failed": "red", "warning": "yellow", "skipped": "dim"}


def print_report(out: Console, report: Any) -> None:
    """Print a report for a person: styled on a terminal, plain text otherwise.

    Without colours rich would only write the text's characters, so they are
    written directly: rich's rendering would cost more than the verification.
    """
    text = report_text(report)
    if out.color_system is None:
        out.file.write(text.plain)
    else:
        out.print(text, end="")


def report_text(report: Any, indent: str = "", text: Text | None = None) -> Text:
    """Return the lines of ``report`` (and of the credentials nested in it) as styled text.

    Every value from the credential is literal text, never markup.
    """
    text = Text() if text is None else text
    text.append(indent)
    if report.verified:
        text.append("VERIFIED", "bold green")
    else:
        text.append("NOT VERIFIED", "bold red")
    title = f" {report.name}" if report.name else ""
    text.append(f"{title} ({report.format})\n")
    if report.issuer:
        issuer = f"{report.issuer_name} ({report.issuer})" if report.issuer_name else report.issuer
        text.append(f"{indent}  issuer:  {issuer}\n")
    if report.subject:
        text.append(f"{indent}  subject: {report.subject}\n")
    if indent and report.source:
        # A credential nested in a CLR: where in the CLR it is.
        text.append(f"{indent}  at:      {report.source}\n")
    for check in report.checks:
        text.append(f"{indent}  ")
        text.append(f"{check.status:>7}", STATUS_STYLE[str(check.status)])
        text.append(f" {check.id}: {check.message}\n")
    for inner in report.nested:
        report_text(inner, indent + "    ", text)
    return text


def context_loader(documents: dict[str, Path]) -> Any:
    """Return a JSON-LD loader that also answers the ``--document`` files that are JSON."""
    from microcred.vc.jsonld import ContextLoader

    return ContextLoader(
        {url: parsed for url, path in documents.items() if (parsed := _json_file(path))}
    )


def _json_file(path: Path) -> Any:
    """Return the parsed JSON of a file given with --document, or None if it is not JSON."""
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_bytes())
    except ValueError:
        return None


def read_credentials(data: bytes, name: str) -> tuple[bool, Iterator[tuple[str, dict[str, Any]]]]:
    """Return whether the input is one JSON credential, and its credentials with their place.

    A JSON Lines stream is read line by line, so a large batch streams through;
    each credential comes with where it was (``"name, line 3"``) for error messages.
    """
    from microcred.vc.inputs import parse_json

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{name}: not UTF-8 text")
    try:
        whole = parse_json(text)
    except MicrocredError as error:
        fail(f"{name}: {error.message}")
    except ValueError:
        return False, _json_lines(text, name)
    if not isinstance(whole, dict):
        fail(f"{name}: expected a JSON object (a credential) or JSON Lines")
    return True, iter([(name, whole)])


def _json_lines(text: str, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    from microcred.vc.inputs import parse_json

    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}, line {number}"
        try:
            value = parse_json(line)
        except MicrocredError as error:
            fail(f"{where}: {error.message}")
        except json.JSONDecodeError as exc:
            fail(f"{where}: not JSON ({exc.msg})")
        if not isinstance(value, dict):
            fail(f"{where}: expected a JSON object (a credential)")
        yield where, value


@app.command()
def sign(
    input: Annotated[
        str, typer.Argument(help="A credential (JSON) or a JSON Lines stream; - for stdin.")
    ],
    key: Annotated[
        str | None, typer.Option(help="Key file from `microcred keys generate`.")
    ] = None,
    suite: Annotated[str, typer.Option(help="Proof suite: " + ", ".join(SUITES) + ".")] = SUITES[0],
    verification_method: Annotated[
        str | None, typer.Option(help="verificationMethod URL (default: the key's did:key).")
    ] = None,
    created: Annotated[
        str | None, typer.Option(help="Proof creation time, ISO 8601 (default: now).")
    ] = None,
    document: Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            help="Answer the JSON-LD context URL from a local FILE (URL=FILE; repeatable), for "
            "contexts microcred does not bundle. Nothing is fetched.",
        ),
    ] = None,
) -> None:
    """Sign one credential, or each line of a JSON Lines stream (one signed line per line in)."""
    from microcred.vc import sign as sign_credential
    from microcred.vc.keys import read_key_file

    choice("--suite", suite, SUITES)
    if key is None:
        fail("--key is required: a key file from `microcred keys generate`")
    loader = context_loader(parse_documents(document or []))
    key_pair = _load_key(read_key_file, key)
    created_at = _parse_created(created) or datetime.now(UTC).replace(microsecond=0)
    single, credentials = read_credentials(read_input(input), input)
    for where, credential in credentials:
        try:
            signed = sign_credential(
                credential,
                key=key_pair,
                suite=suite,
                verification_method=verification_method,
                created=created_at,
                loader=loader,
            )
        except MicrocredError as error:
            field = f" ({error.field})" if error.field else ""
            fail(f"{where}: {error.message}{field}")
        if isinstance(signed, str):
            print(signed)
        elif single:
            print(json.dumps(signed, indent=2, ensure_ascii=False))
        else:
            print(json.dumps(signed, ensure_ascii=False, separators=(",", ":")))
        sys.stdout.flush()


def _load_key(reader: Any, name: str) -> Any:
    data = read_input(name)
    try:
        return reader(data)
    except MicrocredError as error:
        fail(f"{name}: {error.message}")


def _parse_created(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        fail(f"--created {value!r}: not an ISO 8601 date-time")
    if parsed.tzinfo is None:
        fail(f"--created {value!r}: give a time zone (for example 2026-01-01T00:00:00Z)")
    return parsed


@keys_app.command("generate")
def keys_generate(
    type: Annotated[str, typer.Option("--type", help="Key type: " + ", ".join(KEY_TYPES) + ".")] = (
        KEY_TYPES[0]
    ),
    out: Annotated[
        Path | None, typer.Option(help="Write to this file (mode 600) instead of stdout.")
    ] = None,
) -> None:
    """Generate a key pair as JSON (did:key, publicKeyMultibase, secretKeyMultibase)."""
    from microcred.vc.keys import generate_key_file

    text = generate_key_file(choice("--type", type, KEY_TYPES))
    if out is None:
        print(text)
        return
    if out.exists():
        fail(f"{out}: exists already; not overwriting a key")
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")
    stderr.print(f"Key written to {out}", markup=False)


@app.command()
def bake(
    image: Annotated[str, typer.Argument(help="A PNG or SVG badge image.")],
    credential: Annotated[
        str, typer.Argument(help="The credential: JSON or compact JWS; - for stdin.")
    ],
    out: Annotated[Path, typer.Option(help="Where to write the baked image.")],
) -> None:
    """Put a credential into a PNG or SVG image."""
    from microcred.vc.baking import bake as bake_image

    image_bytes = read_input(image)
    payload = read_input(credential).decode("utf-8-sig", errors="replace").strip()
    try:
        baked = bake_image(image_bytes, payload)
    except MicrocredError as error:
        fail(f"{image}: {error.message}")
    out.write_bytes(baked)
    stderr.print(f"Baked image written to {out}", markup=False)


@app.command()
def unbake(
    image: Annotated[str, typer.Argument(help="A baked PNG or SVG image; - for stdin.")],
) -> None:
    """Print the credential baked into a PNG or SVG image."""
    from microcred.vc.baking import unbake as unbake_image

    try:
        baked = unbake_image(read_input(image))
    except MicrocredError as error:
        fail(f"{image}: {error.message}")
    print(baked.payload)


DEFAULT_QA_PROFILES = ("eu-annex-i",)
SEVERITY_HEADINGS = {
    "error": ("Errors", "red"),
    "warning": ("Warnings", "yellow"),
    "advice": ("Advice", "cyan"),
}


@qa_app.command("check")
def qa_check(
    file: Annotated[str, typer.Argument(help="A specification (JSON); - for stdin.")],
    profile: Annotated[
        list[str] | None,
        typer.Option(
            "--profile",
            help="A quality profile to check (repeatable; default eu-annex-i). The coherence "
            "rules are always checked.",
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print the profiles met and the findings as JSON.")
    ] = False,
    today: Annotated[
        str | None, typer.Option(help="Judge dates as on this day, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Check a specification. Exit 0 when no blocking error is found, 1 when one is, 2 for bad
    input."""
    from microcred.frameworks.quality import Severity, check_specification, profile_results

    day = _parse_day(today) if today is not None else date.today()
    data = read_input(file)
    name = "stdin" if file == "-" else file
    try:
        spec = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        fail(f"{name}: not UTF-8 text")
    except ValueError as exc:
        fail(f"{name}: not JSON ({exc})")
    profiles = profile or list(DEFAULT_QA_PROFILES)
    try:
        findings = check_specification(spec, profiles=profiles, today=day)
    except MicrocredError as error:
        fail(f"{name}: {error.message}")
    met = profile_results(findings, profiles)
    blocked = any(finding.severity == Severity.ERROR for finding in findings)
    if json_output:
        report = {
            "passed": not blocked,
            "profiles": met,
            "findings": [finding.as_dict() for finding in findings],
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_findings(Console(highlight=False, soft_wrap=True, emoji=False), findings, met)
    raise typer.Exit(1 if blocked else 0)


def print_findings(out: Console, findings: list[Any], met: dict[str, bool]) -> None:
    """Print findings grouped by severity, then whether each profile is met."""
    for severity, (heading, style) in SEVERITY_HEADINGS.items():
        group = [finding for finding in findings if finding.severity == severity]
        if not group:
            continue
        out.print(f"[bold {style}]{heading} ({len(group)})[/]")
        for finding in group:
            out.print(f"  {finding.field}: {finding.message}", markup=False)
            out.print(f"    {finding.rule_id} - {finding.source}", markup=False, style="dim")
    if not findings:
        out.print("No findings.")
    for profile_id, passed in met.items():
        verdict = "[green]met[/]" if passed else "[red]not met[/]"
        out.print(f"{profile_id}: {verdict}")


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--today {value!r}: not a date such as 2026-06-30")


@app.command()
def serve(
    demo: Annotated[bool, typer.Option(help="Load demo data first.")] = False,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            help="Task workers to run beside the server (bulk issuing); 0 when they run "
            "elsewhere (`microcred manage db_worker`).",
            min=0,
        ),
    ] = 1,
) -> None:
    """Migrate the database, optionally load demo data, and serve the platform."""
    from microcred.site.server import serve as run_server

    run_server(host=host, port=port, demo=demo, workers=workers)


@app.command("bulk-issue")
def bulk_issue(
    organisation: Annotated[str, typer.Argument(help="The organisation's slug.")],
    file: Annotated[str, typer.Argument(help="A UTF-8 CSV file of rows, or - for stdin.")],
    user: Annotated[
        str, typer.Option("--user", help="The registrar who issues (username or email).")
    ],
    good_rows: Annotated[
        bool,
        typer.Option("--good-rows", help="Issue the good rows and report the bad ones."),
    ] = False,
    format: Annotated[str, typer.Option("--format", help="ldp or jwt.")] = "ldp",
    report: Annotated[
        Path | None, typer.Option("--report", help="Write every row's outcome to this CSV.")
    ] = None,
) -> None:
    """Issue a CSV of rows as a bulk job, showing progress. Run it again to continue a job
    that stopped: nothing is issued twice. Exit 0 when every row was issued, 1 when some
    failed, 2 for a file or row that is wrong (each named by its line)."""
    choice("--format", format, ("ldp", "jwt"))
    content = read_input(file)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.site.settings")
    import django

    django.setup()
    from microcred.bulk.commands import bulk_issue as run

    out = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)
    try:
        code = run(
            organisation=organisation,
            content=content,
            name=Path(file).name if file != "-" else "stdin.csv",
            user=user,
            good_rows_only=good_rows,
            format=format,
            report=report,
            out=out,
        )
    except MicrocredError as error:
        stderr.print(f"microcred: {error.message}", markup=False)
        for row in error.data.get("errors", [])[1:]:
            stderr.print(f"line {row['line']}, {row['column']}: {row['message']}", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    raise typer.Exit(code)


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (for example: microcred manage migrate)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["microcred manage", *ctx.args])


def main() -> None:
    app()
