"""Trainee-facing views: my certificates, downloads, transcript, printed name."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.accounts.models import User

from . import pdf, selectors, services
from .forms import PrintedNameForm
from .models import Certificate, Certification

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    # Every view here is behind login_required, so the user is a real account.
    assert isinstance(request.user, User)  # noqa: S101
    return request.user


@login_required
def my_certificates(request: HttpRequest) -> HttpResponse:
    """The person's certificates (download, share link) and the eligibility checklists."""
    return render(
        request,
        "certification/my_certificates.html",
        {
            "certificates": selectors.certificates_for_holder(_user(request)),
            "checklists": selectors.checklists_for_person(_user(request)),
            "printed_name": services.printed_name_for(_user(request)),
        },
    )


@login_required
def download_certificate(request: HttpRequest, code: str) -> FileResponse:
    """Stream the stored PDF, byte for byte (rendered once, synchronously, if still missing)."""
    try:
        certificate = selectors.get_certificate_for_download(_user(request), code)
    except Certificate.DoesNotExist:
        raise Http404 from None
    storage = storages["private"]
    if not certificate.pdf_name or not storage.exists(certificate.pdf_name):
        if certificate.pdf_name:
            # The stored file was lost: the new rendering gets a new SHA-256. Say so loudly.
            logger.warning(
                "Certificate %s PDF missing from storage; rendering again", certificate.pk
            )
        certificate = services.render_certificate_pdf(certificate=certificate)
    response = FileResponse(
        storage.open(certificate.pdf_name, "rb"),
        as_attachment=True,
        filename=f"certificat-{certificate.code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download_transcript(request: HttpRequest, certification_code: str) -> HttpResponse:
    """The signed-in person's competency transcript for one certification (PDF)."""
    certification = get_object_or_404(Certification, code=certification_code)
    holdings = selectors.holdings_for_person(_user(request), certification.framework_code)
    content = pdf.transcript_pdf(
        person_name=services.printed_name_for(_user(request)),
        certification=certification,
        holdings=holdings,
        language=request.LANGUAGE_CODE,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="releve-{certification.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def printed_name(request: HttpRequest) -> HttpResponse:
    """Let a person choose how their name is printed on future certificates."""
    form = PrintedNameForm(
        request.POST or None, initial={"name": services.printed_name_for(_user(request))}
    )
    if request.method == "POST" and form.is_valid():
        services.set_printed_name(person=_user(request), name=form.cleaned_data["name"])
        messages.success(request, _("Saved. Your next certificates will show your name this way."))
        return redirect("certification:my-certificates")
    return render(request, "certification/printed_name.html", {"form": form})
