"""Micro-credential specifications: designing them, publishing frozen versions, the catalogue.

``create_*``, ``update_*``, ``publish_*``, ``withdraw_*``, ``add_*`` and
``remove_*`` act: they authorise, validate, change and audit in one
transaction. ``access_*`` fetch and authorise; ``get_*`` only read. A
published version never changes again (every act on a version takes its row
lock and refuses with :class:`Conflict` unless it is a draft); changes make a
new version, so every award points at exactly what its learner achieved.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pycountry
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from microcred.accounts.services import User, UserOrAnonymous
from microcred.audit.services import record_event
from microcred.catalogue import gates, parts
from microcred.catalogue.achievement import (
    achievement_id,
    annex_elements,
    get_achievement,
    get_achievement_document,
    version_url,
)
from microcred.catalogue.fields import (
    EDITABLE_FIELDS,
    FIELDS_BY_NAME,
    MANDATORY_ELEMENTS,
    SPECIFICATION,
    check_together,
    clean_fields,
    missing_elements,
)
from microcred.catalogue.models import (
    CreditValue,
    LearningOutcome,
    MicroCredential,
    MicroCredentialVersion,
    ParticipationForm,
    Rubric,
    RubricCriterion,
    RubricLevel,
    SearchEntry,
    SkillAlignment,
    VersionStatus,
    content_language,
)
from microcred.catalogue.skills import get_skill, get_skill_index, import_esco, suggest_skills
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.frameworks.credits import (
    SYSTEMS,
    CreditFinding,
    check_credits,
    credits_for,
    format_amount,
    format_range,
)
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation, Role

__all__ = [
    "DESIGN_ROLES",
    "PUBLIC_STATUSES",
    "CatalogueChoices",
    "CatalogueResults",
    "ListedText",
    "MicroCredentialVersion",
    "ParticipationForm",
    "access_microcredential",
    "access_version",
    "achievement_id",
    "add_skill",
    "annex_elements",
    "can_design",
    "check_version_credits",
    "create_microcredential",
    "create_new_version",
    "ects_of",
    "get_achievement",
    "get_achievement_document",
    "get_catalogue_choices",
    "get_conversions",
    "get_credit_values",
    "get_details",
    "get_image",
    "get_listed_texts",
    "get_listed_versions",
    "get_microcredentials",
    "get_missing_elements",
    "get_outcomes",
    "get_published_versions",
    "get_rubric",
    "get_skill",
    "get_skill_index",
    "get_specification",
    "get_version",
    "get_version_by_achievement",
    "get_versions",
    "import_esco",
    "language_name",
    "list_for_profile",
    "lock_version",
    "publish_version",
    "remove_skill",
    "search_catalogue",
    "suggest_skills",
    "update_draft",
    "version_url",
    "withdraw_version",
]

DESIGN_ROLES = (Role.DESIGNER,)
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.WITHDRAWN)
_PARTS = ("outcomes", "credits", "rubric")


# -- designing -------------------------------------------------------------------------------


def create_microcredential(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    slug: str | None = None,
    **fields: Any,
) -> MicroCredentialVersion:
    """Create a micro-credential and its first draft version; return the draft.

    ``fields`` are any of the version's fields, plus ``outcomes``, ``credits``
    and ``rubric`` (as :func:`update_draft` takes them). The country defaults
    to the organisation's; the slug (unique in the organisation) to one made
    from the title.
    """
    organisations.access_organisation(actor, organisation.slug, roles=DESIGN_ROLES)
    fields = {"country": organisation.country, **fields, "title": title}
    with transaction.atomic():
        chosen = _slug(organisation, slug, title)
        microcredential = MicroCredential.objects.create(
            organisation=organisation, slug=chosen, created_by=_user(actor)
        )
        version = MicroCredentialVersion(
            microcredential=microcredential, number=1, created_by=_user(actor)
        )
        _apply(version, fields)
        record_event(
            actor=actor,
            action="microcredential.create",
            organisation=organisation,
            target=version,
            data={"microcredential": chosen, "version": 1},
        )
    return version


def _slug(organisation: Organisation, slug: str | None, title: str) -> str:
    taken = MicroCredential.objects.filter(organisation=organisation)
    if slug is not None:
        if not isinstance(slug, str) or slugify(slug) != slug or not slug:
            raise InvalidInput(
                gettext(
                    "slug must be lower-case letters, digits and hyphens, such as data-literacy."
                ),
                field="slug",
            )
        if taken.filter(slug=slug).exists():
            raise Conflict(
                gettext("%(organisation)s has a micro-credential %(slug)s already.")
                % {"organisation": organisation.name, "slug": repr(slug)},
                field="slug",
            )
        return slug
    base = slugify(title)[:70] or "micro-credential"
    candidate, number = base, 1
    while taken.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def update_draft(
    *, actor: User, version: MicroCredentialVersion, **fields: Any
) -> MicroCredentialVersion:
    """Change fields of a draft version and return it; a published one is refused, and so is
    one in quality review (:class:`Conflict` ``qa.in_review``).

    Besides the version's own fields (:data:`~microcred.catalogue.fields.EDITABLE_FIELDS`,
    ``image`` an uploaded PNG or SVG, or None to remove it), ``fields`` may
    carry ``outcomes`` (a list of texts or ``{"text", "skills": [{"uri"}]}``),
    ``credits`` (``{system: value}``) and ``rubric`` (see
    :func:`~microcred.catalogue.parts.clean_rubric`, or None), each replacing
    what the version had. Everything is checked before anything changes.
    """
    with transaction.atomic():
        draft = _draft_to_change(actor, version)
        _apply(draft, fields)
    return draft


def _apply(version: MicroCredentialVersion, fields: dict[str, Any]) -> None:
    """Check ``fields`` and store them on ``version`` (saved or not); the caller holds the lock."""
    own = {name: value for name, value in fields.items() if name not in (*_PARTS, "image")}
    cleaned = clean_fields(own)
    outcomes = parts.clean_outcomes(fields["outcomes"], get_skill) if "outcomes" in fields else None
    credits = parts.clean_credits(fields["credits"]) if "credits" in fields else None
    outcome_count = len(outcomes) if outcomes is not None else _outcome_count(version)
    rubric = (
        parts.clean_rubric(fields["rubric"], outcome_count=outcome_count)
        if "rubric" in fields
        else None
    )
    image = (
        FIELDS_BY_NAME["image"].clean(fields["image"]) if fields.get("image") is not None else None
    )
    for name, value in cleaned.items():
        setattr(version, name, value)
    check_together(version)
    if "image" in fields:
        if image is None:
            version.image = ""
        else:
            version.image.save(image.name, image, save=False)
    version.save()
    if outcomes is not None:
        _replace_outcomes(version, outcomes)
    if credits is not None:
        version.credits.all().delete()
        CreditValue.objects.bulk_create(
            CreditValue(version=version, system=system, value=value)
            for system, value in credits.items()
        )
    if "rubric" in fields:
        _replace_rubric(version, rubric)


def _outcome_count(version: MicroCredentialVersion) -> int:
    return version.outcomes.count() if version.pk else 0


def _replace_outcomes(version: MicroCredentialVersion, outcomes: list[parts.OutcomeInput]) -> None:
    """Replace the outcomes; rubric criteria keep their links to outcomes by number."""
    links = {
        criterion.pk: [outcome.position for outcome in criterion.outcomes.all()]
        for criterion in RubricCriterion.objects.filter(rubric__version=version)
    }
    version.outcomes.all().delete()
    created = []
    for position, outcome in enumerate(outcomes, start=1):
        row = LearningOutcome.objects.create(version=version, position=position, text=outcome.text)
        SkillAlignment.objects.bulk_create(
            SkillAlignment(outcome=row, framework=skill.framework, uri=skill.uri, label=skill.label)
            for skill in outcome.skills
        )
        created.append(row)
    for criterion in RubricCriterion.objects.filter(pk__in=links):
        criterion.outcomes.set(
            created[number - 1] for number in links[criterion.pk] if number <= len(created)
        )


def _replace_rubric(version: MicroCredentialVersion, rubric: parts.RubricInput | None) -> None:
    Rubric.objects.filter(version=version).delete()
    if rubric is None:
        return
    row = Rubric.objects.create(
        version=version, pass_rule=rubric.pass_rule, pass_points=rubric.pass_points
    )
    outcomes = {outcome.position: outcome for outcome in version.outcomes.all()}
    for position, criterion in enumerate(rubric.criteria, start=1):
        stored = RubricCriterion.objects.create(
            rubric=row, position=position, name=criterion.name, description=criterion.description
        )
        levels = {
            level.name: RubricLevel.objects.create(
                criterion=stored,
                position=number,
                name=level.name,
                description=level.description,
                points=level.points,
            )
            for number, level in enumerate(criterion.levels, start=1)
        }
        stored.outcomes.set(outcomes[number] for number in criterion.outcomes)
        if criterion.minimum_level is not None:
            stored.minimum_level = levels[criterion.minimum_level]
            stored.save(update_fields=["minimum_level"])


def add_skill(
    *,
    actor: User,
    version: MicroCredentialVersion,
    outcome: int,
    uri: str,
    label: str | None = None,
    framework: str = parts.ESCO,
) -> SkillAlignment:
    """Align learning outcome number ``outcome`` (1 is the first) of a draft to a skill."""
    with transaction.atomic():
        draft = _draft_to_change(actor, version)
        row = _outcome(draft, outcome)
        skill = parts.clean_skill(
            {"uri": uri, "label": label, "framework": framework}, "skill", get_skill
        )
        alignment, _ = SkillAlignment.objects.get_or_create(
            outcome=row,
            uri=skill.uri,
            defaults={"label": skill.label, "framework": skill.framework},
        )
    return alignment


def remove_skill(*, actor: User, version: MicroCredentialVersion, outcome: int, uri: str) -> None:
    """Remove a skill from learning outcome number ``outcome`` of a draft."""
    with transaction.atomic():
        draft = _draft_to_change(actor, version)
        deleted, _ = _outcome(draft, outcome).alignments.filter(uri=uri).delete()
        if not deleted:
            raise NotFound(
                gettext("Outcome %(number)s is not aligned to %(uri)s.")
                % {"number": outcome, "uri": uri},
                field="uri",
            )


def _outcome(version: MicroCredentialVersion, number: Any) -> LearningOutcome:
    try:
        return version.outcomes.get(position=int(number))
    except (TypeError, ValueError, LearningOutcome.DoesNotExist):
        raise NotFound(
            f"Version {version.number} has no learning outcome {number}.", field="outcome"
        ) from None


# -- the life of a version -------------------------------------------------------------------


def publish_version(
    *, actor: User, version: MicroCredentialVersion, now: datetime | None = None
) -> MicroCredentialVersion:
    """Publish a draft and freeze it, if it carries every mandatory Annex I element and
    passed quality assurance.

    Otherwise raise :class:`InvalidInput` (code ``version.incomplete``) whose
    ``data["missing"]`` lists each missing element with its field name, or
    :class:`Conflict` from a registered gate (quality assurance:
    ``qa.not_approved``, ``qa.changed_since_review``, ``organisation.not_vetted``).
    """
    with transaction.atomic():
        draft = _draft_for_update(actor, version)
        if missing := get_missing_elements(draft):
            raise InvalidInput(
                gettext("Version %(number)s cannot be published yet; it lacks: %(missing)s.")
                % {
                    "number": draft.number,
                    "missing": "; ".join(
                        f"{item['element']} ({item['field']})" for item in missing
                    ),
                },
                code="version.incomplete",
                field=missing[0]["field"],
                data={"missing": missing},
            )
        gates.check_publishable(draft)
        draft.status = VersionStatus.PUBLISHED
        draft.published_at = now or timezone.now()
        draft.search_document = search_document(draft)
        draft.save(update_fields=["status", "published_at", "search_document", "updated_at"])
        _write_search_vector(draft)
        _relist(draft.microcredential)
        gates.mark_published(draft, now=draft.published_at)
        _forget_catalogue_choices()
        record_event(
            actor=actor,
            action="version.publish",
            organisation=draft.microcredential.organisation,
            target=draft,
            data=_event_data(draft),
        )
    return draft


def withdraw_version(
    *, actor: User, version: MicroCredentialVersion, reason: str = ""
) -> MicroCredentialVersion:
    """Withdraw a published version from the catalogue; its achievement stays readable."""
    with transaction.atomic():
        locked = lock_version(actor, version)
        if locked.status != VersionStatus.PUBLISHED:
            raise Conflict(
                gettext(
                    "Version %(number)s is %(status)s; only a published version can be withdrawn."
                )
                % {"number": locked.number, "status": _status_words(locked.status)},
                code="version.not_published",
                field="status",
            )
        locked.status = VersionStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        _relist(locked.microcredential)
        _forget_catalogue_choices()
        record_event(
            actor=actor,
            action="version.withdraw",
            organisation=locked.microcredential.organisation,
            target=locked,
            data={**_event_data(locked), "reason": str(reason)[:500]},
        )
    return locked


def create_new_version(*, actor: User, microcredential: MicroCredential) -> MicroCredentialVersion:
    """Copy the latest version into a new draft (the next number) and return it.

    Refused with :class:`Conflict` while a draft exists: edit that one.
    """
    organisations.access_organisation(actor, microcredential.organisation.slug, roles=DESIGN_ROLES)
    with transaction.atomic():
        locked = MicroCredential.objects.select_for_update().get(pk=microcredential.pk)
        draft = locked.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise Conflict(
                gettext("Version %(number)s is still a draft: edit it instead.")
                % {"number": draft.number},
                code="version.draft_exists",
                data={"version": draft.number},
            )
        latest = locked.versions.latest("number")
        copy = MicroCredentialVersion(
            microcredential=locked,
            number=latest.number + 1,
            created_by=_user(actor),
            **{name: getattr(latest, name) for name in EDITABLE_FIELDS},
        )
        copy.save()
        _copy_parts(latest, copy)
        record_event(
            actor=actor,
            action="version.create",
            organisation=locked.organisation,
            target=copy,
            data={**_event_data(copy), "copied_from": latest.number},
        )
    return copy


def _copy_parts(source: MicroCredentialVersion, target: MicroCredentialVersion) -> None:
    outcomes = {}
    for outcome in source.outcomes.prefetch_related("alignments"):
        outcomes[outcome.pk] = LearningOutcome.objects.create(
            version=target, position=outcome.position, text=outcome.text
        )
        SkillAlignment.objects.bulk_create(
            SkillAlignment(
                outcome=outcomes[outcome.pk],
                framework=item.framework,
                uri=item.uri,
                label=item.label,
            )
            for item in outcome.alignments.all()
        )
    CreditValue.objects.bulk_create(
        CreditValue(version=target, system=credit.system, value=credit.value)
        for credit in source.credits.all()
    )
    rubric = Rubric.objects.filter(version=source).first()
    if rubric is None:
        return
    copy = Rubric.objects.create(
        version=target, pass_rule=rubric.pass_rule, pass_points=rubric.pass_points
    )
    for criterion in rubric.criteria.prefetch_related("levels", "outcomes"):
        stored = RubricCriterion.objects.create(
            rubric=copy,
            position=criterion.position,
            name=criterion.name,
            description=criterion.description,
        )
        levels = {
            level.pk: RubricLevel.objects.create(
                criterion=stored,
                position=level.position,
                name=level.name,
                description=level.description,
                points=level.points,
            )
            for level in criterion.levels.all()
        }
        stored.outcomes.set(outcomes[outcome.pk] for outcome in criterion.outcomes.all())
        if criterion.minimum_level_id in levels:
            stored.minimum_level = levels[criterion.minimum_level_id]
            stored.save(update_fields=["minimum_level"])


def _event_data(version: MicroCredentialVersion) -> dict[str, Any]:
    return {
        "microcredential": version.microcredential.slug,
        "version": version.number,
        "achievement": str(version.achievement_uuid),
    }


def lock_version(
    actor: User, version: MicroCredentialVersion, *, roles: Iterable[str] = DESIGN_ROLES
) -> MicroCredentialVersion:
    """Return the version's row locked until the transaction ends, if ``actor`` holds one of
    ``roles`` (designer by default) in its organisation."""
    locked = (
        MicroCredentialVersion.objects.select_for_update()
        .select_related("microcredential__organisation")
        .get(pk=version.pk)
    )
    organisations.access_organisation(actor, locked.microcredential.organisation.slug, roles=roles)
    return locked


def _draft_for_update(actor: User, version: MicroCredentialVersion) -> MicroCredentialVersion:
    locked = lock_version(actor, version)
    if locked.status != VersionStatus.DRAFT:
        raise Conflict(
            gettext(
                "Version %(number)s of %(title)s is %(status)s and cannot change; create a new "
                "version to make changes."
            )
            % {
                "number": locked.number,
                "title": repr(locked.title),
                "status": _status_words(locked.status),
            },
            code="version.frozen",
            field="status",
            data={"status": locked.status, "version": locked.number},
        )
    return locked


def _status_words(status: str) -> str:
    """A version's status as the words that follow "is" in a sentence."""
    words = {
        VersionStatus.DRAFT: gettext("a draft"),
        VersionStatus.PUBLISHED: gettext("published"),
        VersionStatus.WITHDRAWN: gettext("withdrawn"),
    }
    return words.get(VersionStatus(status), status)


