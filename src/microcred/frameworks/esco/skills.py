"""ESCO skills as records: the vendored file, and the official ESCO CSV download.

Both are read into :class:`Skill`; an installation's own copy is written in
the vendored format (gzipped JSON lines) so one reader serves both.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from microcred.errors import InvalidInput

VENDORED = Path(__file__).with_name("skills.jsonl.gz")
ESCO_URI_PREFIX = "http://data.europa.eu/esco/skill/"
CSV_REQUIRED = ("conceptUri", "preferredLabel")


@dataclass(frozen=True)
class Skill:
    """An ESCO skill: its URI, preferred label, alternative labels and description.

    ``alt_labels`` is the text of the alternative labels as the source gives
    it: separated by new lines in the official CSV, run together with spaces
    in the vendored data (see SOURCES.md).
    """

    uri: str
    label: str
    alt_labels: str = ""
    description: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "uri": self.uri,
            "preferredLabel": self.label,
            "altLabels": self.alt_labels,
            "description": self.description,
        }


def read_skills(path: Path) -> list[Skill]:
    """Return the skills of a gzipped JSON-lines file in the vendored format."""
    skills = []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                skills.append(_record(json.loads(line), f"{Path(path).name}, line {number}"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(
            f"{Path(path).name} is not a gzipped JSON-lines file of skills: {error}",
            code="esco.unreadable",
            field="file",
        ) from error
    return skills


def _record(data: object, where: str) -> Skill:
    if not isinstance(data, dict) or not isinstance(data.get("uri"), str):
        raise InvalidInput(f"{where}: a skill needs a uri.", code="esco.invalid", field="uri")
    return Skill(
        uri=data["uri"],
        label=str(data.get("preferredLabel") or ""),
        alt_labels=str(data.get("altLabels") or ""),
        description=str(data.get("description") or ""),
    )


def write_skills(skills: Iterable[Skill], path: Path) -> None:
    """Write ``skills`` to ``path`` in the vendored format, replacing it in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".skills-", suffix=".tmp")
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out,
        ):
            for skill in skills:
                out.write((json.dumps(skill.as_dict(), ensure_ascii=False) + "\n").encode())
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def load_esco_csv(path: Path) -> list[Skill]:
    """Return the skills of the official ESCO CSV download (``skills_en.csv``).

    The file has a header row; ``conceptUri`` and ``preferredLabel`` are
    required, ``altLabels`` (one label per line) and ``description`` are read
    when present, other columns are ignored. Raise :class:`InvalidInput`
    naming the row and column of the first problem.
    """
    name = Path(path).name
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in CSV_REQUIRED if column not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    f"{name} is not an ESCO skills CSV: it has no column {', '.join(missing)} "
                    f"(expected the header of skills_en.csv).",
                    code="esco.csv_columns",
                    field=missing[0],
                )
            skills: list[Skill] = []
            seen: set[str] = set()
            for row in reader:
                skills.append(_csv_skill(row, f"{name}, row {reader.line_num}", seen))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidInput(
            f"{name} could not be read as a UTF-8 CSV file: {error}",
            code="esco.unreadable",
            field="file",
        ) from error
    if not skills:
        raise InvalidInput(f"{name} has no skills.", code="esco.empty", field="file")
    return skills


def _csv_skill(row: dict[str, str | None], where: str, seen: set[str]) -> Skill:
    uri = (row.get("conceptUri") or "").strip()
    label = (row.get("preferredLabel") or "").strip()
    if not uri.startswith(("http://", "https://")):
        raise InvalidInput(
            f"{where}: conceptUri must be the skill's URI, such as {ESCO_URI_PREFIX}...; "
            f"got {uri!r}.",
            code="esco.csv_uri",
            field="conceptUri",
        )
    if uri in seen:
        raise InvalidInput(
            f"{where}: the skill {uri} appears twice.",
            code="esco.csv_duplicate",
            field="conceptUri",
        )
    if not label:
        raise InvalidInput(
            f"{where}: preferredLabel is empty.", code="esco.csv_label", field="preferredLabel"
        )
    seen.add(uri)
    return Skill(
        uri=uri,
        label=label,
        alt_labels=(row.get("altLabels") or "").strip(),
        description=(row.get("description") or "").strip(),
    )
