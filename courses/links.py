"""Public addresses of sessions.

The session pages are served by Wagtail (cms_pages, a higher app), so courses cannot import them:
cms_pages registers a function here that returns a session's page address.
"""

from collections.abc import Callable

from django.conf import settings
from django.urls import reverse

from .models import Session

SessionUrl = Callable[[Session], str | None]
_resolvers: list[SessionUrl] = []


def register_session_url(resolver: SessionUrl) -> SessionUrl:
    if resolver not in _resolvers:
        _resolvers.append(resolver)
    return resolver


def session_page_path(session: Session) -> str | None:
    """The session's public page path, or None when no catalogue page serves it."""
    for resolver in _resolvers:
        path = resolver(session)
        if path:
            return path
    return None


def session_absolute_url(session: Session) -> str:
    """A full address for emails and calendar files (stable: it redirects to the page)."""
    return settings.SITE_URL + reverse("courses:session", args=[session.pk])
