"""Coordinators review erasure requests in the admin: a list, then a review page that erases
(after an explicit confirmation) or declines, always with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import registry, services
from .forms import ErasureReviewForm
from .models import ErasureRequest

PERMISSION = services.HANDLE_ERASURE


@permission_required(PERMISSION, raise_exception=True)
def erasure_index(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ErasureRequest.Status.PENDING)
    requests = ErasureRequest.objects.select_related("user", "handled_by")
    if status in ErasureRequest.Status.values:
        requests = requests.filter(status=status)
    else:
        status = ""
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "privacy/admin/erasure_index.html",
        {"page_obj": page, "status": status, "statuses": ErasureRequest.Status.choices},
    )


@permission_required(PERMISSION, raise_exception=True)
def erasure_review(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = get_object_or_404(ErasureRequest.objects.select_related("user", "handled_by"), pk=pk)
    form = ErasureReviewForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and erasure.status == ErasureRequest.Status.PENDING
        and form.is_valid()
    ):
        try:
            if form.cleaned_data["decision"] == "erase":
                services.erase_person(
                    request=erasure, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("The data of request %(ref)s has been erased.") % {"ref": erasure.reference},
                )
            else:
                services.decline_erasure(
                    request=erasure, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("Request %(ref)s has been declined; the person has been told why.")
                    % {"ref": erasure.reference},
                )
            return redirect("privacy_erasure_index")
        except ValidationError as error:
            form.add_error(None, error)
    return TemplateResponse(
        request,
        "privacy/admin/erasure_review.html",
        {"erasure": erasure, "form": form, "providers": registry.providers()},
    )


@hooks.register("register_admin_urls")
def register_privacy_urls():  # type: ignore[no-untyped-def]
    return [
        path("privacy/erasure/", erasure_index, name="privacy_erasure_index"),
        path("privacy/erasure/<int:pk>/", erasure_review, name="privacy_erasure_review"),
    ]


class ErasureMenuItem(MenuItem):
    def is_shown(self, request):  # type: ignore[no-untyped-def]
        return request.user.has_perm(PERMISSION)


@hooks.register("register_settings_menu_item")
def register_erasure_menu_item():  # type: ignore[no-untyped-def]
    return ErasureMenuItem(
        gettext_lazy("Erasure requests"),
        reverse("privacy_erasure_index"),
        icon_name="bin",
        order=905,
    )
