"""Wallet delivery over HTTP: the endpoints wallets call, and the learner's "Add to wallet" pages.

The wallet endpoints speak their protocols' own error formats (ProblemDetails
for the VC API, OAuth 2.0 error objects for OID4VCI), take JSON or forms
without CSRF tokens (wallets hold no session) and are never cached.
"""

from __future__ import annotations

import base64
import functools
import io
import json
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.core.pages import studio_page
from microcred.errors import Conflict
from microcred.wallets import services
from microcred.wallets.services import ExchangeProblem, OAuthError

# A wallet's message is a small presentation or request; anything larger is refused before
# any JSON-LD processing, which anyone may otherwise make the server do on megabytes.
MAX_MESSAGE_BYTES = 64 * 1024
# What a QR code image may do: nothing but be shown.
QR_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _never_cached(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store"
        return response

    return wrapped


def _json_body(request: HttpRequest) -> Any:
    """Return the JSON body; None when it is not JSON (the service says what it wanted)."""
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None


# -- VC API ------------------------------------------------------------------------------------


def _problem(problem: dict[str, Any], status: int) -> JsonResponse:
    return JsonResponse(problem, status=status, content_type="application/problem+json")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_never_cached
def exchange(request: HttpRequest, workflow: str, exchange_id: str) -> HttpResponse:
    """participateInExchange (POST): ``{}`` gets the presentation request; a DID-authenticated
    presentation gets the credential. getExchangeConfiguration (GET): the exchange's state, for
    the one who started it (signed in)."""
    if len(request.body) > MAX_MESSAGE_BYTES:
        return _problem(
            {
                "type": "https://w3id.org/security#PARSING_ERROR",
                "title": "Message too large",
                "detail": f"A message to an exchange is at most {MAX_MESSAGE_BYTES} bytes.",
            },
            413,
        )
    try:
        if request.method == "GET":
            answer = services.get_exchange_state(
                actor=request.user, exchange_id=exchange_id, workflow=workflow
            )
        else:
            answer = services.participate(
                exchange_id=exchange_id, workflow=workflow, message=_json_body(request)
            )
    except ExchangeProblem as error:
        return _problem(error.problem, error.status)
    return JsonResponse(answer)


@require_GET
@_never_cached
def protocols(
    request: HttpRequest, exchange_id: str, workflow: str = services.WORKFLOW
) -> HttpResponse:
    """The interaction URL (``?iuv=1``) and the exchange's protocols: where a wallet goes on."""
    try:
        exchange = services.get_exchange(exchange_id, workflow=workflow)
    except ExchangeProblem as error:
        return _problem(error.problem, error.status)
    return JsonResponse({"protocols": {"vcapi": services.exchange_links(exchange).exchange}})


# -- OpenID for Verifiable Credential Issuance -----------------------------------------------


def _oauth_error(error: OAuthError) -> JsonResponse:
    response = JsonResponse(error.as_oauth(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = f'Bearer error="{error.error}"'
    return response


@require_GET
def issuer_metadata(request: HttpRequest) -> HttpResponse:
    return JsonResponse(services.issuer_metadata())


@require_GET
def authorization_server_metadata(request: HttpRequest) -> HttpResponse:
    return JsonResponse(services.authorization_server_metadata())


@csrf_exempt
@require_POST
@_never_cached
def token(request: HttpRequest) -> HttpResponse:
    """The token endpoint: a pre-authorized code (form-encoded, RFC 6749) for an access token."""
    try:
        return JsonResponse(services.issue_token(form=request.POST.dict()))
    except OAuthError as error:
        return _oauth_error(error)


@csrf_exempt
@require_POST
@_never_cached
def nonce(request: HttpRequest) -> HttpResponse:
    return JsonResponse(services.issue_nonce())


@csrf_exempt
@require_POST
@_never_cached
def credential(request: HttpRequest) -> HttpResponse:
    if len(request.body) > MAX_MESSAGE_BYTES:
        return _oauth_error(
            OAuthError(
                "invalid_credential_request",
                f"A credential request is at most {MAX_MESSAGE_BYTES} bytes.",
                status=413,
            )
        )
    try:
        answer = services.issue_credential(
            authorization=request.headers.get("Authorization", ""), request=_json_body(request)
        )
    except OAuthError as error:
        return _oauth_error(error)
    return JsonResponse(answer)


# -- the learner's pages -----------------------------------------------------------------------


def qr_svg(text: str) -> bytes:
    """Return ``text`` as a QR code, an SVG image."""
    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def _data_uri(svg: bytes) -> str:
    return f"data:image/svg+xml;base64,{base64.b64encode(svg).decode('ascii')}"


@require_POST
@studio_page
def start(request: AuthenticatedHttpRequest, award_uuid: str) -> HttpResponse:
    """Start a VC API exchange for the award and show its QR code and wallet link."""
    try:
        started = services.start_exchange(actor=request.user, award_uuid=award_uuid)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("awards:credential", award_uuid=award_uuid)
    return redirect("wallets:exchange-page", exchange_id=started.uuid)


@require_GET
@studio_page
@_never_cached
def exchange_page(request: AuthenticatedHttpRequest, exchange_id: str) -> HttpResponse:
    started = services.access_exchange(request.user, exchange_id)
    links = services.exchange_links(started)
    return render(
        request,
        "wallets/exchange.html",
        {"exchange": started, "award": started.award, "links": links},
    )


@require_GET
@studio_page
@_never_cached
def exchange_qr(request: AuthenticatedHttpRequest, exchange_id: str) -> HttpResponse:
    """The exchange's QR code (the Learner Credential Wallet link), for the one who started it."""
    started = services.access_exchange(request.user, exchange_id)
    response = HttpResponse(
        qr_svg(services.exchange_links(started).deep_link), content_type="image/svg+xml"
    )
    response["Content-Security-Policy"] = QR_POLICY
    response["Content-Disposition"] = f'inline; filename="exchange-{started.uuid}.svg"'
    return response


@require_POST
@studio_page
@_never_cached
def offer(request: AuthenticatedHttpRequest, award_uuid: str) -> HttpResponse:
    """Offer the award to an OpenID for VC Issuance wallet: shown once, since the page holds
    the code."""
    try:
        issued = services.create_offer(
            actor=request.user,
            award_uuid=award_uuid,
            with_tx_code=bool(request.POST.get("tx_code")),
        )
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("awards:credential", award_uuid=award_uuid)
    return render(
        request,
        "wallets/offer.html",
        {"issued": issued, "award": issued.offer.award, "qr": _data_uri(qr_svg(issued.uri))},
    )
