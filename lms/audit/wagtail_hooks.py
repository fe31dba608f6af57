"""Coordinators search the audit trail in the admin. It is read-only: no view edits it."""

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .filters import AuditEventFilter
from .models import AuditEvent

PERMISSION = "audit.view_auditevent"


@permission_required(PERMISSION, raise_exception=True)
def audit_index(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor").only(
        "occurred_at", "action", "target_type", "target_id", "summary", "data", "actor__email"
    )
    filterset = AuditEventFilter(request.GET or None, queryset=events)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "audit/admin/audit_index.html",
        {"filter": filterset, "page_obj": page, "query_string": query.urlencode()},
    )


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", audit_index, name="audit_index")]


class AuditMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_audit_menu_item():
    return AuditMenuItem(
        gettext_lazy("Audit trail"), reverse("audit_index"), icon_name="history", order=910
    )
