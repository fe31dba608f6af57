"""Coordinators see background tasks that failed for good and can run them again."""

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
from .models import FailedTask

PERMISSION = "core.view_failedtask"


@permission_required(PERMISSION, raise_exception=True)
def failed_task_index(request: HttpRequest) -> HttpResponse:
    show = "retried" if request.GET.get("show") == "retried" else "waiting"
    queryset = FailedTask.objects.filter(retried_at__isnull=(show == "waiting")).select_related(
        "retried_by"
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request, "core/admin/failed_tasks.html", {"page_obj": page, "show": show}
    )


@permission_required("core.change_failedtask", raise_exception=True)
@require_POST
def failed_task_retry(request: HttpRequest, failed_id: int) -> HttpResponse:
    try:
        outcome = services.retry_failed_task(failed_id=failed_id, by=request.user)
    except services.NothingToRetry:
        messages.warning(request, _("This task was already sent again: nothing to do."))
        return redirect("core_failed_tasks")
    if outcome is services.RetryOutcome.SENT:
        messages.success(request, _("The task was sent again; it runs in a moment."))
    elif outcome is services.RetryOutcome.FAILED_AGAIN:
        messages.error(
            request,
            _(
                "The task ran again and failed again: it stays in the list. Check what it "
                "depends on (a service, a file) before trying again."
            ),
        )
    else:
        messages.error(
            request,
            _(
                "The task could not be sent: the task queue cannot be reached. It stays in the "
                "list; try again in a few minutes."
            ),
        )
    return redirect("core_failed_tasks")


@hooks.register("register_admin_urls")
def register_failed_task_urls():
    return [
        path("taches-echouees/", failed_task_index, name="core_failed_tasks"),
        path(
            "taches-echouees/<int:failed_id>/relancer/",
            failed_task_retry,
            name="core_failed_task_retry",
        ),
    ]


class FailedTaskMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_failed_task_menu_item():
    return FailedTaskMenuItem(
        gettext_lazy("Failed tasks"), reverse("core_failed_tasks"), icon_name="warning", order=910
    )
