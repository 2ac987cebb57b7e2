"""API routes of pathways: read them (public), define and publish them (designers), follow a
learner's progress and request the stacked credential (the learner or a registrar)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.accounts.services import User, find_user
from microcred.catalogue import services as catalogue
from microcred.errors import InvalidInput, NotFound
from microcred.organisations import services as organisations
from microcred.pathways import services

router = Router(tags=["pathways"], auth=AUTH)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class PathwayIn(Strict):
    name: str
    slug: str | None = Field(None, description="Its address; made from the name when absent.")
    description: str = ""
    target: str = Field(description="Achievement id (UUID) of a published version it leads to.")
    rules: dict[str, Any] = Field(description="The rule tree in the pathway engine's format.")


class PathwayChangeIn(Strict):
    name: str | None = None
    description: str | None = None
    target: str | None = Field(None, description="Achievement id (UUID) of a published version.")
    rules: dict[str, Any] | None = None


class PathwayOut(Schema):
    organisation: str
    slug: str
    name: str
    description: str
    status: str
    target: str = Field(description="The OB 3.0 achievement id of the target version.")
    rules: dict[str, Any]
    url: str


class PathwayComponentOut(Schema):
    key: str
    name: str
    achievement: str
    done: bool
    by: str


class ProgressOut(Schema):
    pathway: str
    met: bool
    percent: int
    message: str
    components: list[PathwayComponentOut]


class StackedCredentialRequestIn(Strict):
    learner: str | None = Field(
        None, description="A registrar asks for this learner (username or email); else yourself."
    )


class PathwayComponentCheckOut(Schema):
    id: str
    name: str
    verified: bool
    problems: list[str]


class StackedCredentialRequestOut(Schema):
    status: str
    award: str | None = Field(description="The issued credential's id.")
    refusal: str
    components: list[PathwayComponentCheckOut]


def _out(pathway: services.Pathway) -> dict[str, Any]:
    return {
        "organisation": pathway.organisation.slug,
        "slug": pathway.slug,
        "name": pathway.name,
        "description": pathway.description,
        "status": pathway.status,
        "target": catalogue.achievement_id(pathway.target),
        "rules": pathway.rules,
        "url": f"/pathways/{pathway.organisation.slug}/{pathway.slug}/",
    }


def _target(reference: str) -> Any:
    """Return the version an achievement id names; an unknown one is bad input of ``target``."""
    try:
        return catalogue.get_version_by_achievement(reference)
    except NotFound:
        raise InvalidInput(
            f"{reference!r} is not a published micro-credential version.", field="target"
        ) from None


@router.get("/pathways", response=list[PathwayOut], auth=None, summary="Published pathways")
def list_pathways(request: HttpRequest, organisation: str = "") -> list[dict[str, Any]]:
    return [_out(pathway) for pathway in services.get_published_pathways(organisation)]


@router.get("/pathways/{org}/{slug}", response=PathwayOut, auth=None, summary="A pathway")
def get_pathway(request: HttpRequest, org: str, slug: str) -> dict[str, Any]:
    return _out(services.get_pathway(org, slug))


@router.post("/orgs/{org}/pathways", response={201: PathwayOut}, summary="Create a pathway")
def create_pathway(request: AuthenticatedHttpRequest, org: str, payload: PathwayIn) -> Status:
    """A draft pathway; designers and owners."""
    pathway = services.create_pathway(
        actor=request.auth,
        organisation=organisations.get_organisation(org),
        name=payload.name,
        slug=payload.slug,
        description=payload.description,
        target=_target(payload.target),
        rules=payload.rules,
    )
    return Status(201, _out(pathway))


@router.patch("/orgs/{org}/pathways/{slug}", response=PathwayOut, summary="Change a pathway")
def update_pathway(
    request: AuthenticatedHttpRequest, org: str, slug: str, payload: PathwayChangeIn
) -> dict[str, Any]:
    pathway = services.access_pathway(request.auth, org, slug)
    changes = payload.model_dump(exclude_unset=True)
    if "target" in changes:
        changes["target"] = _target(changes["target"])
    return _out(services.update_pathway(actor=request.auth, pathway=pathway, **changes))


@router.post("/orgs/{org}/pathways/{slug}/publish", response=PathwayOut, summary="Publish")
def publish_pathway(request: AuthenticatedHttpRequest, org: str, slug: str) -> dict[str, Any]:
    pathway = services.access_pathway(request.auth, org, slug)
    return _out(services.publish_pathway(actor=request.auth, pathway=pathway))


@router.get("/pathways/{org}/{slug}/progress", response=ProgressOut, summary="My progress")
def get_progress(request: AuthenticatedHttpRequest, org: str, slug: str) -> dict[str, Any]:
    """What the signed-in learner has done of the pathway and what is missing."""
    pathway = services.get_pathway(org, slug)
    progress = services.get_progress(request.auth, pathway)
    return {
        "pathway": pathway.slug,
        "met": progress.met,
        "percent": progress.percent,
        "message": progress.progress.message,
        "components": [vars(state) for state in progress.components.values()],
    }


@router.post(
    "/pathways/{org}/{slug}/request",
    response=StackedCredentialRequestOut,
    summary="Request the stacked credential",
)
def request_stacked_credential(
    request: AuthenticatedHttpRequest,
    org: str,
    slug: str,
    payload: StackedCredentialRequestIn | None = None,
) -> dict[str, Any]:
    """Verify every component credential again and issue the pathway's target credential;
    ``status`` is ``refused`` with the reason when a component does not verify."""
    pathway = services.get_pathway(org, slug)
    learner: User | None
    learner = request.auth
    if payload is not None and payload.learner:
        # Only a registrar may name someone else; outsiders learn nothing of who exists.
        organisations.access_organisation(request.auth, org, roles=services.REGISTRARS)
        learner = find_user(payload.learner)
        if learner is None:
            raise InvalidInput(f"No learner {payload.learner!r}.", field="learner")
    result = services.request_stacked_credential(
        actor=request.auth, pathway=pathway, learner=learner
    )
    return {
        "status": result.status,
        "award": services.credential_id(result),
        "refusal": result.refusal,
        "components": result.components,
    }


class PathwayRecordIn(Strict):
    learner: str = Field(description="The learner (username or email) holding the credential.")


class PathwayRecordOut(Schema):
    id: str = Field(description="The learner record's id: the URL that serves the signed CLR.")
    awards: int


@router.post(
    "/pathways/{org}/{slug}/clr",
    response={201: PathwayRecordOut},
    summary="Issue a learner record (CLR) of the pathway",
)
def issue_pathway_clr(
    request: AuthenticatedHttpRequest, org: str, slug: str, payload: PathwayRecordIn
) -> Status:
    """A registrar issues a CLR 2.0 of the learner's stacked credential and its components,
    with associations expressing the pathway."""
    pathway = services.get_pathway(org, slug)
    # Only a registrar may name a learner; outsiders learn nothing of who exists.
    organisations.access_organisation(request.auth, org, roles=services.REGISTRARS)
    learner = find_user(payload.learner)
    if learner is None:
        raise InvalidInput(f"No learner {payload.learner!r}.", field="learner")
    record = services.issue_pathway_clr(actor=request.auth, pathway=pathway, learner=learner)
    return Status(201, {"id": services.record_id(record), "awards": record.awards.count()})