def _draft_to_change(actor: User, version: MicroCredentialVersion) -> MicroCredentialVersion:
    """Return the locked draft if it may change now: not while it is in quality review."""
    draft = _draft_for_update(actor, version)
    gates.check_editable(draft)
    return draft


def _user(actor: User) -> User | None:
    return actor if getattr(actor, "pk", None) else None


# -- reading ---------------------------------------------------------------------------------


def _versions() -> QuerySet[MicroCredentialVersion]:
    return MicroCredentialVersion.objects.select_related("microcredential__organisation")


# What a published version's search_vector holds on PostgreSQL: its title (weight A), then
# its search document (weight B). Its search entry (SearchEntry) holds a copy, GIN-indexed.
SEARCH_VECTOR_SQL = (
    "(setweight(to_tsvector('simple'::regconfig, title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_document), 'B'))"
)
SEARCH_WORD = re.compile(r"\w+")
SEARCH_MAX_WORDS = 16
# A search with a limit ranks at most this many matches, the first by title (twice the
# catalogue's page): see _full_text_search.
SEARCH_RANKED_AT_MOST = 200


def search_document(version: MicroCredentialVersion) -> str:
    """Return what the catalogue searches in a version besides its title.

    Its description, field of study, tags, learning outcomes and the awarding
    organisation's name: all that makes "every word somewhere" true.
    """
    return search_text(
        description=version.description,
        field_of_study=version.field_of_study,
        tags=version.tags,
        outcomes=[outcome.text for outcome in version.outcomes.order_by("position")],
        organisation_name=version.microcredential.organisation.name,
    )


