"""Delivering awards into wallets: VC API (VCALM) exchanges and OpenID for VC Issuance 1.0.

Either way the wallet proves control of a DID (a DID Authentication
presentation, or a ``jwt`` proof of possession) and receives the award signed
again with that DID as ``credentialSubject.id`` (docs/decisions/0012-wallet-delivery.md).

``start_exchange`` and ``create_offer`` act for a signed-in actor (the award's
learner, or a registrar of its organisation); ``participate``, ``issue_token``,
``issue_nonce`` and ``issue_credential`` answer wallets, which authenticate
with what the first two handed out. Every secret is single use and short-lived.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from microcred.accounts.services import User, UserOrAnonymous
from microcred.audit.services import record_event
from microcred.awards import services as awards
from microcred.core import public_urls
from microcred.errors import Conflict, Forbidden, MicrocredError, NotFound
from microcred.organisations import services as organisations
from microcred.organisations.services import Role
from microcred.vc.didauth import did_authentication_request, verify_did_authentication
from microcred.vc.errors import ProofError
from microcred.vc.oid4vci import verify_proof_jwt
from microcred.wallets.models import CredentialOffer, Exchange, ExchangeState, Nonce

__all__ = [
    "CONFIGURATIONS",
    "WORKFLOW",
    "ExchangeProblem",
    "IssuedOffer",
    "OAuthError",
    "access_exchange",
    "authorization_server_metadata",
    "create_offer",
    "credential_issuer",
    "exchange_links",
    "get_exchange",
    "get_exchange_state",
    "issue_credential",
    "issue_nonce",
    "issue_token",
    "issuer_metadata",
    "participate",
    "start_exchange",
]

EXCHANGE_LIFETIME = timedelta(minutes=15)
OFFER_LIFETIME = timedelta(minutes=10)
TOKEN_LIFETIME = timedelta(minutes=5)
NONCE_LIFETIME = timedelta(minutes=5)
NONCE_SALT = "microcred.wallets.c_nonce"
MAX_NONCE_LENGTH = 200
TX_CODE_LENGTH = 6
TX_CODE_ATTEMPTS = 3
WORKFLOW = "credential-delivery"
# Where the Learner Credential Wallet takes a request (its app opens this link on a phone).
LCW_REQUEST = "https://lcw.app/request.html"
PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
# Data Integrity 1.0 section 2.3, processing errors, as ProblemDetails types.
SECURITY = "https://w3id.org/security#"
PROBLEM_TYPES = {
    "didauth.wrong_challenge": "INVALID_CHALLENGE_ERROR",
    "didauth.wrong_domain": "INVALID_DOMAIN_ERROR",
    "didauth.wrong_purpose": "MISMATCHED_PROOF_PURPOSE_ERROR",
    "didauth.malformed": "MALFORMED_PROOF_ERROR",
    "didauth.wrong_holder": "MALFORMED_PROOF_ERROR",
    "didauth.invalid_proof": "PROOF_VERIFICATION_ERROR",
}
OB3_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
OB3_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
# OID4VCI credential configurations: the id a wallet asks for -> (format, awards format).
CONFIGURATIONS = {
    "OpenBadgeCredential_ldp_vc": ("ldp_vc", "ldp"),
    "OpenBadgeCredential_jwt_vc_json": ("jwt_vc_json", "jwt"),
}


class ExchangeProblem(MicrocredError):
    """A VC API exchange refused a message; ``problem`` is its ProblemDetails object."""

    code = "wallet.exchange_problem"

    def __init__(self, message: str, *, problem_type: str, title: str, status: int = 400) -> None:
        super().__init__(message, data={"type": problem_type, "status": status})
        self.problem = {"type": problem_type, "title": title, "detail": message}
        self.status = status


class OAuthError(MicrocredError):
    """An OAuth 2.0 / OID4VCI error: ``error`` is the code the spec names (``invalid_grant``)."""

    code = "wallet.oauth_error"

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(description, data={"error": error})
        self.error = error
        self.status = status

    def as_oauth(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.message}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _authorise_delivery(actor: User, award_uuid: uuid.UUID | str, *, now: datetime) -> Any:
    """Return the award if ``actor`` is its learner or a registrar of its organisation and it
    is active and unexpired."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(gettext("Sign in to send a credential to a wallet."))
    award = awards.get_award(award_uuid)
    if not awards.holds_award(actor, award):
        try:
            organisations.access_organisation(
                actor, award.organisation.slug, roles=(Role.REGISTRAR,)
            )
        except NotFound:
            raise NotFound(f"No credential {award_uuid}.", field="award") from None
    if award.valid_until is not None and award.valid_until <= now:
        raise Conflict(
            gettext("The credential has expired; it cannot go into a wallet."),
            code="wallet.award_not_active",
            field="award",
        )
    if award.status != "active":
        raise Conflict(
            _not_active(str(award.status)),
            code="wallet.award_not_active",
            field="award",
        )
    return award


