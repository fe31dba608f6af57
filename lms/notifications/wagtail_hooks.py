"""Coordinators see emails that could not be sent and can try them again."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import services
from .models import OutboxEmail

PERMISSION = "notifications.view_outboxemail"


@permission_required(PERMISSION, raise_exception=True)
def outbox_index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or OutboxEmail.Status.FAILED
    queryset = OutboxEmail.objects.filter(status=status).only(
        "pk",
        "event",
        "subject",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "language",
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "notifications/admin/outbox_index.html",
        {"page_obj": page, "status": status, "statuses": OutboxEmail.Status.choices},
    )


@permission_required(PERMISSION, raise_exception=True)
@require_POST
def outbox_retry(request: HttpRequest, outbox_id: int) -> HttpResponse:
    if services.retry_outbox_email(outbox_id=outbox_id):
        messages.success(request, _("The email will be sent again in a moment."))
    else:
        messages.warning(request, _("This email is not failed any more: nothing to retry."))
    return redirect("notifications_outbox")


@hooks.register("register_admin_urls")
def register_outbox_urls():
    return [
        path("emails/", outbox_index, name="notifications_outbox"),
        path("emails/<int:outbox_id>/retry/", outbox_retry, name="notifications_outbox_retry"),
    ]


class OutboxMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_outbox_menu_item():
    return OutboxMenuItem(
        gettext_lazy("Outgoing emails"),
        reverse("notifications_outbox"),
        icon_name="mail",
        order=900,
    )