def search_text(
    *,
    description: str,
    field_of_study: str,
    tags: list[str],
    outcomes: list[str],
    organisation_name: str,
) -> str:
    """Return a search document from its parts (for rows written in bulk, too)."""
    parts = [
        description,
        field_of_study,
        " ".join(str(tag) for tag in tags),
        " ".join(outcomes),
        organisation_name,
    ]
    return "\n".join(part for part in parts if part)


def _write_search_vector(version: MicroCredentialVersion) -> None:
    """Store the version's indexed tsvector, on PostgreSQL (elsewhere nothing reads it)."""
    if connection.vendor == "postgresql":
        MicroCredentialVersion.objects.filter(pk=version.pk).update(
            search_vector=RawSQL(SEARCH_VECTOR_SQL, ())
        )


def _relist(microcredential: MicroCredential) -> None:
    """Make the micro-credential's search entry that of the version the catalogue lists.

    The catalogue lists its latest published version: publishing lists the new
    one, and withdrawing it lists the one before again if that is still
    published (or none). The entry takes the version's stored tsvector. The
    micro-credential's row lock makes two versions changing at once relist in
    turn, the second seeing the first's version, so one entry is left.
    """
    MicroCredential.objects.select_for_update().get(pk=microcredential.pk)
    SearchEntry.objects.filter(version__microcredential=microcredential).delete()
    listed = (
        microcredential.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    )
    if listed is None:
        return
    SearchEntry.objects.create(
        version=listed,
        organisation_id=microcredential.organisation_id,
        eqf_level=listed.eqf_level,
        title=listed.title,
        languages=word_lines(listed.languages),
        tags=word_lines(listed.tags),
        ects=ects_of(listed),
    )
    SearchEntry.objects.filter(pk=listed.pk).update(
        vector=Subquery(
            MicroCredentialVersion.objects.filter(pk=OuterRef("pk")).values("search_vector")
        )
    )


