"""What building each Open Badges 3.0 object with its own check costs, per credential.

The issuing path used to write the credential as a literal and check it once
(``validate_ob3``) before signing; now every object is checked by the builder
that makes it, and the credential once more. This measures, per credential of
a realistic shape (issuer profile with address, achievement with criteria,
two alignments and a rubric result description, two results, two evidence
entries, one status entry):

- the baseline: the same credential as a literal, checked once with ``validate_ob3``;
- the builders: every object built and checked, then the credential;
- for scale, signing that credential with ``eddsa-rdfc-2022``.

    python benchmarks/ob3_builders.py [--quick]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from microcred.vc import ob3_builders as ob3
from microcred.vc import sign
from microcred.vc.keys import Ed25519Multikey
from microcred.vc.ob3 import validate_ob3
from microcred.vc.statuslist import status_entry

ISSUED = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
BASE = "https://university.example"


def built_credential(number: int) -> dict[str, Any]:
    """Return the ``number``-th credential, every object made by its builder."""
    achievement_id = f"{BASE}/achievements/{number % 7}"
    issuer = ob3.build_profile(
        id="did:web:university.example",
        name="Example University",
        url=BASE,
        email="registrar@university.example",
        address=ob3.build_address(country_code="NL", region="Utrecht"),
    )
    level = ob3.build_rubric_criterion_level(
        id=f"{achievement_id}#criterion-1-level-2", name="Good", points="2"
    )
    achievement = ob3.build_achievement(
        id=achievement_id,
        name="Data Stewardship",
        description="Plans, documents and shares research data responsibly.",
        criteria_url=f"{BASE}/catalogue/data-stewardship/v1/",
        criteria_narrative="Submit a data management plan that meets the rubric.",
        creator=issuer,
        achievement_type="MicroCredential",
        alignments=[
            ob3.build_alignment(
                target_name="manage research data",
                target_url="http://data.europa.eu/esco/skill/0001",
                target_framework="ESCO",
                target_type="ceasn:Competency",
            ),
            ob3.build_alignment(
                target_name="EQF level 6",
                target_url="http://data.europa.eu/snb/eqf/6",
                target_framework="European Qualifications Framework",
                target_code="6",
            ),
        ],
        credits_available=2.0,
        result_descriptions=[
            ob3.build_result_description(
                id=f"{achievement_id}#criterion-1",
                name="Data management plan",
                result_type="RubricCriterionLevel",
                rubric_criterion_levels=[level],
                required_level=level["id"],
            )
        ],
    )
    return ob3.build_achievement_credential(
        id=f"{BASE}/credentials/{number}",
        name="Data Stewardship",
        issuer=issuer,
        achievement=achievement,
        valid_from=ISSUED,
        identifiers=[
            ob3.build_email_identity(f"learner{number}@example.org", salt="pepper"),
            ob3.build_name_identity(f"Learner {number}"),
        ],
        results=[
            ob3.build_result(
                result_description=f"{achievement_id}#criterion-1", achieved_level=level["id"]
            ),
            ob3.build_result(value="B"),
        ],
        evidence=[
            ob3.build_evidence(id=f"{BASE}/evidence/{number}", name="plan.pdf"),
            ob3.build_quality_report_evidence(f"{BASE}/qa/data-stewardship/v1/"),
        ],
        credential_status=status_entry(
            list_credential_url=f"{BASE}/status/suspension-1", index=number, purpose="suspension"
        ),
    )


def per_credential_ms(run: Callable[[int], object], count: int, repeats: int = 5) -> float:
    """Return the fastest of ``repeats`` runs over ``count`` credentials, in ms per credential:
    the machine is shared, and the minimum is the least disturbed figure."""
    run(0)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for number in range(count):
            run(number)
        best = min(best, time.perf_counter() - started)
    return best * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run: fewer credentials")
    count = 50 if parser.parse_args().quick else 500
    literals = [built_credential(number) for number in range(count)]
    key = Ed25519Multikey.generate()

    def baseline(number: int) -> object:
        return validate_ob3(literals[number])

    def signing(number: int) -> object:
        return sign(literals[number], key=key, created=ISSUED)

    baseline_ms = per_credential_ms(baseline, count)
    builders_ms = per_credential_ms(built_credential, count)
    signing_ms = per_credential_ms(signing, max(count // 10, 10))
    print(f"{count} OB 3.0 credentials, ms per credential (fastest of 5 runs)")
    print(f"  baseline: literal checked once with validate_ob3  {baseline_ms:8.3f}")
    print(f"  builders: every object checked, then the whole    {builders_ms:8.3f}")
    print(f"  signing with eddsa-rdfc-2022 (for scale)          {signing_ms:8.3f}")
    print(f"  builders / baseline: {builders_ms / baseline_ms:.2f}x")
    print(f"  extra cost of the builders / signing: {(builders_ms - baseline_ms) / signing_ms:.1%}")


if __name__ == "__main__":
    main()
