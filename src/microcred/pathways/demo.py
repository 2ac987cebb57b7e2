"""The pathways of the demo: "Data Science Foundations" at the University of Lakeside.

Three of the university's micro-credentials stack into a fourth. One learner holds two of
them; another holds all three, asked for the stacked credential, and holds a learner record
(CLR 2.0) of the four that the registrar issued. The site's demo creates the
micro-credentials (through quality assurance, like the others) and the learners, then calls
:func:`load_pathways_demo`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from microcred.accounts.services import User, find_user
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.organisations import services as organisations
from microcred.pathways import services

UNIVERSITY = "lakeside"
COMPONENTS = ("data-analysis-python", "statistical-modelling", "data-visualisation")
TARGET = "data-science-foundations"


def load_pathways_demo(*, now: datetime, halfway: User, completed: User) -> Iterator[str]:
    """Publish the pathway, award its components, issue one learner the stacked credential."""
    university = organisations.get_organisation(UNIVERSITY)
    designer = find_user(f"{UNIVERSITY}-designer")
    registrar = find_user(f"{UNIVERSITY}-registrar")
    if designer is None or registrar is None:
        raise RuntimeError("The site's demo creates the university's staff first.")
    versions = [catalogue.get_version(organisation=UNIVERSITY, slug=slug) for slug in COMPONENTS]
    target = catalogue.get_version(organisation=UNIVERSITY, slug=TARGET)
    pathway = services.create_pathway(
        actor=designer,
        organisation=university,
        name="Data Science Foundations",
        slug="data-science-foundations",
        description="Three micro-credentials that add up to Data Science Foundations (15 ECTS): "
        "programming with data, statistical modelling and data visualisation.",
        target=target,
        rules={
            "kind": "group",
            "key": "data-science-foundations",
            "name": "Data Science Foundations",
            "require": {"all": True},
            "children": [
                {
                    "kind": "component",
                    "key": version.microcredential.slug,
                    "name": version.title,
                    "achievement": catalogue.achievement_id(version),
                    "issuer": organisations.organisation_did(university),
                    "achievementType": version.achievement_type,
                }
                for version in versions
            ],
        },
        now=now - timedelta(days=45),
    )
    services.publish_pathway(actor=designer, pathway=pathway, now=now - timedelta(days=45))
    for learner, held in ((halfway, versions[:2]), (completed, versions)):
        for number, version in enumerate(held):
            awards.issue_award(
                actor=registrar,
                version=version,
                learner=learner,
                learner_email=learner.email,
                learner_name=learner.get_full_name(),
                result={"grade": "7.5"},
                narrative="Assessed on the coursework project and the final examination.",
                now=now - timedelta(days=25 - 5 * number),
            )
    request = services.request_stacked_credential(
        actor=completed, pathway=pathway, learner=completed, now=now - timedelta(days=5)
    )
    if request.award is None:
        raise RuntimeError(f"The demo's stacked credential was refused: {request.refusal}")
    record = services.issue_pathway_clr(
        actor=registrar, pathway=pathway, learner=completed, now=now - timedelta(days=4)
    )
    yield (
        f"Pathway {pathway.name!r} published by {university.name}: {halfway.username} holds two "
        f"of its three micro-credentials, {completed.username} all three, the stacked "
        f"credential and a learner record (CLR) of {record.awards.count()} credentials."
    )