def word_lines(words: Iterable[str]) -> str:
    """Return language codes or tags as a search entry holds them: lower-cased, each on a line
    of its own, so that ``contains=word_line(word)`` finds one whole, on every database."""
    return "\n" + "".join(word_line(word)[1:] for word in words)


def word_line(word: str) -> str:
    """Return one language code or tag as :func:`word_lines` writes it, to look it up."""
    return "\n" + " ".join(str(word).lower().splitlines()) + "\n"


def search_words(q: str) -> list[str]:
    """Return the words of a search, lower-cased: letters and digits only, at most 16.

    Operators and quotes a visitor types are not words, so they never reach
    PostgreSQL's query syntax.
    """
    return SEARCH_WORD.findall(q.lower())[:SEARCH_MAX_WORDS]


def _full_text_search(words: list[str], filters: Filters, *, limit: int | None) -> list[int]:
    """Return the ids of the listed versions that have every word (as a word or a word's
    start), best first.

    PostgreSQL answers from the GIN index of the narrow search entries, so
    testing a match reads no wide version row; a word in the title ranks
    above one in the text. With a ``limit``, only the first
    :data:`SEARCH_RANKED_AT_MOST` matches in title order (read from the
    entries' title index) are ranked, and the matches after them follow in
    title order: a search of fewer matches is ranked whole, while a broad or
    half-typed one ("a", "use"), which matches a third of a large catalogue,
    costs no more than a page of matches, instead of ranking tens of
    thousands of versions for a first page.
    """
    query = _search_query(words)
    found = _full_text_matches(query, filters)
    by_title: list[int] = []
    if limit is not None:
        by_title = list(
            found.order_by("title", "pk").values_list("pk", flat=True)[
                : max(limit, SEARCH_RANKED_AT_MOST)
            ]
        )
        found = SearchEntry.objects.filter(pk__in=by_title[:SEARCH_RANKED_AT_MOST])
    ranked = found.annotate(search_rank=SearchRank(F("vector"), query)).order_by(
        "-search_rank", "title", "pk"
    )
    # Past the ranked matches the order is the title's, so every page of a broad search
    # continues the one before, whichever page is asked for first.
    return [*ranked.values_list("pk", flat=True), *by_title[SEARCH_RANKED_AT_MOST:]][:limit]


