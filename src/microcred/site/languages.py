"""Which language a request is answered in.

Pages follow the visitor: the language chosen with the footer's switcher, else the browser's
``Accept-Language``. The APIs do not: their messages, error texts and choice labels are part
of a contract that programs read, so they answer in English whatever the client asks for.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# The roots of the machine interfaces: the REST API and its documentation, the Open Badges
# API, its OAuth endpoints, the wallet protocols (VC API exchanges, OpenID for VC Issuance)
# and the well-known documents.
MACHINE_PATHS = (
    "/api/",
    "/ims/",
    "/oauth/",
    "/workflows/",
    "/interactions/",
    "/oid4vci/",
    "/.well-known/",
)
# Pages a person reads under those roots: the learner's consent to a connecting application.
PAGES_UNDER_MACHINE_PATHS = ("/oauth/authorize",)


class InterfaceLanguage(LocaleMiddleware):
    """Django's locale middleware for pages; English for the machine interfaces."""

    def process_request(self, request: HttpRequest) -> None:
        path = request.path_info
        if path.startswith(MACHINE_PATHS) and not path.startswith(PAGES_UNDER_MACHINE_PATHS):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)
