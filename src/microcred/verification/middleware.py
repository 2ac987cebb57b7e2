"""Answer an oversized /verify submission on the page itself, with the limit in its words.

Django refuses a request body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` as soon as
something reads the form (the CSRF check does, before any view runs) and
answers a bare "Bad Request (400)". For /verify the form is read here first,
so that a visitor who pasted too much learns the limit instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from microcred.verification import views


class VerifySizeLimit:
    """Read a POST to /verify under Django's limits; answer the page with the limit if too big.

    Install before ``CsrfViewMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("verification:verify"):
            try:
                request.POST  # noqa: B018 - parsing is what may raise
            except RequestDataTooBig:
                return views.too_large(request)
        return self.get_response(request)