def _search_query(words: list[str]) -> SearchQuery:
    return SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )


def _full_text_matches(query: SearchQuery, filters: Filters) -> QuerySet[SearchEntry]:
    return SearchEntry.objects.filter(filters.on_entries(), vector=query)


def _result_ids(searched: str, filters: Filters, *, limit: int | None) -> list[int]:
    """Return the ids of the listed versions a search finds, in the catalogue's order: best
    first for full-text search, by title otherwise (read from the narrow search entries
    without words)."""
    if searched and connection.vendor == "postgresql":
        words = search_words(searched)
        return _full_text_search(words, filters, limit=limit) if words else []
    found: QuerySet[Any] = (
        _listed(searched, filters) if searched else SearchEntry.objects.filter(filters.on_entries())
    )
    return list(found.order_by("title", "pk").values_list("pk", flat=True)[:limit])


def _ranked_versions(
    words: list[str], filters: Filters, *, limit: int | None
) -> list[MicroCredentialVersion]:
    """Return the listed versions a full-text search finds, best first: only they are read."""
    if not words:
        return []
    return _in_order(_for_listing(_versions()), _full_text_search(words, filters, limit=limit))


def _in_order(
    versions: QuerySet[MicroCredentialVersion], ids: list[int]
) -> list[MicroCredentialVersion]:
    found = versions.in_bulk(ids)
    # A version withdrawn between the two reads is left out.
    return [found[pk] for pk in ids if pk in found]


def _for_listing(
    versions: QuerySet[MicroCredentialVersion],
) -> QuerySet[MicroCredentialVersion]:
    """Read what the catalogue shows: the search columns are read by the database only
    (carrying them would widen every row), the credits for :func:`ects_of`."""
    return versions.defer("search_document", "search_vector").prefetch_related("credits")


def _substring_search(
    versions: QuerySet[MicroCredentialVersion], words: list[str]
) -> QuerySet[MicroCredentialVersion]:
    """Keep the versions where every word appears somewhere, by title (databases without
    full-text search, such as the demo's SQLite)."""
    for word in words:
        versions = versions.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(outcomes__text__icontains=word)
            | Q(tags__icontains=word)
            | Q(field_of_study__icontains=word)
            | Q(microcredential__organisation__name__icontains=word)
        )
    return versions.distinct().order_by("title", "pk")


def get_published_versions(
    *,
    q: str = "",
    organisation: str = "",
    eqf_level: int | None = None,
    credits_min: Decimal | float | None = None,
    credits_max: Decimal | float | None = None,
    language: str = "",
    tag: str = "",
    limit: int | None = None,
) -> list[MicroCredentialVersion]:
    """Return the catalogue: the latest published version of each micro-credential.

    ``q`` matches words in the title, description, outcomes, tags, field of
    study and organisation name (every word somewhere): on PostgreSQL by
    full-text search, best matches first (a word may be the start of a
    longer one), elsewhere as substrings, by title. Without ``q`` the order is
    by title. The credit range is in ECTS (the stated ECTS value, or the
    workload converted at 27.5 hours per credit). ``limit`` keeps the first
    results only.
    """
    filters = Filters(organisation, eqf_level, language, tag, credits_min, credits_max)
    searched = (q or "").strip()
    if searched and connection.vendor == "postgresql":
        return _ranked_versions(search_words(q), filters, limit=limit)
    return _listed_versions(searched, filters, limit=limit)


@dataclass(frozen=True)
class Filters:
    """The catalogue's filters, applied by the database to the narrow search entries."""

    organisation: str = ""
    eqf_level: int | None = None
    language: str = ""
    tag: str = ""
    credits_min: Decimal | float | None = None
    credits_max: Decimal | float | None = None

    def on_entries(self, path: str = "") -> Q:
        """Return the filters as a condition on search entries; ``path`` leads to them from
        another model (``search_entry__`` from a version)."""
        conditions: dict[str, Any] = {}
        if self.organisation:
            conditions["organisation__slug"] = self.organisation
        if self.eqf_level is not None:
            conditions["eqf_level"] = self.eqf_level
        if self.language:
            conditions["languages__contains"] = word_line(self.language)
        if self.tag:
            conditions["tags__contains"] = word_line(self.tag)
        if self.credits_min is not None:
            conditions["ects__gte"] = float(self.credits_min)
        if self.credits_max is not None:
            conditions["ects__lte"] = float(self.credits_max)
        return Q(**{path + name: value for name, value in conditions.items()})


# What lists of the catalogue show of a version (its page and its API): read alone, they keep
# a page of results from carrying the versions' long texts.
LISTED_FIELDS = (
    "number",
    "title",
    "awarding_body",
    "description",
    "workload_hours",
    "eqf_level",
    "languages",
    "tags",
    "achievement_uuid",
    "microcredential__slug",
    "microcredential__organisation__slug",
    "microcredential__organisation__name",
)


