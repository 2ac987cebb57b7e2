"""The credential inflation watch of an organisation, or of the whole platform (issue 4).

The figures and alerts are computed by :mod:`microcred.frameworks.watch`
(pure rules); this module gathers their inputs from the awards, the
assessment figures and the catalogue, and authorises who sees them: the QA
reviewers and owners of an organisation see its watch, platform admins see
every organisation's and the platform's.

Where "evidence" comes from: the signed credential. An award counts as
carrying evidence when its signed credential has an ``evidence`` entry other
than the reference to the version's public QA report (the entry whose genre
is "Quality assurance report", which every credential carries and which
says nothing about the learner). The signed credential is the one source
that covers every award alike: those that followed an assessment (which
carry the evidence the learner chose to make public) and those a registrar
issued by hand or in bulk with evidence links; it is also exactly what an
employer verifying the credential sees. ``Award.result`` holds only a grade
or score, and submissions exist only for assessed awards, so either would
undercount. Whether anything was submitted is read separately, from the
enrolment the award was earned in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from microcred.accounts.services import User, check_platform_admin
from microcred.assessment import figures as assessment
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.frameworks.watch import (
    Alert,
    AwardRecord,
    CatalogueText,
    Duplicate,
    Figures,
    near_duplicates,
    watch_figures,
)
from microcred.organisations import services as organisations
from microcred.organisations.services import Role
from microcred.vc.ob3_builders import is_quality_report_evidence

WATCHERS = (Role.QA_REVIEWER,)


@dataclass(frozen=True)
class WatchRow:
    """The figures of one micro-credential or organisation; ``assessment`` when the attempts
    of exactly one micro-credential make them up (the figures are not additive)."""

    label: str
    organisation: str
    organisation_slug: str
    url: str
    figures: Figures
    assessment: assessment.AssessmentFigures | None = None


@dataclass(frozen=True)
class WatchAlert:
    subject: str
    organisation: str
    alert: Alert


@dataclass(frozen=True)
class DuplicatePair:
    """Two near-duplicate micro-credentials, with their catalogue pages and issuers' names;
    ``language`` is the first one's, in which the phrases they share are written."""

    duplicate: Duplicate
    first_url: str
    second_url: str
    first_organisation: str
    second_organisation: str
    language: str


@dataclass(frozen=True)
class Watch:
    """What the watch page shows; ``organisation`` is None for the whole platform."""

    organisation: Any
    overall: Figures
    organisations: list[WatchRow]
    microcredentials: list[WatchRow]
    assessors: list[assessment.AssessorFigures]
    alerts: list[WatchAlert]
    duplicates: list[DuplicatePair]


def access_organisation_watch(actor: User, slug: str) -> Watch:
    """Return the watch of organisation ``slug`` for its QA reviewers and owners."""
    organisation = organisations.access_organisation(actor, slug, roles=WATCHERS)
    return get_watch(organisation)


def access_platform_watch(actor: User) -> Watch:
    """Return the watch of the whole platform, for platform admins."""
    check_platform_admin(actor, gettext("see the credential inflation watch of the whole platform"))
    return get_watch(None)


def get_watch(organisation: Any = None) -> Watch:
    """Return the watch of ``organisation``, or of the platform when None (read only)."""
    enrolments = assessment.get_award_enrolments(organisation)
    by_microcredential: dict[int, _Inputs] = {}
    by_organisation: dict[str, _Inputs] = {}
    every = _Inputs("", "", "", "")
    for award in awards.get_issued_awards(organisation):
        microcredential = award.version.microcredential
        owner = microcredential.organisation
        if microcredential.pk not in by_microcredential:
            url = _catalogue_url(owner.slug, microcredential.slug)
            by_microcredential[microcredential.pk] = _Inputs(
                award.version.title, owner.name, owner.slug, url
            )
        record, span = _record(award, enrolments.get(award.pk))
        for inputs in (
            by_microcredential[microcredential.pk],
            _organisation_inputs(by_organisation, owner.slug, owner.name),
            every,
        ):
            inputs.add(record, span)
    for row in assessment.get_microcredential_figures(organisation):
        if row.microcredential_id not in by_microcredential:
            url = _catalogue_url(row.organisation, row.slug)
            by_microcredential[row.microcredential_id] = _Inputs(
                row.title, row.organisation_name, row.organisation, url
            )
        for inputs in (
            by_microcredential[row.microcredential_id],
            _organisation_inputs(by_organisation, row.organisation, row.organisation_name),
            every,
        ):
            inputs.assessed.append(row.figures)
    microcredential_rows = sorted((i.row() for i in by_microcredential.values()), key=_by_label)
    organisation_rows = sorted((i.row() for i in by_organisation.values()), key=_by_label)
    return Watch(
        organisation=organisation,
        overall=every.row().figures,
        organisations=organisation_rows if organisation is None else [],
        microcredentials=microcredential_rows,
        assessors=assessment.get_assessor_figures(organisation) if organisation else [],
        alerts=_alerts(microcredential_rows, organisation_rows),
        duplicates=_duplicates(organisation),
    )


