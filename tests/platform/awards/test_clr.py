"""Learner records: CLR 2.0 ClrCredentials that nest a learner's signed awards."""

from __future__ import annotations

import json

from microcred.awards import services
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.factories import make_user


def test_smoke() -> None:
    organisation, registrar, version = make_issuer()
    learner = make_user(email="ada@example.org", first_name="Ada", last_name="Lovelace")
    second = make_version(organisation)
    awards = [
        issue(registrar, version, learner_email="ada@example.org", learner=learner),
        issue(registrar, second, learner_email="ada@example.org", format="jwt"),
    ]
    ids = [json.loads(awards[0].signed_credential)["credentialSubject"]["achievement"]["id"]]
    record = services.issue_clr(
        actor=registrar,
        organisation=organisation,
        learner=learner,
        awards=awards,
        associations=[services.ClrAssociation(ids[0], ids[0], "isPeerOf")],
    )
    report = services.verify_learner_record(record)
    assert report.verified
    print(record.signed_credential[:3000])
