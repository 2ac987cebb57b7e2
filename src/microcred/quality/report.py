"""What quality assurance shows the public: a version's QA report, the issuer's quality page and
the plain-language summary for employers.

Everything here only reads. A report shows what was checked when the version
was submitted (the findings stored on its review), not a fresh run of today's
rules, so it stays true to the decision it explains. People on the staff are
named by their role ("a QA reviewer of ..."), never by name: the report is
about the organisation's process, and staff did not choose to be public.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from microcred.assessment import figures as assessment
from microcred.catalogue import services as catalogue
from microcred.core import public_urls
from microcred.errors import NotFound
from microcred.frameworks import quality as rules
from microcred.frameworks.credits import credits_for, format_amount, format_range, hours_for
from microcred.quality import services
from microcred.quality.models import QAReview, ReviewStatus

if TYPE_CHECKING:
    from microcred.organisations.services import Organisation

__all__ = [
    "EQF_LEVELS",
    "IssuerQuality",
    "QAReport",
    "QualitySummary",
    "get_issuer_quality",
    "get_quality_summary",
    "get_report",
    "report_path",
    "report_url",
]

# The European Qualifications Framework's level descriptors (Council Recommendation of
# 22 May 2017, Annex II), each in one line for readers who do not know the framework.
EQF_LEVELS = {
    1: _("basic general knowledge and skills to carry out simple tasks under direct supervision"),
    2: _("basic factual knowledge of a field, used to carry out routine tasks with some autonomy"),
    3: _(
        "knowledge of facts, principles and processes in a field; completes tasks and solves "
        "routine problems on one's own"
    ),
    4: _(
        "broad factual and theoretical knowledge; solves specific problems in a field and "
        "supervises the routine work of others"
    ),
    5: _(
        "comprehensive, specialised knowledge; finds creative solutions to abstract problems and "
        "manages work that changes unpredictably (the level of short-cycle higher education)"
    ),
    6: _(
        "advanced knowledge with a critical understanding of theories; solves complex, "
        "unpredictable problems and takes responsibility for decisions (bachelor's degree level)"
    ),
    7: _(
        "highly specialised knowledge, partly at the forefront of a field; solves new problems "
        "with original thinking and leads complex work (master's degree level)"
    ),
    8: _(
        "knowledge at the most advanced frontier of a field; extends it through original "
        "research (doctoral level)"
    ),
}
SEVERITY_LABELS = {"error": _("Blocking"), "warning": _("Warning"), "advice": _("Advice")}
PASSED = (ReviewStatus.APPROVED, ReviewStatus.PUBLISHED)
DECIDED = (ReviewStatus.RETURNED, *PASSED)


def _plain(value: Any) -> Any:
    """Return ``value`` as JSON data: dates in ISO 8601, tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


# -- the QA report of a version --------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    """One automatic check of one profile: passed, or what it found."""

    rule_id: str
    profile: str
    severity: str
    message: str
    field: str
    source: str
    passed: bool

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS.get(self.severity, self.severity.capitalize()))


@dataclass(frozen=True)
class ProfileResult:
    """Whether the version met a quality profile when it was submitted."""

    id: str
    name: str
    source: str
    met: bool
    checks: tuple[CheckResult, ...]


@dataclass(frozen=True)
class ChecklistResult:
    """An item a reviewer judged by hand, with their answer."""

    id: str
    text: str
    met: bool
    note: str


@dataclass(frozen=True)
class HumanReview:
    """One stage of the human review; the reviewer is given by role, not by name."""

    stage: str
    reviewer: str
    organisation: str
    organisation_slug: str
    reviewed_on: date | None
    decision: str
    note: str
    checklist: tuple[ChecklistResult, ...]


@dataclass(frozen=True)
class QAReport:
    """The public account of how a published version passed quality assurance."""

    url: str
    title: str
    organisation: str
    organisation_slug: str
    slug: str
    number: int
    status: str
    catalogue_url: str
    achievement_id: str
    reviewed: bool
    attempt: int | None
    submitted_on: date | None
    approved_on: date | None
    published_on: date | None
    next_review: date | None
    profiles: tuple[ProfileResult, ...]
    internal_review: HumanReview | None
    external_review: HumanReview | None

    def as_dict(self) -> dict[str, Any]:
        """Return the report as JSON data (the ``.json`` page and the API)."""
        return _plain(asdict(self))


