"""1EdTech's Open Badges 3.0 AchievementCredential JSON Schema, read from the conformance corpus.

Every credential the platform issues must validate against it. The one accepted
failure is the known conflict between the schema and VC Data Integrity: the
schema wants ``proof`` to be an array, while a Data Integrity proof may be one
object (1EdTech openbadges-specification issue 473). For a VC-JWT the payload
is validated: it is the credential with the registered JWT claims beside it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker

from microcred.vc.jwt import decode_jwt
from tests import conformance

SCHEMA = ("ob3-schema", "ob_v3p0_achievementcredential_schema.json")
# Awards made as the platform issued them before one status entry per credential (a revocation
# and a suspension entry), by the tests that check such awards still work: their list of two
# credentialStatus entries is the one departure from the schema they are allowed.
ISSUED_WITH_TWO_STATUS_ENTRIES: set[str] = set()


@cache
def _validator() -> Draft201909Validator:
    return Draft201909Validator(conformance.load_json(*SCHEMA), format_checker=FormatChecker())


def _is_proof_object_conflict(error: Any) -> bool:
    return list(error.absolute_path) == ["proof"] and error.validator == "type"


def schema_errors(document: dict[str, Any], *, two_status_entries: bool = False) -> list[str]:
    """Return every departure of ``document`` from the schema but the proof-object conflict
    (and, for an award issued before one status entry per credential, its two entries)."""
    return [
        f"{error.json_path}: {error.message}"
        for error in _validator().iter_errors(document)
        if not _is_proof_object_conflict(error)
        and not (two_status_entries and list(error.absolute_path) == ["credentialStatus"])
    ]


def issued_document(signed: str) -> dict[str, Any]:
    """Return what to validate of a signed credential: the JSON, or the payload of a VC-JWT."""
    text = signed.strip()
    if text.startswith("{"):
        return json.loads(text)
    return decode_jwt(text)[1]