@dataclass(frozen=True)
class CatalogueResults:
    """One page of what a catalogue search finds."""

    # The page's versions, in the catalogue's order, read with LISTED_FIELDS only.
    versions: list[MicroCredentialVersion]
    # How many results come before the page.
    offset: int
    # Whether results follow the page.
    more: bool
    # How many results there are in all, when it was asked for.
    count: int | None = None


def search_catalogue(
    *,
    offset: int = 0,
    limit: int,
    count: bool = False,
    with_credits: bool = False,
    q: str = "",
    organisation: str = "",
    eqf_level: int | None = None,
    credits_min: Decimal | float | None = None,
    credits_max: Decimal | float | None = None,
    language: str = "",
    tag: str = "",
) -> CatalogueResults:
    """Return ``limit`` results of a catalogue search from ``offset`` on (public).

    The filters and the order are those of :func:`get_published_versions`, applied
    by the database to the narrow search entries. Only the page's versions are
    read, and only what lists show of them. Counting every result (``count``) and
    reading the versions' credits (``with_credits``, for :func:`ects_of`) are
    queries of their own, which pages leave out.
    """
    filters = Filters(organisation, eqf_level, language, tag, credits_min, credits_max)
    searched = (q or "").strip()
    # One more than the page tells whether results follow.
    ids = _result_ids(searched, filters, limit=offset + limit + 1)[offset:]
    listed = _versions().only(*LISTED_FIELDS)
    if with_credits:
        listed = listed.prefetch_related("credits")
    return CatalogueResults(
        versions=_in_order(listed, ids[:limit]),
        offset=offset,
        more=len(ids) > limit,
        count=_count_results(searched, filters) if count else None,
    )


def _count_results(searched: str, filters: Filters) -> int:
    if searched and connection.vendor == "postgresql":
        words = search_words(searched)
        return _full_text_matches(_search_query(words), filters).count() if words else 0
    if searched:
        return _listed(searched, filters).count()
    return SearchEntry.objects.filter(filters.on_entries()).count()


def _listed_versions(
    searched: str, filters: Filters, *, limit: int | None
) -> list[MicroCredentialVersion]:
    """Return the listed versions by title: all of them, or those with every word of
    ``searched`` as a substring (databases without full-text search, such as the demo's)."""
    return list(_for_listing(_listed(searched, filters))[:limit])


def _listed(searched: str, filters: Filters) -> QuerySet[MicroCredentialVersion]:
    versions = _latest_published().filter(filters.on_entries("search_entry__"))
    if searched:
        return _substring_search(versions, searched.split())
    return versions.order_by("title", "pk")


def _latest_published() -> QuerySet[MicroCredentialVersion]:
    """Return the catalogue's versions: the latest published one of each micro-credential."""
    newer = MicroCredentialVersion.objects.filter(
        microcredential=OuterRef("microcredential"),
        status=VersionStatus.PUBLISHED,
        number__gt=OuterRef("number"),
    )
    return _versions().filter(status=VersionStatus.PUBLISHED).exclude(Exists(newer))


@dataclass(frozen=True)
class ListedText:
    """What a listed version says, for comparing the catalogue's offers with each other."""

    organisation: str
    organisation_name: str
    slug: str
    title: str
    # The language its designers wrote it in (models.content_language).
    language: str
    outcomes: tuple[str, ...]


def get_listed_texts() -> list[ListedText]:
    """Return the title and learning outcomes of every version the catalogue lists, by title.

    Read as plain values in two queries: a national catalogue lists hundreds of thousands
    of versions, which read as objects with their outcomes prefetched took seconds more
    than comparing them.
    """
    outcomes: dict[int, list[str]] = defaultdict(list)
    for version_id, text in (
        LearningOutcome.objects.filter(version__status=VersionStatus.PUBLISHED)
        .order_by("version_id", "position")
        .values_list("version_id", "text")
    ):
        outcomes[version_id].append(text)
    return [
        ListedText(
            organisation,
            organisation_name,
            slug,
            title,
            content_language(languages),
            tuple(outcomes[version_id]),
        )
        for version_id, organisation, organisation_name, slug, title, languages in (
            _latest_published()
            .order_by("title", "pk")
            .values_list(
                "pk",
                "microcredential__organisation__slug",
                "microcredential__organisation__name",
                "microcredential__slug",
                "title",
                "languages",
            )
        )
    ]


@dataclass(frozen=True)
class CatalogueChoices:
    """What the catalogue's filters offer: only what some listed version has."""

    # (slug, name) of each organisation with a published micro-credential, by name.
    organisations: list[tuple[str, str]]
    # (code, name) of each language a listed version is taught in, by name.
    languages: list[tuple[str, str]]


# The choices read the whole catalogue (some 300 ms at 100,000 versions) and change only when a
# version is published or withdrawn: each process keeps them a minute, and forgets them at once
# when it publishes or withdraws one itself.
CATALOGUE_CHOICES_KEY = "catalogue.choices"
CATALOGUE_CHOICES_SECONDS = 60


def _forget_catalogue_choices() -> None:
    cache.delete(CATALOGUE_CHOICES_KEY)
    # A page read between this change and its commit may cache the old choices again.
    transaction.on_commit(lambda: cache.delete(CATALOGUE_CHOICES_KEY))


def get_catalogue_choices() -> CatalogueChoices:
    """Return the organisations and languages the catalogue's filters offer (public)."""
    choices = cache.get(CATALOGUE_CHOICES_KEY)
    if choices is None:
        choices = _read_catalogue_choices()
        cache.set(CATALOGUE_CHOICES_KEY, choices, CATALOGUE_CHOICES_SECONDS)
    return choices