def report_path(version: Any) -> str:
    """Return the path of a version's public QA report on this site."""
    return reverse(
        "quality:report",
        kwargs={
            "organisation": version.microcredential.organisation.slug,
            "slug": version.microcredential.slug,
            "number": version.number,
        },
    )


def report_url(version: Any) -> str:
    """Return the absolute address of a version's public QA report (credentials link to it)."""
    return public_urls.qa_report_url(
        version.microcredential.organisation.slug, version.microcredential.slug, version.number
    )


def get_report(*, organisation: str, slug: str, number: int) -> QAReport:
    """Return the QA report of a published (or since withdrawn) version.

    Drafts have no public report: :class:`NotFound` for them as for unknown
    versions, so the answer does not tell a draft exists. A withdrawn version
    keeps its report because the credentials issued for it link to it.
    """
    try:
        version = catalogue.get_version(organisation=organisation, slug=slug, number=number)
    except NotFound:
        raise NotFound(
            gettext("No published version %(number)s of %(credential)s, so no QA report.")
            % {"number": number, "credential": f"{organisation}/{slug}"},
            field="version",
        ) from None
    review = _published_review(version)
    owner = version.microcredential.organisation
    return QAReport(
        url=report_url(version),
        title=version.title,
        organisation=owner.name,
        organisation_slug=owner.slug,
        slug=version.microcredential.slug,
        number=version.number,
        status=version.status,
        catalogue_url=catalogue.version_url(version),
        achievement_id=catalogue.achievement_id(version),
        reviewed=review is not None,
        attempt=review.attempt if review else None,
        submitted_on=_day(review.submitted_at) if review else None,
        approved_on=_day(review.decided_at) if review else None,
        published_on=_day(version.published_at),
        next_review=version.review_date,
        profiles=_profiles(review) if review else (),
        internal_review=_internal(review, owner) if review else None,
        external_review=(
            _external(review, review.external_agency) if review and review.external_agency else None
        ),
    )


def _published_review(version: Any) -> QAReview | None:
    """Return the review that let the version be published (None for versions published
    before reviews were recorded)."""
    return (
        QAReview.objects.filter(version=version, status__in=PASSED)
        .select_related("external_agency")
        .order_by("-attempt")
        .first()
    )


def _day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _profiles(review: QAReview) -> tuple[ProfileResult, ...]:
    """Return each profile checked (those required at submission, and the coherence rules that
    are always on) with every one of its rules: a row per finding where the rule found
    something, a passed row where it found nothing."""
    met = rules.profile_results(review.findings, review.profiles)
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for finding in review.findings:
        found[(finding.get("profile") or "", finding["rule_id"])].append(finding)
    results = []
    for profile_id in met:
        profile = rules.get_profile(profile_id)
        checks: list[CheckResult] = []
        for rule in profile.rules:
            hits = found.pop((profile_id, rule.id), [])
            checks += [_failed(finding) for finding in hits] or [
                CheckResult(
                    rule_id=rule.id,
                    profile=profile_id,
                    severity=str(rule.severity),
                    message=rule.message,
                    field=rule.field,
                    source=rule.source,
                    passed=True,
                )
            ]
        # A rule the profile has since dropped still belongs to what was checked then.
        dropped = [key for key in found if key[0] == profile_id]
        checks += [_failed(finding) for key in dropped for finding in found.pop(key)]
        results.append(
            ProfileResult(
                id=profile.id,
                name=profile.name,
                source=profile.source,
                met=met[profile.id],
                checks=tuple(checks),
            )
        )
    return tuple(results)


def _failed(finding: dict[str, Any]) -> CheckResult:
    return CheckResult(
        rule_id=finding["rule_id"],
        profile=finding.get("profile") or "",
        severity=finding["severity"],
        message=finding["message"],
        field=finding.get("field") or "",
        source=finding.get("source") or "",
        passed=False,
    )


def _checklist(items: list[dict[str, Any]]) -> tuple[ChecklistResult, ...]:
    return tuple(
        ChecklistResult(
            id=item["id"], text=item["text"], met=bool(item["met"]), note=item.get("note", "")
        )
        for item in items
    )