def _not_active(status: str) -> str:
    """Why an award of ``status`` cannot go into a wallet, in the active language: the page's
    for the learner, English for the API (the site answers its paths in English)."""
    if status == "revoked":
        return gettext("The credential is revoked; it cannot go into a wallet.")
    if status == "suspended":
        return gettext("The credential is suspended; it cannot go into a wallet.")
    return gettext("The credential is %(status)s; it cannot go into a wallet.") % {"status": status}


# -- VC API exchanges ------------------------------------------------------------------------


def start_exchange(
    *, actor: User, award_uuid: uuid.UUID | str, now: datetime | None = None
) -> Exchange:
    """Start a single-use exchange that delivers the award to the wallet that joins it."""
    now = now or timezone.now()
    award = _authorise_delivery(actor, award_uuid, now=now)
    return Exchange.objects.create(
        award=award,
        started_by=actor,
        challenge=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + EXCHANGE_LIFETIME,
    )


@dataclass(frozen=True)
class ExchangeLinks:
    """Where a wallet joins an exchange: the VC API URL, the interaction URL, the LCW link."""

    exchange: str
    interaction: str
    deep_link: str


def exchange_links(exchange: Exchange) -> ExchangeLinks:
    """Return the exchange's URLs for wallets.

    The Learner Credential Wallet takes a ``request`` parameter holding JSON
    with the ``credentialRequestOrigin`` and the ``protocols`` (``vcapi``: the
    exchange URL); other wallets read the same protocols from the interaction
    URL (``iuv=1``).
    """
    exchange_url = public_urls.absolute(f"/workflows/{WORKFLOW}/exchanges/{exchange.uuid}")
    request = json.dumps(
        {"credentialRequestOrigin": settings.PUBLIC_URL, "protocols": {"vcapi": exchange_url}},
        separators=(",", ":"),
    )
    return ExchangeLinks(
        exchange=exchange_url,
        interaction=public_urls.absolute(f"/interactions/{exchange.uuid}?iuv=1"),
        deep_link=f"{LCW_REQUEST}?{urlencode({'request': request}, quote_via=quote)}",
    )


def get_exchange(exchange_id: uuid.UUID | str, *, workflow: str = WORKFLOW) -> Exchange:
    """Return the exchange (its unguessable id is the wallet's capability to join it); raise
    :class:`ExchangeProblem` (404) for an unknown one."""
    exchange = _find_exchange(exchange_id) if workflow == WORKFLOW else None
    if exchange is None:
        raise _problem_not_found(exchange_id)
    return exchange


def _find_exchange(exchange_id: uuid.UUID | str) -> Exchange | None:
    try:
        return Exchange.objects.select_related("award").get(uuid=uuid.UUID(str(exchange_id)))
    except (ValueError, Exchange.DoesNotExist):
        return None


def access_exchange(actor: UserOrAnonymous, exchange_id: uuid.UUID | str) -> Exchange:
    """Return the exchange if ``actor`` started it (its page and QR code are theirs)."""
    exchange = _find_exchange(exchange_id)
    if exchange is None or getattr(actor, "pk", None) is None or exchange.started_by_id != actor.pk:
        raise NotFound(f"No exchange {exchange_id}.", field="exchange")
    return exchange