def _read_catalogue_choices() -> CatalogueChoices:
    listed = _latest_published()
    organisations = list(
        listed.order_by("microcredential__organisation__name")
        .values_list("microcredential__organisation__slug", "microcredential__organisation__name")
        .distinct()
    )
    codes = {
        code
        for languages in listed.order_by().values_list("languages", flat=True).distinct()
        for code in languages or []
    }
    languages = sorted(((code, language_name(code)) for code in codes), key=lambda pair: pair[1])
    return CatalogueChoices(organisations=organisations, languages=languages)


def list_for_profile(organisation: Organisation) -> list[organisations.ProfileEntry]:
    """Return the organisation's micro-credentials in the catalogue, for its public page:
    each by title, with its level, workload and languages."""
    entries = []
    for version in get_published_versions(organisation=organisation.slug):
        details = [
            f"EQF level {version.eqf_level}" if version.eqf_level else "",
            f"{version.workload_hours.normalize():f} hours" if version.workload_hours else "",
            ", ".join(language_name(code) for code in version.languages),
        ]
        entries.append(
            organisations.ProfileEntry(
                title=version.title,
                url=reverse(
                    "catalogue:detail", args=[organisation.slug, version.microcredential.slug]
                ),
                details=" · ".join(detail for detail in details if detail),
            )
        )
    return entries


def language_name(code: str) -> str:
    """Return the English name of a BCP 47 language tag (``de`` → German, ``en-IE`` → English
    (en-IE)); the tag itself when ISO 639 does not know its language."""
    primary = code.split("-")[0].lower()
    found = pycountry.languages.get(**{"alpha_2" if len(primary) == 2 else "alpha_3": primary})
    if found is None:
        return code
    return found.name if code.lower() == primary else f"{found.name} ({code})"


def ects_of(version: MicroCredentialVersion) -> float | None:
    """Return the version's ECTS credits: stated, or converted from the workload."""
    for credit in version.credits.all():
        if credit.system == "ECTS":
            return float(credit.value)
    if version.workload_hours is None:
        return None
    return credits_for("ECTS", version.workload_hours)


def get_version(
    *, organisation: str, slug: str, number: int | None = None
) -> MicroCredentialVersion:
    """Return a public version: the latest published one, or version ``number`` if it was
    published (a withdrawn one too, so links keep working). Drafts are not public."""
    versions = _versions().filter(
        microcredential__organisation__slug=organisation, microcredential__slug=slug
    )
    if number is None:
        version = versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    else:
        version = versions.filter(status__in=PUBLIC_STATUSES, number=number).first()
    if version is None:
        which = f"version {number} of " if number is not None else ""
        raise NotFound(f"No published {which}micro-credential {organisation}/{slug}.")
    return version


def get_listed_versions(ids: Iterable[int]) -> dict[int, MicroCredentialVersion]:
    """Return, by id, those of the versions ``ids`` that the catalogue lists (the latest
    published version of each micro-credential); ids of other versions are left out."""
    found = _versions().filter(pk__in=set(ids), search_entry__isnull=False)
    return {version.pk: version for version in found}


def get_version_by_achievement(achievement_uuid: uuid.UUID | str) -> MicroCredentialVersion:
    """Return the public version whose Achievement has this UUID."""
    try:
        key = uuid.UUID(str(achievement_uuid))
        return _versions().get(achievement_uuid=key, status__in=PUBLIC_STATUSES)
    except (ValueError, MicroCredentialVersion.DoesNotExist):
        raise NotFound(
            f"No published achievement {achievement_uuid}.", field="achievement"
        ) from None


def access_microcredential(
    actor: User, organisation: str, slug: str, *, roles: Iterable[str] = ()
) -> MicroCredential:
    """Return an organisation's micro-credential for a member holding one of ``roles``."""
    owner = organisations.access_organisation(actor, organisation, roles=roles)
    try:
        return MicroCredential.objects.select_related("organisation").get(
            organisation=owner, slug=slug
        )
    except MicroCredential.DoesNotExist:
        raise NotFound(f"{owner.name} has no micro-credential {slug!r}.", field="slug") from None


def access_version(
    actor: User, organisation: str, slug: str, number: int, *, roles: Iterable[str] = ()
) -> MicroCredentialVersion:
    """Return any version (drafts too) of an organisation's micro-credential, for its members."""
    microcredential = access_microcredential(actor, organisation, slug, roles=roles)
    try:
        return _versions().get(microcredential=microcredential, number=number)
    except (ValueError, MicroCredentialVersion.DoesNotExist):
        raise NotFound(
            f"{microcredential.slug} has no version {number}.", field="version"
        ) from None


@dataclass(frozen=True)
class CatalogueEntry:
    """A micro-credential in its organisation's list: its latest and its published version."""

    microcredential: MicroCredential
    latest: MicroCredentialVersion
    published: MicroCredentialVersion | None


def get_microcredentials(organisation: Organisation) -> list[CatalogueEntry]:
    entries = []
    for microcredential in MicroCredential.objects.filter(
        organisation=organisation
    ).prefetch_related(
        Prefetch("versions", queryset=MicroCredentialVersion.objects.order_by("-number"))
    ):
        versions = list(microcredential.versions.all())
        published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
        entries.append(CatalogueEntry(microcredential, versions[0], published))
    return sorted(entries, key=lambda entry: entry.latest.title.lower())


def get_versions(microcredential: MicroCredential) -> list[MicroCredentialVersion]:
    return list(microcredential.versions.order_by("number"))


def get_outcomes(version: MicroCredentialVersion) -> list[LearningOutcome]:
    return list(version.outcomes.prefetch_related("alignments").order_by("position"))


