"""Awards held by a learner with an account, and verifying what a wallet received."""

from __future__ import annotations

import json
from typing import Any

from microcred.organisations import services as organisations
from microcred.vc import LocalFetcher, VerificationReport, verify
from microcred.vc.jwt import decode_jwt
from tests import conformance
from tests.ob3_schema import issued_document, schema_errors
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.awards.verifying import published_documents
from tests.platform.factories import make_user


def learner_award(**arguments: Any) -> tuple[Any, Any, Any]:
    """Return a learner (an account), a registrar, and an award made to the learner's email."""
    _, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email, learner_name="Ada", **arguments)
    return learner, registrar, award


def verify_delivered(award: Any, credential: Any) -> VerificationReport:
    """Verify a delivered credential as an outsider, with the documents the platform publishes,
    after checking it against the Open Badges 3.0 JSON Schema as every issued award is."""
    if conformance.available():
        signed = credential if isinstance(credential, str) else json.dumps(credential)
        assert schema_errors(issued_document(signed)) == []
    documents = published_documents(award)
    if isinstance(credential, str):
        kid = decode_jwt(credential)[0]["kid"]
        fetcher = organisations.get_platform_fetcher(fallback=LocalFetcher({}))
        documents[kid] = fetcher.fetch(kid).content
    else:
        credential = json.dumps(credential)
    [report] = verify(credential, fetcher=LocalFetcher(documents))
    return report