def get_exchange_state(
    *, actor: UserOrAnonymous, exchange_id: uuid.UUID | str, workflow: str = WORKFLOW
) -> dict[str, Any]:
    """Return the exchange as the VC API's GetExchangeResponse, for the one who started it;
    raise :class:`ExchangeProblem` (404) for anyone else."""
    exchange = get_exchange(exchange_id, workflow=workflow)
    if getattr(actor, "pk", None) is None or exchange.started_by_id != actor.pk:
        raise _problem_not_found(exchange_id)
    state: dict[str, Any] = {
        "id": str(exchange.uuid),
        "sequence": exchange.sequence,
        "expires": exchange.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "state": exchange.state,
    }
    if exchange.last_error:
        state["lastError"] = exchange.last_error
    return state


def participate(
    *, exchange_id: uuid.UUID | str, workflow: str, message: Any, now: datetime | None = None
) -> dict[str, Any]:
    """Answer one message of a wallet in the exchange (VC API, participateInExchange).

    ``{}`` starts it: the answer is a Verifiable Presentation Request for DID
    Authentication with the exchange's challenge and the platform's domain. A
    ``verifiablePresentation`` that authenticates a DID ends it: the answer is
    a presentation holding the award bound to that DID. Raise
    :class:`ExchangeProblem` for an unknown, expired or finished exchange and
    for a presentation that does not authenticate (the exchange stays open
    until it expires, its last error recorded).
    """
    now = now or timezone.now()
    if workflow != WORKFLOW:
        raise _problem_not_found(exchange_id)
    if not isinstance(message, dict):
        raise ExchangeProblem(
            'The message must be a JSON object: {} or {"verifiablePresentation": ...}.',
            problem_type=f"{SECURITY}PARSING_ERROR",
            title="Malformed message",
        )
    problem: ExchangeProblem | None = None
    with transaction.atomic():
        try:
            exchange = Exchange.objects.select_for_update().get(uuid=uuid.UUID(str(exchange_id)))
        except (ValueError, Exchange.DoesNotExist):
            raise _problem_not_found(exchange_id) from None
        _check_open(exchange, now)
        unknown = sorted(set(message) - {"verifiablePresentation", "referenceId"})
        if unknown:
            raise ExchangeProblem(
                f"{unknown[0]} is not understood by this exchange; send {{}} or a "
                "verifiablePresentation.",
                problem_type=f"{SECURITY}PARSING_ERROR",
                title="Unexpected message",
            )
        if "verifiablePresentation" not in message:
            exchange.state = ExchangeState.ACTIVE
            exchange.save(update_fields=["state"])
            return {"verifiablePresentationRequest": _presentation_request(exchange)}
        try:
            holder = verify_did_authentication(
                message["verifiablePresentation"],
                challenge=exchange.challenge,
                domain=_domain(),
                now=now,
            )
        except ProofError as error:
            name = PROBLEM_TYPES.get(error.code, "PROOF_VERIFICATION_ERROR")
            problem = ExchangeProblem(error.message, problem_type=f"{SECURITY}{name}", title=name)
            # Kept though the request fails (the exchange stays open until it expires).
            exchange.last_error = problem.problem
            exchange.save(update_fields=["last_error"])
        else:
            try:
                credential = awards.bind_to_holder(
                    exchange.award, holder_did=holder, format="ldp", now=now
                )
            except Conflict as error:
                raise ExchangeProblem(
                    error.message,
                    problem_type=public_urls.absolute("/workflows#credential-not-deliverable"),
                    title="Credential not deliverable",
                    status=409,
                ) from None
            exchange.state = ExchangeState.COMPLETE
            exchange.sequence += 1
            exchange.holder = holder
            exchange.delivered_credential = credential
            exchange.completed_at = now
            exchange.last_error = {}
            exchange.save()
            _record_delivery(
                exchange.award, exchange.started_by, holder, "vcapi", exchange.uuid, now
            )
    if problem is not None:
        raise problem
    return {
        "verifiablePresentation": {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [json.loads(credential)],
        }
    }


def _problem_not_found(exchange_id: Any) -> ExchangeProblem:
    return ExchangeProblem(
        f"There is no exchange {exchange_id}.",
        problem_type=public_urls.absolute("/workflows#exchange-not-found"),
        title="Exchange not found",
        status=404,
    )


