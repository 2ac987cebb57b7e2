"""Every error under ``/ims/ob/v3p0/`` is an ``Imsx_StatusInfo``, even those no route answered."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from microcred.obapi.api import status_info
from microcred.obapi.services import API_PATH

MINOR_BY_STATUS = {404: "not_found", 405: "not_allowed"}


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
        minor = MINOR_BY_STATUS.get(
            status, "internal_server_error" if status >= 500 else "invalid_data"
        )
        description = (
            f"{request.method} is not allowed on {request.path}; it takes {response['Allow']}."
            if status == 405 and "Allow" in response
            else f"Nothing at {request.path}."
            if status == 404
            else "The request could not be answered."
        )
        replaced = status_info(status, minor, description)
        if "Allow" in response:
            replaced["Allow"] = response["Allow"]
        return replaced
