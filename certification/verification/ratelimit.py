"""A small fixed-window rate limit per client IP (or per API key) kept in Django's cache.

In production the cache must be shared by every process (CACHE_URL, e.g. Redis), otherwise
each process counts on its own.
"""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

DEFAULT_LIMITS = {"page": 30, "api": 60, "bulk": 10}  # requests per minute
WINDOW = 60


def limit_for(scope: str) -> int:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "VERIFICATION_RATE_LIMITS", {})}
    return int(limits[scope])


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For can be forged unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, identity: str) -> bool:
    """Count one request; False when the limit for this window is exceeded."""
    window = int(time.time() // WINDOW)
    key = f"verification-rl:{scope}:{identity}:{window}"
    cache.add(key, 0, timeout=WINDOW + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW + 5)
        count = 1
    return count <= limit_for(scope)


def too_many_requests(request: HttpRequest, *, json: bool) -> HttpResponse:
    message = _(
        "You have made many checks in a short time. Please wait a minute, then try again. "
        "For many certificates at once, partners can ask us for an API key."
    )
    if json:
        response: HttpResponse = JsonResponse(
            {"error": message, "code": "rate_limited"}, status=429
        )
    else:
        with translation.override(translation.get_language_from_request(request, check_path=False)):
            response = render(
                request, "verification/rate_limited.html", {"message": message}, status=429
            )
    response["Retry-After"] = str(WINDOW)
    return response


def rate_limited(scope: str, *, json: bool) -> Callable:
    """Decorate a view: at most limit_for(scope) requests a minute from one IP address."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not hit(scope, client_ip(request)):
                return too_many_requests(request, json=json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