def _check_open(exchange: Exchange, now: datetime) -> None:
    if exchange.state in (ExchangeState.COMPLETE, ExchangeState.INVALID):
        raise ExchangeProblem(
            "This exchange is finished: each exchange delivers once. Start a new one from the "
            "credential's page.",
            problem_type=public_urls.absolute("/workflows#exchange-complete"),
            title="Exchange complete",
        )
    if exchange.expires_at <= now:
        raise ExchangeProblem(
            "This exchange has expired. Start a new one from the credential's page.",
            problem_type=public_urls.absolute("/workflows#exchange-expired"),
            title="Exchange expired",
        )


def _presentation_request(exchange: Exchange) -> dict[str, Any]:
    return did_authentication_request(challenge=exchange.challenge, domain=_domain())


def _domain() -> str:
    """Return the domain a wallet's proof must name: the platform's origin."""
    return settings.PUBLIC_URL


def _record_delivery(
    award: Any, actor: Any, holder: str, protocol: str, reference: uuid.UUID, now: datetime
) -> None:
    record_event(
        actor=actor,
        action="wallet.deliver",
        organisation=award.organisation,
        target=award,
        data={"holder": holder, "protocol": protocol, "reference": str(reference)},
        now=now,
    )


# -- OpenID for Verifiable Credential Issuance ------------------------------------------------


def credential_issuer() -> str:
    """Return the Credential Issuer Identifier: the platform's public address."""
    return settings.PUBLIC_URL


def issuer_metadata() -> dict[str, Any]:
    """Return the Credential Issuer Metadata (OID4VCI 1.0 section 12.2)."""
    issuer = credential_issuer()
    proof_types = {"jwt": {"proof_signing_alg_values_supported": ["EdDSA", "ES256"]}}
    binding = ["did:key", "did:jwk"]
    return {
        "credential_issuer": issuer,
        "credential_endpoint": f"{issuer}/oid4vci/credential",
        "nonce_endpoint": f"{issuer}/oid4vci/nonce",
        "display": [{"name": "microcred", "locale": "en"}],
        "credential_configurations_supported": {
            "OpenBadgeCredential_ldp_vc": {
                "format": "ldp_vc",
                "credential_definition": {"@context": OB3_CONTEXT, "type": OB3_TYPE},
                "cryptographic_binding_methods_supported": binding,
                "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
                "proof_types_supported": proof_types,
                "credential_metadata": {"display": [{"name": "Open Badge", "locale": "en"}]},
            },
            "OpenBadgeCredential_jwt_vc_json": {
                "format": "jwt_vc_json",
                "credential_definition": {"type": OB3_TYPE},
                "cryptographic_binding_methods_supported": binding,
                "credential_signing_alg_values_supported": ["EdDSA", "RS256"],
                "proof_types_supported": proof_types,
                "credential_metadata": {"display": [{"name": "Open Badge", "locale": "en"}]},
            },
        },
    }


def authorization_server_metadata() -> dict[str, Any]:
    """Return the OAuth 2.0 Authorization Server Metadata (RFC 8414) of the issuer itself."""
    issuer = credential_issuer()
    return {
        "issuer": issuer,
        "token_endpoint": f"{issuer}/oid4vci/token",
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "response_types_supported": [],
    }


@dataclass(frozen=True)
class IssuedOffer:
    """A credential offer as handed to the wallet, once: the secrets are not kept in clear."""

    offer: CredentialOffer
    credential_offer: dict[str, Any]
    tx_code: str

    @property
    def uri(self) -> str:
        """Return the offer by value, as ``openid-credential-offer://`` (section 4.1)."""
        value = json.dumps(self.credential_offer, separators=(",", ":"))
        return (
            f"openid-credential-offer://?{urlencode({'credential_offer': value}, quote_via=quote)}"
        )