def _internal(review: QAReview, organisation: Organisation) -> HumanReview:
    return HumanReview(
        stage="internal",
        reviewer=f"A QA reviewer of {organisation.name}, not an author of this version",
        organisation=organisation.name,
        organisation_slug=organisation.slug,
        reviewed_on=_day(review.reviewed_at),
        decision="approved",
        note=review.decision_note,
        checklist=_checklist(review.checklist),
    )


def _external(review: QAReview, agency: Organisation) -> HumanReview:
    return HumanReview(
        stage="external",
        reviewer=f"A QA reviewer of {agency.name}, an external quality assurance agency",
        organisation=agency.name,
        organisation_slug=agency.slug,
        reviewed_on=_day(review.external_reviewed_at),
        decision="approved",
        note=review.external_note,
        checklist=_checklist(review.external_checklist),
    )


# -- the issuer's quality page ---------------------------------------------------------------


@dataclass(frozen=True)
class PublishedEntry:
    title: str
    catalogue_path: str
    report_path: str


@dataclass(frozen=True)
class IssuerQuality:
    """An organisation's quality promise, its vetting and the figures that test it."""

    organisation: Organisation
    qa_process: str
    accreditations: tuple[dict[str, Any], ...]
    vetted_on: date | None
    published: tuple[PublishedEntry, ...]
    first_submissions: int
    passed_first_time: int
    awards_issued: int
    pass_rate: float | None

    @property
    def pass_rate_percent(self) -> int | None:
        """The share of the learners' decided attempts that passed, in percent."""
        return None if self.pass_rate is None else round(100 * self.pass_rate)

    @property
    def first_time_percent(self) -> int | None:
        """The share of decided first submissions approved without changes, in percent."""
        if not self.first_submissions:
            return None
        return round(100 * self.passed_first_time / self.first_submissions)


def get_issuer_quality(organisation: Organisation) -> IssuerQuality:
    """Return what the issuer quality page shows of ``organisation``.

    The share passing on first submission counts each version whose first
    submission has been decided (returned, by the checks or a reviewer, or
    approved): approved first time over all of them.
    """
    quality = services.get_quality_settings(organisation)
    versions = catalogue.get_published_versions(organisation=organisation.slug)
    first = list(
        QAReview.objects.filter(
            version__microcredential__organisation=organisation, attempt=1, status__in=DECIDED
        ).values_list("status", flat=True)
    )
    return IssuerQuality(
        organisation=organisation,
        qa_process=quality.qa_process,
        accreditations=_accreditations(organisation, quality.accreditations),
        vetted_on=_day(quality.vetted_at),
        published=tuple(
            PublishedEntry(
                title=version.title,
                catalogue_path=reverse(
                    "catalogue:version",
                    kwargs={
                        "organisation": organisation.slug,
                        "slug": version.microcredential.slug,
                        "number": version.number,
                    },
                ),
                report_path=report_path(version),
            )
            for version in versions
        ),
        first_submissions=len(first),
        passed_first_time=sum(status in PASSED for status in first),
        # Counted through the relation: the awards app depends on this one, not the reverse.
        awards_issued=organisation.awards.count(),
        pass_rate=assessment.get_pass_rate(organisation),
    )


def _accreditations(
    organisation: Organisation, recorded: list[dict[str, Any]]
) -> tuple[dict[str, Any], ...]:
    """Return the accreditations on the organisation's profile and those recorded for its
    quality, each name once."""
    merged: dict[str, dict[str, Any]] = {}
    for item in [*organisation.accreditations, *recorded]:
        if isinstance(item, dict) and item.get("name"):
            merged.setdefault(item["name"], item)
    return tuple(merged.values())


# -- the plain-language summary --------------------------------------------------------------


@dataclass(frozen=True)
class QualitySummary:
    """Five answers an employer asks of a micro-credential, in plain words."""

    what: str
    assessed: str
    checked: str
    size: str
    level: str
    report_path: str | None

    def as_pairs(self) -> list[tuple[str, str]]:
        return [
            (gettext("What the holder had to do"), self.what),
            (gettext("How it was assessed"), self.assessed),
            (gettext("Who checked it"), self.checked),
            (gettext("How big it is"), self.size),
            (gettext("At what level"), self.level),
        ]


