"""Every error under ``/ims/ob/v3p0/`` is an ``Imsx_StatusInfo``, even those no route answered."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from microcred.obapi.api import status_info
from microcred.obapi.services import API_PATH


class ImsxErrors:
    """Middleware: answer an unknown path (404), a method a route does not take (405) or a
    crash (500) under the Open Badges API in the spec's error shape instead of an HTML page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path_info.startswith(API_PATH + "/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        if status == 404:
            minor, description = "not_found", f"Nothing at {request.path}."
        elif status == 405:
            allowed = response.get("Allow", "")
            minor = "not_allowed"
            description = f"{request.method} is not allowed on {request.path}; it takes {allowed}."
        elif status >= 500:
            minor, description = "internal_server_error", "Something went wrong on our side."
        else:
            minor, description = "invalid_data", "The request could not be answered."
        replaced = status_info(status, minor, description)
        if "Allow" in response:
            replaced["Allow"] = response["Allow"]
        return replaced
