"""What building a European Digital Credential (ELM 3.1 and 3.2) costs, per credential.

An EDC is built on request from the award and its version (nothing is stored), so this is
what each ``/credentials/<uuid>.elm.jsonld`` adds to the database reads. The credential has
a realistic shape: a Qualification with an EQF level, ECTS, five learning outcomes with two
ESCO skills each, two languages, the issuer's accreditation and a 20 kB badge image.

    python benchmarks/elm_export.py [--quick]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from decimal import Decimal

from microcred.frameworks import elm

ISSUER = elm.Issuer(
    id="did:web:university.example:orgs:lakeside",
    name="University of Lakeside",
    country="NL",
    url="https://lakeside.example",
    email="microcredentials@lakeside.example",
    accreditations=(elm.Accreditation("Institutional accreditation", "NVAO"),),
)
SKILL = "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a"


def specification(number: int) -> elm.Specification:
    return elm.Specification(
        key=f"00000000-0000-4000-8000-{number:012d}",
        title="Data Stewardship",
        description="Plans, documents and shares research data responsibly.",
        homepage="https://university.example/catalogue/lakeside/data-stewardship/v1/",
        participation_form="online",
        supervised=False,
        identity_verification="",
        assessment_type="A data management plan, marked against a rubric.",
        quality_assurance="Internal QA by the faculty's examination board.",
        outcomes=tuple(
            elm.Outcome(
                f"Outcome {n}",
                (elm.Skill(SKILL, "develop digital content"), elm.Skill(SKILL + "x", "other")),
            )
            for n in range(5)
        ),
        languages=("en", "nl"),
        eqf_level=6,
        ects=2.0,
        workload_hours=Decimal("50"),
    )


def award(number: int) -> elm.Award:
    return elm.Award(
        key=f"10000000-0000-4000-8000-{number:012d}",
        learner_id=f"urn:uuid:20000000-0000-4000-8000-{number:012d}",
        issued_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
        learner_name="Ada Lovelace",
        image_png=b"\x89PNG" + bytes(20_000),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer credentials")
    count = 200 if parser.parse_args().quick else 2_000
    for version in elm.VERSIONS:
        start = time.perf_counter()
        for number in range(count):
            elm.credential_document(award(number), specification(number), ISSUER, version=version)
        per = (time.perf_counter() - start) / count * 1000
        print(f"ELM {version} European Digital Credential: {per:.3f} ms each ({count} built)")


if __name__ == "__main__":
    main()
