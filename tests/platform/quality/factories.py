"""Factories for quality assurance: vetted issuers, reviewers, versions approved for publishing."""

from __future__ import annotations

from typing import Any

from microcred.accounts.models import User
from microcred.catalogue import services as catalogue
from microcred.catalogue.models import MicroCredentialVersion
from microcred.organisations.models import Organisation, Role
from microcred.quality import services
from microcred.quality.models import QAReview
from tests.platform.factories import add_member, make_user


def make_admin() -> User:
    return make_user(password=None, is_staff=True)


def vet(organisation: Organisation) -> None:
    """Vet ``organisation`` by a platform admin, unless it is vetted already."""
    if services.get_quality_settings(organisation).vetted_at is None:
        services.vet_organisation(
            actor=make_admin(),
            organisation=organisation,
            track_record="Twenty years of continuing education.",
            subject_expertise="Education and data science.",
            audience="Teachers and researchers.",
            terms_agreed=True,
        )


def make_reviewer(organisation: Organisation) -> User:
    return add_member(organisation, make_user(password=None), Role.QA_REVIEWER)


def all_met(review: QAReview) -> dict[str, dict[str, Any]]:
    """A checklist with every item of the review's profiles met."""
    return {
        item_id: {"met": True, "note": ""} for item_id, _ in services.get_checklist(review.profiles)
    }


def designer_of(version: MicroCredentialVersion) -> User:
    return version.created_by


def approve(version: MicroCredentialVersion, *, reviewer: User | None = None) -> QAReview:
    """Vet the organisation, submit the version as its designer, approve it as another user."""
    organisation = version.microcredential.organisation
    vet(organisation)
    review = services.submit_version(actor=designer_of(version), version=version)
    assert review.status == "internal_review", review.findings
    return services.decide_review(
        actor=reviewer or make_reviewer(organisation),
        review=review,
        decision="approve",
        checklist=all_met(review),
    )


def publish(
    version: MicroCredentialVersion, *, actor: User | None = None
) -> MicroCredentialVersion:
    """Publish ``version`` through the quality workflow."""
    approve(version)
    return catalogue.publish_version(actor=actor or designer_of(version), version=version)