def get_rubric(version: MicroCredentialVersion) -> Rubric | None:
    return (
        Rubric.objects.filter(version=version)
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=RubricCriterion.objects.prefetch_related(
                    "levels", "outcomes"
                ).select_related("minimum_level"),
            )
        )
        .first()
    )


@dataclass(frozen=True)
class CreditRow:
    """A stated credit value and the hours it stands for."""

    system: str
    name: str
    value: Decimal
    hours_low: float
    hours_high: float

    @property
    def label(self) -> str:
        """The system's name with a capital, in the language of the page that shows it."""
        return SYSTEMS[self.system].label

    @property
    def value_text(self) -> str:
        return format_amount(self.value)

    @property
    def hours_text(self) -> str:
        return format_range(self.hours_low, self.hours_high)


def get_credit_values(version: MicroCredentialVersion) -> list[CreditRow]:
    rows = []
    for credit in sorted(version.credits.all(), key=lambda item: list(SYSTEMS).index(item.system)):
        system = SYSTEMS[credit.system]
        rows.append(
            CreditRow(
                credit.system,
                system.name,
                credit.value,
                float(credit.value) * system.hours_low,
                float(credit.value) * system.hours_high,
            )
        )
    return rows


@dataclass(frozen=True)
class Conversion:
    """What the workload is worth in one credit system."""

    system: str
    name: str
    low: float
    high: float

    @property
    def label(self) -> str:
        """The system's name with a capital, in the language of the page that shows it."""
        return SYSTEMS[self.system].label

    @property
    def text(self) -> str:
        return format_range(self.low, self.high)


def get_conversions(version: MicroCredentialVersion) -> list[Conversion]:
    """Return the workload in every credit system (none while the workload is unknown)."""
    if version.workload_hours is None:
        return []
    hours = float(version.workload_hours)
    return [
        Conversion(code, system.name, hours / system.hours_high, hours / system.hours_low)
        for code, system in SYSTEMS.items()
    ]


def check_version_credits(version: MicroCredentialVersion) -> list[CreditFinding]:
    """Return the stated credit values that disagree with the workload."""
    if version.workload_hours is None:
        return []
    return check_credits(
        version.workload_hours, {credit.system: credit.value for credit in version.credits.all()}
    )


def get_missing_elements(version: MicroCredentialVersion) -> list[dict[str, str]]:
    """Return the mandatory Annex I elements a version still lacks, as ``{"field", "element"}``."""
    names = dict(MANDATORY_ELEMENTS)
    return [
        {"field": field, "element": gettext(names[field])}
        for field in missing_elements(version, outcome_count=version.outcomes.count())
    ]


def can_design(user: UserOrAnonymous, organisation: Organisation) -> bool:
    """Whether to offer ``user`` the design actions; the acts check again when used."""
    if not isinstance(user, User):  # the anonymous visitor designs nothing
        return False
    try:
        organisations.access_organisation(user, organisation.slug, roles=DESIGN_ROLES)
    except (NotFound, Forbidden):
        return False
    return True


def get_details(version: MicroCredentialVersion) -> list[tuple[str, str]]:
    """Return the version's listed fields (see :class:`~microcred.catalogue.fields.SpecField`)
    as ``(label, value in words)`` for its page, leaving out those empty and unsaid."""
    shown = [
        (str(field.label), field.display(getattr(version, field.name)))
        for field in SPECIFICATION
        if field.listed
    ]
    return [(label, words) for label, words in shown if words]


def get_specification(version: MicroCredentialVersion) -> dict[str, Any]:
    """Return what a version states as plain JSON data, the input of the quality checks.

    The keys are the names of the fields declared in
    :data:`~microcred.catalogue.fields.SPECIFICATION` (``image`` says whether
    there is one), ``number`` and ``status``, plus ``outcomes`` (``[{"text",
    "skills": [{"uri", "label"}]}]``), ``credits`` (``{system: value}``),
    ``rubric`` (``{"pass_rule", "pass_points", "criteria": [{"name",
    "outcomes": [1-based numbers], "levels": [{"name", "points", "description"}]}]}`` or
    None)
    and ``organisation`` (``{"name", "type", "country"}``). Numbers are floats
    and dates ISO 8601 strings, so the same checks read a specification file.
    """
    organisation = version.microcredential.organisation
    spec: dict[str, Any] = {
        field.name: field.plain(getattr(version, field.name)) for field in SPECIFICATION
    }
    rubric = get_rubric(version)
    spec.update(
        {
            "number": version.number,
            "status": version.status,
            "awarding_body": version.awarding_body or organisation.name,
            "outcomes": [
                {
                    "text": outcome.text,
                    "skills": [
                        {"uri": item.uri, "label": item.label} for item in outcome.alignments.all()
                    ],
                }
                for outcome in get_outcomes(version)
            ],
            "credits": {credit.system: float(credit.value) for credit in version.credits.all()},
            "rubric": None
            if rubric is None
            else {
                "pass_rule": rubric.pass_rule,
                "pass_points": rubric.pass_points,
                "criteria": [
                    {
                        "name": criterion.name,
                        "outcomes": sorted(o.position for o in criterion.outcomes.all()),
                        "levels": [
                            {
                                "name": level.name,
                                "points": level.points,
                                "description": level.description,
                            }
                            for level in criterion.levels.all()
                        ],
                    }
                    for criterion in rubric.criteria.all()
                ],
            },
            "organisation": {
                "name": organisation.name,
                "type": organisation.type,
                "country": organisation.country,
            },
        }
    )
    return spec


def get_image(version: MicroCredentialVersion) -> File | None:
    """Return the badge image file of a version, or None."""
    return version.image if version.image else None
