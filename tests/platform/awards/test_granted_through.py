"""Awards granted other than by assessment: recognition of prior learning marks the award and
states the learning setting in the credential; nothing changes for other awards."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.awards import services
from microcred.errors import InvalidInput
from tests.ob3_schema import schema_errors
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.awards.verifying import verify_offline
from tests.platform.factories import make_user

pytestmark = pytest.mark.django_db


def decided(version: Any, decided_by: Any, **fields: Any) -> services.DecidedAward:
    learner = make_user(password=None)
    values: dict[str, Any] = {
        "decision": "recognition:test",
        "version": version,
        "learner": learner,
        "learner_name": "Ada Lovelace",
        "decided_by": decided_by,
        "results": [],
        "score": None,
        "evidence": [{"name": "A credential from elsewhere", "narrative": "Verified."}],
        "narrative": "Granted through recognition of prior learning.",
        "idempotency_key": f"recognition:{learner.pk}",
    }
    return services.DecidedAward(**{**values, **fields})


def test_a_recognised_award_says_so_and_verifies() -> None:
    _, registrar, version = make_issuer()
    award = services.issue_decided_award(
        decided(version, registrar, granted_through="recognition", learning_setting="non-formal")
    )
    assert (award.granted_through, award.learning_setting) == ("recognition", "non-formal")
    document = services.get_credential_document(award)
    assert document["credentialSubject"]["learningSetting"] == "non-formal"
    assert document["@context"][-1] == {
        "learningSetting": "http://data.europa.eu/snb/model/elm/learningSetting"
    }
    assert schema_errors(document) == []
    assert verify_offline(award).verified


def test_other_awards_carry_no_learning_setting_and_keep_their_fingerprint() -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    document = services.get_credential_document(award)
    assert "learningSetting" not in document["credentialSubject"]
    assert all(isinstance(context, str) for context in document["@context"])
    assert award.granted_through == "" and award.learning_setting == ""
    # A retry with the same data returns the same award: the hash did not change shape.
    assert issue(registrar, version, learner_email=award.learner_email) == award


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"granted_through": "magic"}, "granted_through"),
        ({"granted_through": "recognition", "learning_setting": "formal"}, "learning_setting"),
    ],
)
def test_unknown_ways_and_settings_are_refused(fields: dict[str, str], field: str) -> None:
    _, registrar, version = make_issuer()
    with pytest.raises(InvalidInput) as caught:
        services.issue_decided_award(decided(version, registrar, **fields))
    assert caught.value.field == field
