"""The bulk issuing of the demo: the University of Lakeside's registrar issued a cohort from a
CSV file; one row had a mistyped address and was reported, the others issued."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from microcred.accounts.services import find_user
from microcred.bulk import services
from microcred.catalogue import services as catalogue

UNIVERSITY = "lakeside"
VERSION = "data-visualisation"
COHORT = (
    ("ines.alvarez", "Ines Alvarez", "8.5"),
    ("jonas.berg", "Jonas Berg", "7.0"),
    ("kemi.adeyemi", "Kemi Adeyemi", "9.0"),
    ("liam.osullivan", "Liam O'Sullivan", "6.5"),
)


def load_bulk_demo(*, now: datetime) -> Iterator[str]:
    """Start the cohort's job as the university's registrar and do its work here."""
    registrar = find_user(f"{UNIVERSITY}-registrar")
    if registrar is None:
        raise RuntimeError("The site's demo creates the university's staff first.")
    version = catalogue.get_version(organisation=UNIVERSITY, slug=VERSION)
    lines = ["version,learner_email,learner_name,grade"]
    for number, (login, name, grade) in enumerate(COHORT):
        # The last address lost its @ on the way into the spreadsheet.
        at = "@" if number < len(COHORT) - 1 else ""
        lines.append(f"{version.achievement_uuid},{login}{at}demo.microcred.example,{name},{grade}")
    started = services.start_job(
        actor=registrar,
        organisation_slug=UNIVERSITY,
        rows=services.read_csv("\n".join(lines).encode()),
        name="data-visualisation-cohort.csv",
        good_rows_only=True,
        now=now,
    )
    services.process_job(started.job.uuid)
    progress = services.get_progress(started.job)
    yield (
        f"Bulk issuing: a cohort of {progress.total} from a CSV file, {progress.issued} issued "
        f"and {progress.failed} reported (a mistyped address)."
    )
