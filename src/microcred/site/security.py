"""The Content-Security-Policy of every response: one for pages, one for everything else.

HTML pages get the policy of ``settings.CONTENT_SECURITY_POLICY`` (django-csp):
script only from the site's static files. Everything else the site answers is
data or a file that may come from a user (a designer's badge image, a baked SVG
credential, a learner's evidence, a JSON document): it gets
:data:`USER_CONTENT_POLICY`, so that opened on its own it runs no script, loads
nothing and is treated as coming from a unique origin, whatever is inside it.
"""

from __future__ import annotations

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from django.http import HttpRequest
from django.http.response import HttpResponseBase

USER_CONTENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the sandbox policy for every response that is not HTML.

    A view may still set its own ``Content-Security-Policy``; it is kept.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if HEADER not in response and not is_html(response):
            response[HEADER] = USER_CONTENT_POLICY
        return super().process_response(request, response)


def is_html(response: HttpResponseBase) -> bool:
    """Whether the response is a page (``text/html``), by its Content-Type."""
    media_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    return media_type in ("text/html", "application/xhtml+xml")
