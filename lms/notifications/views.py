from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import EmailPreferencesForm


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, 20 per page."""
    page = Paginator(selectors.notifications_for(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(
        selectors.notifications_for(user=request.user), pk=notification_id
    )
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # A URL, never a view name: redirect() would try to reverse "-1" and fail.
        return HttpResponseRedirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_unread(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(
        selectors.notifications_for(user=request.user), pk=notification_id
    )
    services.mark_unread(user=request.user, notification_id=notification.pk)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(
        request.POST or None,
        initial={"categories": selectors.enabled_optional_categories(user=request.user)},
    )
    if request.method == "POST" and form.is_valid():
        services.set_email_preferences(user=request.user, enabled=form.cleaned_data["categories"])
        messages.success(request, _("Your email choices have been saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
