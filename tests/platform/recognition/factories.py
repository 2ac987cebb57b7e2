"""Factories for the recognition tests: an organisation with two evaluators and a published
version, credentials from another issuer, requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from microcred.organisations.models import Organisation, Role
from microcred.recognition import services
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.factories import add_member, make_organisation, make_user


@dataclass
class Setting:
    organisation: Organisation
    version: Any
    first: Any
    second: Any
    learner: Any


def make_setting() -> Setting:
    """An organisation with a published version, two evaluators, and a learner."""
    organisation = make_organisation()
    return Setting(
        organisation=organisation,
        version=make_version(organisation, title="Data Visualisation"),
        first=add_member(organisation, make_user(password=None), Role.EVALUATOR),
        second=add_member(organisation, make_user(password=None), Role.EVALUATOR),
        learner=make_user(password=None, first_name="Ada", last_name="Lovelace"),
    )


def external_credential(learner: Any) -> str:
    """A credential of another issuer of the platform, signed, as the learner would bring it."""
    _, registrar, version = make_issuer()
    return issue(registrar, version, learner_email=learner.email).signed_credential


def tampered(signed: str) -> str:
    document = json.loads(signed)
    document["credentialSubject"]["achievement"]["name"] = "Something grander"
    return json.dumps(document)


def apply(setting: Setting, *credentials: str, **fields: Any):
    fields.setdefault("statement", "I built dashboards for two years at a newspaper.")
    fields.setdefault("learning_setting", "non-formal")
    return services.apply_for_recognition(
        actor=setting.learner,
        version=setting.version,
        credentials=[
            services.Submission(text.encode("utf-8"), f"credential {n}")
            for n, text in enumerate(credentials)
        ],
        **fields,
    )
