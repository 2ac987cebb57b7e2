"""The unsigned OpenBadgeCredential of an award, built from plain values.

Nothing here reads the database or signs: :mod:`microcred.awards.services`
gathers the values (issuer profile, achievement, status entries) and signs
what :func:`build_credential` returns. Property names are those of Open
Badges 3.0, appendix B (AchievementCredential, AchievementSubject,
IdentityObject, Result, Evidence).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcred.vc.dates import format_datetime
from microcred.vc.ob3 import OB3_CONTEXT
from microcred.vc.statuslist import VC_V2_CONTEXT

CONTEXTS = [VC_V2_CONTEXT, OB3_CONTEXT]
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
# Result types of an achievement's resultDescription that a grade or a score refers to.
GRADE_RESULT_TYPES = ("LetterGrade", "PerformanceLevel")
SCORE_RESULT_TYPES = ("Percent", "RawScore", "ScaledScore", "GradePointAverage")
QUALITY_REPORT = "Quality assurance report"


def identity_hash(identity: str, salt: str) -> str:
    """Return the OB 3.0 IdentityHash of ``identity``: ``sha256$`` + hex(SHA-256(identity + salt)).

    Open Badges 3.0 appendix B, IdentityHash; the same form as Open Badges 2.0
    hashed recipients, so verifiers check it the way they always have.
    """
    return "sha256$" + hashlib.sha256((identity + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Learner:
    """Who receives the award: a DID, or an email address hidden behind a salted hash."""

    email: str = ""
    did: str = ""
    name: str = ""
    salt: str = ""

    def subject_fields(self) -> dict[str, Any]:
        """Return ``id`` and/or ``identifier`` of the AchievementSubject.

        A DID identifies the learner directly; otherwise the email address is
        given as a hashed IdentityObject so that the credential does not leak
        it. A name, when known, is an IdentityObject of type ``name`` in plain
        text: it is what people reading the credential expect to see.
        """
        fields: dict[str, Any] = {}
        identifiers = []
        if self.did:
            fields["id"] = self.did
        else:
            identifiers.append(
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": identity_hash(self.email, self.salt),
                    "salt": self.salt,
                }
            )
        if self.name:
            identifiers.append(
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": self.name,
                }
            )
        if identifiers:
            fields["identifier"] = identifiers
        return fields


@dataclass(frozen=True)
class Outcome:
    """What the learner achieved beyond passing: grade, score, narrative, evidence."""

    grade: str = ""
    score: str = ""
    narrative: str = ""
    evidence: list[dict[str, str]] = field(default_factory=list)
    # OB 3.0 Result objects given as they are, such as rubric levels from an assessment.
    rubric_results: list[dict[str, Any]] = field(default_factory=list)

    def results(self, achievement: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the subject's ``result`` list (appendix B, Result).

        A grade or score points at the achievement's result description of a
        matching ``resultType`` when the achievement declares one, so that
        verifiers know what the value measures.
        """
        results = [{"type": ["Result"], **result} for result in self.rubric_results]
        for value, result_types in (
            (self.grade, GRADE_RESULT_TYPES),
            (self.score, SCORE_RESULT_TYPES),
        ):
            if not value:
                continue
            result: dict[str, Any] = {"type": ["Result"], "value": value}
            description = _result_description(achievement, result_types)
            if description is not None:
                result["resultDescription"] = description
            results.append(result)
        return results

    def evidence_objects(self) -> list[dict[str, Any]]:
        return [{"type": ["Evidence"], **item} for item in self.evidence]


def quality_report_evidence(url: str) -> dict[str, Any]:
    """Return the Evidence that points at the public QA report of the achievement's version,
    so that whoever holds the credential can see how it was checked before it was issued."""
    return {
        "id": url,
        "type": ["Evidence"],
        "name": QUALITY_REPORT,
        "genre": QUALITY_REPORT,
        "description": (
            "The public report of the quality assurance this micro-credential passed before it "
            "was published: the automatic checks, the human review and the next review date."
        ),
    }


def _result_description(achievement: dict[str, Any], result_types: tuple[str, ...]) -> str | None:
    declared = achievement.get("resultDescription") or []
    for description in declared if isinstance(declared, list) else [declared]:
        if isinstance(description, dict) and description.get("resultType") in result_types:
            return description.get("id")
    return None


def build_credential(
    *,
    id: str,
    name: str,
    issuer: dict[str, Any],
    achievement: dict[str, Any],
    learner: Learner,
    outcome: Outcome,
    valid_from: datetime,
    valid_until: datetime | None,
    credential_status: list[dict[str, Any]],
    quality_report: str,
) -> dict[str, Any]:
    """Return the unsigned OpenBadgeCredential (OB 3.0 section 4, VC Data Model 2.0).

    ``validFrom`` is the date of issuing that Annex I of the EU Council
    Recommendation asks for; ``evidence`` sits on the credential, where
    appendix B (AchievementCredential) defines it: the learner's evidence,
    then the public QA report (``quality_report``, its URL) of the version.
    """
    subject: dict[str, Any] = {"type": ["AchievementSubject"], **learner.subject_fields()}
    subject["achievement"] = achievement
    if results := outcome.results(achievement):
        subject["result"] = results
    if outcome.narrative:
        subject["narrative"] = outcome.narrative
    credential: dict[str, Any] = {
        "@context": list(CONTEXTS),
        "id": id,
        "type": list(CREDENTIAL_TYPES),
        "name": name,
        "issuer": issuer,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = subject
    credential["evidence"] = [*outcome.evidence_objects(), quality_report_evidence(quality_report)]
    credential["credentialStatus"] = credential_status
    return credential
