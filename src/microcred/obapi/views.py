"""Pages and OAuth 2.0 endpoints of the Open Badges API: registration, consent, connections."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.views import AuthorizationView
from oauthlib.oauth2 import InvalidRequestError

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.core.pages import studio_page
from microcred.obapi import services

# RFC 7636 section 4.2: BASE64URL(SHA256(code_verifier)), without padding.
S256_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")


@csrf_exempt
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    """RFC 7591 dynamic client registration: 201 with the client's credentials, or 400 with
    ``invalid_redirect_uri`` / ``invalid_client_metadata``. Open to anyone, as the Open Badges
    API requires; what a client may do is still the learner's decision on the consent page."""
    try:
        metadata: Any = json.loads(request.body)
        registration, secret = services.register_client(metadata=metadata)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return JsonResponse(
            {"error": "invalid_client_metadata", "error_description": "The body is not JSON."},
            status=400,
        )
    except services.RegistrationError as error:
        return JsonResponse({"error": error.code, "error_description": error.message}, status=400)
    response = JsonResponse(services.registration_response(registration, secret), status=201)
    response["Cache-Control"] = "no-store"
    return response


class ConsentView(AuthorizationView):
    """The toolkit's authorization endpoint, with the site's consent page.

    The page's form posts here and is answered with a redirect to the client, so the page's
    Content-Security-Policy lets forms go to the client's redirect URI as well as the site
    (Chromium applies ``form-action`` to where a form's redirects lead).
    """

    template_name = "obapi/consent.html"

    def validate_authorization_request(self, request: HttpRequest) -> tuple[list[str], dict]:
        """Refuse a PKCE challenge other than S256 before the learner is asked, not after.

        The toolkit refuses ``plain`` only when it makes the code; a challenge sent without a
        method is ``plain`` by RFC 7636 section 4.3.
        """
        scopes, credentials = super().validate_authorization_request(request)
        method = credentials.get("code_challenge_method")
        if method != "S256" or not S256_CHALLENGE.match(credentials.get("code_challenge") or ""):
            error = InvalidRequestError(
                description="PKCE with code_challenge_method S256 is required: code_challenge "
                "is the base64url SHA-256 of the code verifier, 43 characters.",
                state=credentials.get("state"),
            )
            raise OAuthToolkitError(error=error, redirect_uri=credentials["redirect_uri"])
        return scopes, credentials

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        response = super().render_to_response(context, **kwargs)
        redirect_uri = context.get("redirect_uri") or ""
        parts = urlsplit(redirect_uri)
        if parts.scheme in ("https", "http") and parts.netloc:
            response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
        return response


@require_GET
@studio_page
def connections(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The platforms and backpacks the learner connected, and what each may do."""
    return render(
        request,
        "obapi/connections.html",
        {"connections": services.get_connections(request.user)},
    )


@require_POST
@studio_page
def revoke(request: AuthenticatedHttpRequest, application: int) -> HttpResponse:
    services.revoke_connection(actor=request.user, application_id=application)
    messages.success(
        request, gettext("Disconnected: it can no longer reach your credentials or profile.")
    )
    return redirect("obapi:connections")
