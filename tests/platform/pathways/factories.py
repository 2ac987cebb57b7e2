"""Factories for the pathways tests: an issuer with three published micro-credentials, a
pathway over them, and learners holding some of them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from microcred.accounts.models import User
from microcred.catalogue import services as catalogue
from microcred.organisations import services as organisations
from microcred.organisations.models import Organisation, Role
from microcred.pathways import services
from tests.platform.awards.factories import issue, make_registrar, make_version
from tests.platform.factories import add_member, make_organisation, make_user

_numbers = itertools.count(1)


def component(version: Any, **fields: Any) -> dict[str, Any]:
    """The rule node of a platform version, as the studio form writes it."""
    return {
        "kind": "component",
        "key": version.microcredential.slug,
        "name": version.title,
        "achievement": catalogue.achievement_id(version),
        "issuer": organisations.organisation_did(version.microcredential.organisation),
        **fields,
    }


def all_of(*versions: Any, **fields: Any) -> dict[str, Any]:
    return {
        "kind": "group",
        "key": "pathway",
        "name": "Data Science Foundations",
        "require": {"all": True},
        "children": [component(version) for version in versions],
        **fields,
    }


@dataclass
class World:
    organisation: Organisation
    designer: User
    registrar: User
    versions: list[Any]
    target: Any
    pathway: Any

    def learner(self, holds: int = 0) -> User:
        """A learner with an email address holding awards of the first ``holds`` components."""
        number = next(_numbers)
        user = make_user(f"learner{number}", email=f"learner{number}@example.org")
        for version in self.versions[:holds]:
            self.award(user, version)
        return user

    def award(self, user: User, version: Any) -> Any:
        return issue(self.registrar, version, learner_email=user.email, learner=user)


def make_world(*, publish: bool = True, rules: dict[str, Any] | None = None) -> World:
    organisation = make_organisation()
    designer = add_member(organisation, make_user(password=None), Role.DESIGNER)
    registrar = make_registrar(organisation, password=None)
    titles = ("Python for Data", "Statistics", "Data Visualisation")
    versions = [make_version(organisation, title=title) for title in titles]
    target = make_version(organisation, title="Data Science Foundations")
    pathway = services.create_pathway(
        actor=designer,
        organisation=organisation,
        name="Data Science Foundations",
        target=target,
        rules=rules or all_of(*versions),
    )
    if publish:
        pathway = services.publish_pathway(actor=designer, pathway=pathway)
    return World(organisation, designer, registrar, versions, target, pathway)
