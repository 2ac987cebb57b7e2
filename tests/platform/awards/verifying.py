"""Verify issued awards as outsiders do: with the engine alone, and with the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from microcred.awards import services
from microcred.cli import app
from microcred.organisations import services as organisations
from microcred.vc import LocalFetcher, VerificationReport, verify
from microcred.vc.jwt import decode_jwt


def published_documents(award: Any) -> dict[str, bytes]:
    """Return, by URL, what a verifier fetches for ``award``: the DID document, the status lists
    and, for a VC-JWT, the JWK its ``kid`` names.

    Read through the platform's own fetcher, so these are the bytes its pages serve.
    """
    fetcher = organisations.get_platform_fetcher(fallback=LocalFetcher({}))
    urls = [organisations.get_did_document_url(award.organisation)]
    urls += [entry["url"] for entry in services.get_status_entries(award)]
    if award.format == "jwt":
        urls.append(decode_jwt(award.signed_credential)[0]["kid"])
    return {url: fetcher.fetch(url).content for url in urls}


def verify_offline(award: Any) -> VerificationReport:
    """Verify the stored credential with microcred.vc alone, given the published documents."""
    [report] = verify(award.signed_credential, fetcher=LocalFetcher(published_documents(award)))
    return report


def verify_with_cli(award: Any, folder: Path) -> tuple[int, list[dict[str, Any]]]:
    """Run ``microcred verify --json`` on the stored credential with ``--document`` files."""
    folder.mkdir(parents=True, exist_ok=True)
    credential = folder / f"{award.uuid}.{'jwt' if award.format == 'jwt' else 'json'}"
    credential.write_text(award.signed_credential)
    arguments = ["verify", str(credential), "--json"]
    for number, (url, content) in enumerate(published_documents(award).items()):
        document = folder / f"document-{number}.json"
        document.write_bytes(content)
        arguments += ["--document", f"{url}={document}"]
    result = CliRunner().invoke(app, arguments)
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, reports
