"""Requests carrying a NUL byte in their address or in a posted form field are refused with a 400.

No URL of Parcours contains one, no browser sends one in a form, and PostgreSQL refuses NUL in
text: such a request would otherwise reach a database lookup or write and fail with a server
error. Django's form fields refuse NUL already; this also covers the few views that read a
posted value directly (a cancellation reason, an attendance note). Uploaded files are not
inspected: their bytes are theirs.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, UnreadablePostError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectNullBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return HttpResponseBadRequest("Bad request")
        if request.method == "POST" and request.content_type in FORM_TYPES:
            try:
                fields = request.POST
            except UnreadablePostError:  # the view meets the same error, as it would anyway
                return self.get_response(request)
            if any(
                "\x00" in name or any("\x00" in value for value in values)
                for name, values in fields.lists()
            ):
                return HttpResponseBadRequest("Bad request")
        return self.get_response(request)