def get_quality_summary(version: Any) -> QualitySummary:
    """Return the plain-language quality summary of a version for its catalogue page."""
    public = version.status in catalogue.PUBLIC_STATUSES
    review = _published_review(version)
    return QualitySummary(
        what=_what(version),
        assessed=_assessed(version),
        checked=_checked(version, review),
        size=_size(version),
        level=_level(version.eqf_level),
        report_path=report_path(version) if public else None,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else f"{text}."


def _what(version: Any) -> str:
    return _sentence(version.criteria) or gettext("The issuer has not said what a holder must do.")


def _assessed(version: Any) -> str:
    parts = [_sentence(version.assessment_type)] if version.assessment_type.strip() else []
    rubric = catalogue.get_rubric(version)
    if rubric is not None:
        count = len(rubric.criteria.all())
        parts.append(
            ngettext(
                "The work is marked against %(count)s criterion, each with a minimum level "
                "to pass.",
                "The work is marked against %(count)s criteria, each with a minimum level to pass.",
                count,
            )
            % {"count": count}
        )
    parts.append(
        gettext("The assessment is supervised.")
        if version.supervised
        else gettext("The assessment is not supervised.")
    )
    if version.identity_verification.strip():
        parts.append(
            gettext("The holder's identity is checked: %(how)s")
            % {"how": _sentence(version.identity_verification)}
        )
    else:
        parts.append(gettext("The holder's identity is not checked."))
    return " ".join(parts)


def _checked(version: Any, review: QAReview | None) -> str:
    """Who checked the version, in sentences whose parts each translation may order itself."""
    organisation = version.microcredential.organisation
    if review is None:
        sentences = [gettext("It has not passed a quality review on this platform.")]
    else:
        frameworks = [
            rules.get_profile(profile_id).name
            for profile_id in review.profiles
            if profile_id != rules.COHERENCE
        ]
        against = (
            gettext(" against the %(frameworks)s") % {"frameworks": _and(frameworks)}
            if frameworks
            else ""
        )
        reviewed = (
            gettext(", on %(date)s") % {"date": _on(review.reviewed_at)}
            if review.reviewed_at
            else ""
        )
        sentences = [
            gettext(
                "Before publication it passed automatic checks%(against)s, including checks "
                "that its workload, credits, learning outcomes and assessment agree, and a "
                "review by a quality reviewer of %(organisation)s who did not write "
                "it%(reviewed)s."
            )
            % {"against": against, "organisation": organisation.name, "reviewed": reviewed}
        ]
        if review.external_agency is not None:
            external = (
                gettext(" on %(date)s") % {"date": _on(review.external_reviewed_at)}
                if review.external_reviewed_at
                else ""
            )
            sentences.append(
                gettext("%(agency)s, an independent quality agency, reviewed it too%(reviewed)s.")
                % {"agency": review.external_agency.name, "reviewed": external}
            )
    vetted = services.get_quality_settings(organisation).vetted_at
    if vetted is not None:
        sentences.append(
            gettext("The platform vetted %(organisation)s as an issuer on %(date)s.")
            % {"organisation": organisation.name, "date": _on(vetted)}
        )
    return " ".join(sentences)


def _on(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), pgettext("date format", "j F Y"))


def _and(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return gettext("%(first)s and %(last)s") % {
        "first": ", ".join(names[:-1]),
        "last": names[-1],
    }


def _size(version: Any) -> str:
    ects = next((c.value for c in version.credits.all() if c.system == "ECTS"), None)
    if version.workload_hours is not None:
        hours = format_amount(version.workload_hours)
        if ects is not None:
            return gettext("%(credits)s ECTS credits, %(hours)s hours of learning.") % {
                "credits": format_amount(ects),
                "hours": hours,
            }
        credits = format_amount(credits_for("ECTS", version.workload_hours))
    elif ects is not None:
        credits, hours = format_amount(ects), format_range(*hours_for("ECTS", ects))
    else:
        return gettext("The issuer has not stated how much learning it takes.")
    return gettext("About %(credits)s ECTS credits, %(hours)s hours of learning.") % {
        "credits": credits,
        "hours": hours,
    }


def _level(eqf_level: int | None) -> str:
    if eqf_level is None:
        return gettext("No level on the European Qualifications Framework is stated.")
    return gettext("EQF level %(level)s: %(description)s.") % {
        "level": eqf_level,
        "description": EQF_LEVELS[eqf_level],
    }
