"""Requests carrying a NUL byte in their address are refused with a 400.

No URL of Parcours contains one, and PostgreSQL refuses NUL in text: such an address would
otherwise reach a database lookup and fail with a server error. Form fields are already
guarded by Django's own validator.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNullBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest("Bad request")
        return self.get_response(request)