def create_offer(
    *,
    actor: User,
    award_uuid: uuid.UUID | str,
    with_tx_code: bool = False,
    now: datetime | None = None,
) -> IssuedOffer:
    """Offer the award to a wallet with a pre-authorized code (and a transaction code if asked).

    The transaction code reaches the learner by another channel than the offer
    (the page shows it beside the QR code, for a phone to scan the code and
    the person to type the digits).
    """
    now = now or timezone.now()
    award = _authorise_delivery(actor, award_uuid, now=now)
    code = secrets.token_urlsafe(32)
    tx_code = (
        "".join(secrets.choice("0123456789") for _ in range(TX_CODE_LENGTH)) if with_tx_code else ""
    )
    offer = CredentialOffer.objects.create(
        award=award,
        started_by=actor,
        code_digest=_digest(code),
        tx_code_digest=_digest(tx_code) if tx_code else "",
        created_at=now,
        expires_at=now + OFFER_LIFETIME,
    )
    grant: dict[str, Any] = {"pre-authorized_code": code}
    if tx_code:
        grant["tx_code"] = {
            "input_mode": "numeric",
            "length": TX_CODE_LENGTH,
            "description": "The code shown beside the QR code on the credential's page.",
        }
    return IssuedOffer(
        offer=offer,
        credential_offer={
            "credential_issuer": credential_issuer(),
            "credential_configuration_ids": list(CONFIGURATIONS),
            "grants": {PRE_AUTHORIZED_GRANT: grant},
        },
        tx_code=tx_code,
    )


def issue_token(*, form: dict[str, str], now: datetime | None = None) -> dict[str, Any]:
    """Exchange a pre-authorized code for an access token (OID4VCI 1.0 section 6).

    Raise :class:`OAuthError`: ``unsupported_grant_type`` for another grant,
    ``invalid_request`` without a code or without the transaction code the
    offer needs, ``invalid_grant`` for an unknown, expired or used code or a
    wrong transaction code (after three wrong codes the offer is spent).
    """
    now = now or timezone.now()
    if form.get("grant_type") != PRE_AUTHORIZED_GRANT:
        raise OAuthError("unsupported_grant_type", f"grant_type must be {PRE_AUTHORIZED_GRANT}.")
    code = form.get("pre-authorized_code") or ""
    if not code:
        raise OAuthError("invalid_request", "pre-authorized_code is missing.")
    wrong_tx_code = False
    with transaction.atomic():
        offer = (
            CredentialOffer.objects.select_for_update().filter(code_digest=_digest(code)).first()
        )
        if offer is None or offer.code_used_at is not None or offer.expires_at <= now:
            raise OAuthError(
                "invalid_grant", "The pre-authorized code is unknown, expired or already used."
            )
        if offer.tx_code_digest:
            given = form.get("tx_code") or ""
            if not given:
                raise OAuthError("invalid_request", "This offer needs its tx_code.")
            if not hmac.compare_digest(_digest(given), offer.tx_code_digest):
                offer.tx_code_attempts += 1
                if offer.tx_code_attempts >= TX_CODE_ATTEMPTS:
                    offer.code_used_at = now
                # Counted though the request fails, so guessing the digits spends the offer.
                offer.save(update_fields=["tx_code_attempts", "code_used_at"])
                wrong_tx_code = True
        if not wrong_tx_code:
            token = secrets.token_urlsafe(32)
            offer.code_used_at = now
            offer.token_digest = _digest(token)
            offer.token_expires_at = now + TOKEN_LIFETIME
            offer.save(update_fields=["code_used_at", "token_digest", "token_expires_at"])
    if wrong_tx_code:
        raise OAuthError("invalid_grant", "The tx_code does not match.")
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": int(TOKEN_LIFETIME.total_seconds()),
    }


def issue_nonce(*, now: datetime | None = None) -> dict[str, str]:
    """Return a fresh ``c_nonce`` (section 7), accepted once within a few minutes.

    The nonce is signed (Django's signing, keyed by ``SECRET_KEY``) with the time it was
    made, so the endpoint, which anyone may call, writes nothing: only a nonce that is
    spent is stored, until it would have expired anyway.
    """
    now = now or timezone.now()
    value = {"t": int(now.timestamp()), "r": secrets.token_urlsafe(16)}
    return {"c_nonce": signing.dumps(value, salt=NONCE_SALT)}