class _Inputs:
    """What the watch gathers for one subject before computing its figures."""

    def __init__(self, label: str, organisation: str, organisation_slug: str, url: str) -> None:
        self.label = label
        self.organisation = organisation
        self.organisation_slug = organisation_slug
        self.url = url
        self.records: list[AwardRecord] = []
        self.spans: list[tuple[datetime, datetime]] = []
        self.assessed: list[assessment.AssessmentFigures] = []

    def add(self, record: AwardRecord, span: tuple[datetime, datetime] | None) -> None:
        self.records.append(record)
        if span is not None:
            self.spans.append(span)

    def row(self) -> WatchRow:
        """Return the figures; attempts are None when nothing was assessed on the platform."""
        figures = watch_figures(
            self.records,
            attempts=sum(f.decided for f in self.assessed) if self.assessed else None,
            passed=sum(f.passed for f in self.assessed) if self.assessed else None,
            spans=self.spans,
        )
        only = self.assessed[0] if len(self.assessed) == 1 else None
        return WatchRow(
            self.label, self.organisation, self.organisation_slug, self.url, figures, only
        )


def _organisation_inputs(found: dict[str, _Inputs], slug: str, name: str) -> _Inputs:
    if slug not in found:
        found[slug] = _Inputs(name, name, slug, reverse("quality:watch", kwargs={"slug": slug}))
    return found[slug]


def _record(
    award: Any, enrolment: assessment.AwardEnrolment | None
) -> tuple[AwardRecord, tuple[datetime, datetime] | None]:
    record = AwardRecord(
        issued_at=award.issued_at,
        has_evidence=has_learner_evidence(awards.get_credential_document(award)),
        has_submission=enrolment.submitted if enrolment else False,
    )
    span = (enrolment.enrolled_at, award.issued_at) if enrolment else None
    return record, span


def has_learner_evidence(credential: dict[str, Any]) -> bool:
    """Return whether the credential carries evidence other than its QA report reference."""
    evidence = credential.get("evidence") or []
    entries = evidence if isinstance(evidence, list) else [evidence]
    return not all(is_quality_report_evidence(entry) for entry in entries)


def _catalogue_url(organisation: str, slug: str) -> str:
    return reverse("catalogue:detail", kwargs={"organisation": organisation, "slug": slug})


def _by_label(row: WatchRow) -> tuple[str, str]:
    return (row.organisation.casefold(), row.label.casefold())


def _alerts(
    microcredential_rows: list[WatchRow], organisation_rows: list[WatchRow]
) -> list[WatchAlert]:
    """Return the alerts of each micro-credential, then those of each organisation that none
    of its micro-credentials raised: a pattern that shows only in the sum, such as a burst of
    awards spread over several micro-credentials."""
    raised: dict[str, set[str]] = defaultdict(set)
    found = []
    for row in microcredential_rows:
        for alert in row.figures.alerts:
            raised[row.organisation_slug].add(alert.kind)
            found.append(WatchAlert(row.label, row.organisation, alert))
    found += [
        WatchAlert(row.label, row.organisation, alert)
        for row in organisation_rows
        for alert in row.figures.alerts
        if alert.kind not in raised[row.organisation_slug]
    ]
    return found


def _duplicates(organisation: Any) -> list[DuplicatePair]:
    """Return near-duplicate pairs among the catalogue's latest published versions; for an
    organisation, the pairs in which one of its micro-credentials takes part."""
    listed = {f"{text.organisation}/{text.slug}": text for text in catalogue.get_listed_texts()}
    names = {text.organisation: text.organisation_name for text in listed.values()}
    texts = [
        CatalogueText(key, text.organisation, text.title, text.outcomes)
        for key, text in listed.items()
    ]
    found = near_duplicates(texts, organisation=organisation.slug if organisation else None)
    return [
        DuplicatePair(
            duplicate,
            _catalogue_url(duplicate.first.organisation, listed[duplicate.first.key].slug),
            _catalogue_url(duplicate.second.organisation, listed[duplicate.second.key].slug),
            names[duplicate.first.organisation],
            names[duplicate.second.organisation],
            listed[duplicate.first.key].language,
        )
        for duplicate in found
    ]
