"""Figures that join apps which may not know each other, for the pages of the lower one.

The staff pages of an organisation's keys say how many credentials stop verifying when a key
is marked compromised; organisations keep the keys but know no credentials, and the awards
keep no column of the key that signed each one. This layer, above both, reads it from the
credentials' proofs.
"""

from __future__ import annotations

from typing import Any

from microcred.awards import services as awards
from microcred.organisations import services as organisations
from microcred.vc.errors import InputError
from microcred.vc.jwt import decode_jwt


def count_credentials_signed_by(*, organisation: Any, key: Any, **_signal: Any) -> int:
    """Return how many of ``organisation``'s credentials ``key`` signed: a Data Integrity
    proof names it as its ``verificationMethod``, a VC-JWT as its header's ``kid``.

    Connected to ``counting_signed_credentials``.
    """
    method, kid = organisations.verification_method_id(key), organisations.jwt_kid(key)
    signed = awards.get_issued_awards(organisation).values_list("signed_credential", flat=True)
    in_json = signed.filter(signed_credential__startswith="{").filter(
        signed_credential__contains=f'"{method}"'
    )
    tokens = signed.exclude(signed_credential__startswith="{")
    return in_json.count() + sum(1 for token in tokens.iterator() if _kid(token) == kid)


def _kid(token: str) -> Any:
    try:
        return decode_jwt(token)[0].get("kid")
    except InputError:
        return None
