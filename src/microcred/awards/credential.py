"""What an award says about its learner and their outcome, as plain values, and the unsigned
OpenBadgeCredential built from them.

Nothing here reads the database or signs: :mod:`microcred.awards.services`
gathers the values (issuer profile, achievement, status entry) and signs
what :func:`build_credential` returns. The Open Badges 3.0 JSON itself is
written by :mod:`microcred.vc.ob3_builders`, which checks each object as it
is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from microcred.vc import ob3_builders as ob3

# Result types of an achievement's resultDescription that a grade or a score refers to.
GRADE_RESULT_TYPES = ("LetterGrade", "PerformanceLevel")
SCORE_RESULT_TYPES = ("Percent", "RawScore", "ScaledScore", "GradePointAverage")


@dataclass(frozen=True)
class Learner:
    """Who receives the award: a DID, or an email address hidden behind a salted hash."""

    email: str = ""
    did: str = ""
    name: str = ""
    salt: str = ""

    def identity_objects(self) -> list[dict[str, Any]]:
        """Return the ``identifier`` list of the AchievementSubject.

        A DID identifies the learner directly (it is the subject's ``id``);
        otherwise the email address is given as a hashed IdentityObject so
        that the credential does not leak it. A name, when known, is an
        IdentityObject of type ``name`` in plain text: it is what people
        reading the credential expect to see.
        """
        identifiers = [] if self.did else [ob3.build_email_identity(self.email, salt=self.salt)]
        if self.name:
            identifiers.append(ob3.build_name_identity(self.name))
        return identifiers


@dataclass(frozen=True)
class Outcome:
    """What the learner achieved beyond passing: grade, score, narrative, evidence."""

    grade: str = ""
    score: str = ""
    narrative: str = ""
    # OB 3.0 Evidence properties (id, name, narrative, description), without type.
    evidence: list[dict[str, str]] = field(default_factory=list)
    # OB 3.0 Result properties (resultDescription, achievedLevel, value, status), without
    # type, such as rubric levels from an assessment.
    rubric_results: list[dict[str, Any]] = field(default_factory=list)
    # How learning recognised without assessment was acquired: non-formal or informal.
    learning_setting: str = ""

    def results(self, achievement: dict[str, Any]) -> list[dict[str, Any]]:
        """Return the subject's ``result`` list (appendix B, Result).

        A grade or score points at the achievement's result description of a
        matching ``resultType`` when the achievement declares one, so that
        verifiers know what the value measures.
        """
        results = [
            ob3.build_result(
                result_description=result.get("resultDescription"),
                achieved_level=result.get("achievedLevel"),
                value=result.get("value"),
                status=result.get("status"),
            )
            for result in self.rubric_results
        ]
        for value, result_types in (
            (self.grade, GRADE_RESULT_TYPES),
            (self.score, SCORE_RESULT_TYPES),
        ):
            if value:
                results.append(
                    ob3.build_result(
                        value=value,
                        result_description=_result_description(achievement, result_types),
                    )
                )
        return results

    def evidence_objects(self) -> list[dict[str, Any]]:
        return [
            ob3.build_evidence(
                id=item.get("id"),
                name=item.get("name"),
                narrative=item.get("narrative"),
                description=item.get("description"),
            )
            for item in self.evidence
        ]


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
    credential_status: dict[str, Any],
    quality_report: str,
    replaces: str | None = None,
) -> dict[str, Any]:
    """Return the unsigned OpenBadgeCredential of an award.

    ``validFrom`` is the date of issuing that Annex I of the EU Council
    Recommendation asks for; ``evidence`` sits on the credential, where
    appendix B (AchievementCredential) defines it: the learner's evidence,
    then the public QA report (``quality_report``, its URL) of the version, then the
    credential this one replaces (``replaces``, its URL) when it is issued again: Open Badges
    3.0 has no property for that, and Evidence is where a credential points at another
    document for whoever checks it.
    """
    return ob3.build_achievement_credential(
        id=id,
        name=name,
        issuer=issuer,
        achievement=achievement,
        valid_from=valid_from,
        valid_until=valid_until,
        subject_id=learner.did or None,
        identifiers=learner.identity_objects(),
        results=outcome.results(achievement),
        narrative=outcome.narrative,
        evidence=[
            *outcome.evidence_objects(),
            ob3.build_quality_report_evidence(quality_report),
            *([_replaced_credential_evidence(replaces)] if replaces else []),
        ],
        credential_status=credential_status,
        learning_setting=outcome.learning_setting or None,
    )


# The genre of the Evidence by which a credential names the credential it replaces.
REPLACED_CREDENTIAL = "Replaced credential"


def _replaced_credential_evidence(url: str) -> dict[str, Any]:
    return ob3.build_evidence(
        id=url,
        name="The credential this one replaces",
        genre=REPLACED_CREDENTIAL,
        description="The issuer revoked that credential, or it was signed with a key the issuer "
        "reported as compromised; this credential was issued again in its place.",
    )
