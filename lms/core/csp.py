"""Two Content Security Policies: the strict one of the site, a looser one for the Wagtail admin.

django-csp applies one policy (``CONTENT_SECURITY_POLICY``); its middleware is meant to be
extended through ``get_policy_parts``. Wagtail's admin still writes inline scripts (date
pickers, inline panels) and styles, so under ``/admin/`` the admin policy
(``ADMIN_CONTENT_SECURITY_POLICY``) allows inline code, but keeps what protects it most:
no plugins, no ``<base>`` hijack, forms posted to us only, and no framing (except Wagtail's
preview, framed by the editor on our own origin).
"""

from typing import Any

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"


def admin_directives(response: HttpResponseBase) -> dict[str, Any]:
    directives = dict(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
    if response.get("X-Frame-Options") == "SAMEORIGIN":
        # Wagtail's preview is shown in an iframe of the editor (it marks its responses
        # SAMEORIGIN); every other admin page stays unframeable.
        directives["frame-ancestors"] = ["'self'"]
    return directives


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        if getattr(request, "is_preview", False):
            # Wagtail renders a page preview through the whole middleware chain with a dummy
            # request for the page's public address: the page keeps the site's policy, but the
            # editor shows it in an iframe of the admin, so our own origin may frame it.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        # A view's own @csp decorator (parts.config) still wins.
        elif parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = admin_directives(response)
        return parts