def issue_credential(
    *, authorization: str, request: Any, now: datetime | None = None
) -> dict[str, Any]:
    """Answer the credential endpoint (section 8): the award bound to the proof's holder.

    Raise :class:`OAuthError`: ``invalid_token`` (401) for a missing, unknown,
    expired or used access token; ``invalid_credential_request`` for a
    malformed request; ``unknown_credential_configuration``; ``invalid_proof``
    for a proof that does not verify or is not for this issuer;
    ``invalid_nonce`` for a proof without a fresh nonce of ours (a stale or
    reused one).
    """
    now = now or timezone.now()
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise OAuthError(
            "invalid_token", "Send the access token as Authorization: Bearer.", status=401
        )
    with transaction.atomic():
        offer = (
            CredentialOffer.objects.select_for_update()
            .select_related("award")
            .filter(token_digest=_digest(token))
            .first()
        )
        if (
            offer is None
            or offer.completed_at is not None
            or (offer.token_expires_at or now) <= now
        ):
            raise OAuthError(
                "invalid_token", "The access token is unknown, expired or already used.", status=401
            )
        if not isinstance(request, dict):
            raise OAuthError("invalid_credential_request", "The request must be a JSON object.")
        configuration = request.get("credential_configuration_id")
        if configuration not in CONFIGURATIONS:
            raise OAuthError(
                "unknown_credential_configuration",
                f"credential_configuration_id must be one of {', '.join(CONFIGURATIONS)}.",
            )
        proof_jwt = _proof_jwt(request)
        try:
            proof = verify_proof_jwt(proof_jwt, audience=credential_issuer(), now=now)
        except ProofError as error:
            raise OAuthError("invalid_proof", error.message) from None
        if proof.nonce is None or not _use_nonce(proof.nonce, now):
            raise OAuthError(
                "invalid_nonce", "The proof needs a fresh c_nonce from the nonce endpoint."
            )
        _, format = CONFIGURATIONS[configuration]
        try:
            credential = awards.bind_to_holder(
                offer.award, holder_did=proof.holder, format=format, now=now
            )
        except Conflict as error:
            raise OAuthError("credential_request_denied", error.message) from None
        offer.completed_at = now
        offer.holder = proof.holder
        offer.credential_configuration_id = configuration
        offer.delivered_credential = credential
        offer.save(
            update_fields=[
                "completed_at",
                "holder",
                "credential_configuration_id",
                "delivered_credential",
            ]
        )
        _record_delivery(offer.award, offer.started_by, proof.holder, "oid4vci", offer.uuid, now)
    delivered: Any = credential if format == "jwt" else json.loads(credential)
    return {"credentials": [{"credential": delivered}]}


def _proof_jwt(request: dict[str, Any]) -> str:
    """Return the one ``jwt`` proof of the request (``proofs``, or the older ``proof``)."""
    proofs = request.get("proofs")
    if proofs is not None:
        jwts = proofs.get("jwt") if isinstance(proofs, dict) else None
        if set(proofs if isinstance(proofs, dict) else ()) != {"jwt"} or not (
            isinstance(jwts, list) and len(jwts) == 1 and isinstance(jwts[0], str)
        ):
            raise OAuthError(
                "invalid_credential_request", 'proofs must be {"jwt": ["<one proof JWT>"]}.'
            )
        return jwts[0]
    proof = request.get("proof")
    if (
        isinstance(proof, dict)
        and proof.get("proof_type") == "jwt"
        and isinstance(proof.get("jwt"), str)
    ):
        return str(proof["jwt"])
    raise OAuthError(
        "invalid_proof", "The request needs a proof of possession: proofs.jwt with one JWT."
    )


def _use_nonce(value: str, now: datetime) -> bool:
    """Spend the nonce if we signed it, it is unexpired and unspent; return whether it was."""
    if len(value) > MAX_NONCE_LENGTH:
        return False
    try:
        made = signing.loads(value, salt=NONCE_SALT)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return False
    if not isinstance(made, int) or made > now.timestamp() + 60:
        return False
    expires = datetime.fromtimestamp(made, tz=UTC) + NONCE_LIFETIME
    if expires <= now:
        return False
    Nonce.objects.filter(expires_at__lte=now).delete()
    _, created = Nonce.objects.get_or_create(
        value=value, defaults={"expires_at": expires, "used_at": now}
    )
    return created
