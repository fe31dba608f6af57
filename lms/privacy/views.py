"""The privacy page, and "My data": download my data, my consents, ask for erasure."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import registry, services
from .forms import ErasureRequestForm
from .models import PRIVACY_NOTICE_VERSION, ConsentRecord, DataExport, ErasureRequest


def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice in plain language: what we keep, why, how long, your rights."""
    sections = [
        {"label": provider.label, "items": provider.declares}
        for provider in registry.providers()
        if provider.declares
    ]
    return render(
        request,
        "privacy/notice.html",
        {
            "sections": sections,
            "version": PRIVACY_NOTICE_VERSION,
            "export_days": services.export_days(),
            "vae_retention_days": int(getattr(settings, "VAE_RETENTION_DAYS", 730)),
        },
    )


@login_required
@never_cache
def my_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    exports = list(DataExport.objects.filter(user=user)[:5])
    links = {e.pk: services.export_link_token(e) for e in exports if e.downloadable}
    return render(
        request,
        "privacy/my_data.html",
        {
            "exports": [(e, links.get(e.pk)) for e in exports],
            "export_pending": any(e.status == DataExport.Status.PENDING for e in exports),
            "consents": ConsentRecord.objects.filter(user=user),
            "erasure": ErasureRequest.objects.filter(
                user=user, status=ErasureRequest.Status.PENDING
            ).first(),
            "last_erasure": ErasureRequest.objects.filter(user=user)
            .exclude(status=ErasureRequest.Status.PENDING)
            .first(),
            "export_days": services.export_days(),
        },
    )


@login_required
@require_POST
def request_export(request: HttpRequest) -> HttpResponse:
    services.request_data_export(user=request.user)
    messages.success(
        request,
        _(
            "We are preparing your data. You will receive a notification and an email with a "
            "download link as soon as it is ready, usually within a few minutes."
        ),
    )
    return redirect("privacy:my-data")


@login_required
@never_cache
def download_export(request: HttpRequest, token: str) -> HttpResponse:
    """Serve an archive to its owner only, through a signed link that expires."""
    export_id = services.export_from_token(token)
    if export_id is None:
        messages.error(
            request,
            _("This download link is no longer valid. You can ask for a new archive below."),
        )
        return redirect("privacy:my-data")
    export = get_object_or_404(DataExport, pk=export_id, user=request.user)
    if not export.downloadable:
        messages.error(
            request,
            _("This archive has expired and was deleted. You can ask for a new one below."),
        )
        return redirect("privacy:my-data")
    try:
        handle = services.storage().open(export.file_name, "rb")
    except OSError as exc:
        raise Http404 from exc
    services.record_export_download(export=export, by=request.user)
    filename = f"parcours-my-data-{timezone.localdate(export.ready_at):%Y-%m-%d}.zip"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def withdraw_consent(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(ConsentRecord, pk=pk, user=request.user)
    services.withdraw_consent(consent=consent, by=request.user)
    messages.success(request, _("Your consent has been withdrawn."))
    return redirect("privacy:my-data")


@login_required
@require_http_methods(["GET", "POST"])
def request_erasure(request: HttpRequest) -> HttpResponse:
    """Confirmation page, then the request (a coordinator reviews it)."""
    form = ErasureRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.request_erasure(user=request.user)
        messages.success(
            request,
            _(
                "Your request has been sent. A coordinator will review it, usually within a "
                "few days, and at the latest within a month. You can still cancel it here "
                "until then."
            ),
        )
        return redirect("privacy:my-data")
    return render(
        request,
        "privacy/erasure_confirm.html",
        {"form": form, "sections": registry.providers()},
    )


@login_required
@require_POST
def cancel_erasure(request: HttpRequest) -> HttpResponse:
    if services.cancel_erasure_request(user=request.user):
        messages.success(request, _("Your erasure request has been cancelled."))
    else:
        messages.info(request, _("There was no erasure request waiting to be cancelled."))
    return redirect("privacy:my-data")
