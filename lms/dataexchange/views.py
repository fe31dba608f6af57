"""Coordinators' import and export screens in the Wagtail admin: thin views over services."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import registry, selectors, services
from .files import CONTENT_TYPES, FORMATS, FileRefused
from .models import ImportJob

PREVIEW_KINDS = [
    ("new", gettext_lazy("New")),
    ("updated", gettext_lazy("Updated")),
    ("unchanged", gettext_lazy("Unchanged")),
    ("skipped", gettext_lazy("Skipped")),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy(
            "CSV, XLSX (Excel) or JSON, with the column names on the first line."
        ),
    )
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[("", gettext_lazy("From the file name")), *ImportJob.Format.choices],
    )


def _exchange(request: HttpRequest, name: str, action: str = "import") -> registry.Exchange:
    if name not in registry.names():
        raise Http404
    try:
        return services.get_exchange(name, actor=request.user, action=action)
    except services.ImportRefused:
        raise PermissionDenied from None


def _download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def index(request: HttpRequest) -> HttpResponse:
    exchanges = selectors.exchanges_for(request.user)
    if not exchanges:
        raise PermissionDenied
    page = Paginator(selectors.jobs_for(request.user), 20).get_page(request.GET.get("page"))
    labels = {exchange.name: exchange.label for exchange in exchanges}
    for job in page:
        job.dataset_label = labels.get(job.exchange, job.exchange)
    return TemplateResponse(
        request,
        "dataexchange/admin/index.html",
        {"exchanges": exchanges, "page_obj": page, "formats": FORMATS},
    )


def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    exchange = _exchange(request, name, "export")
    if fmt not in FORMATS:
        raise Http404
    content, filename = services.export_file(name=exchange.name, fmt=fmt, actor=request.user)
    return _download(content, filename, fmt)


def template(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    exchange = _exchange(request, name)
    if fmt not in FORMATS:
        raise Http404
    content, filename = services.template_file(name=exchange.name, fmt=fmt)
    return _download(content, filename, fmt)


def upload(request: HttpRequest, name: str) -> HttpResponse:
    exchange = _exchange(request, name)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            job = services.create_import_job(
                name=exchange.name,
                filename=upload_file.name or "import",
                content=upload_file.read(services.max_upload_bytes() + 1),
                actor=request.user,
                fmt=form.cleaned_data["file_format"] or None,
            )
        except (FileRefused, services.ImportRefused) as refused:
            form.add_error("file", str(refused))
        else:
            services.start_check(job=job)
            return redirect("dataexchange_job", job.pk)
    return TemplateResponse(
        request,
        "dataexchange/admin/upload.html",
        {"exchange": exchange, "form": form, "threshold": services.background_threshold()},
    )


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_job_for_user(request.user, pk)
    show = request.GET.get("show") or "new"
    rows = [row for row in job.preview_rows if row.get("type") == show]
    return TemplateResponse(
        request,
        "dataexchange/admin/job.html",
        {
            "job": job,
            "exchange": registry.get(job.exchange),
            "processed": services.job_progress(job),
            "show": show,
            "kinds": [
                (kind, label, getattr(job, f"{kind}_count")) for kind, label in PREVIEW_KINDS
            ],
            "rows_page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "errors_page": Paginator(job.row_errors, 100).get_page(request.GET.get("errors")),
        },
    )


def job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    job = selectors.get_job_for_user(request.user, pk)
    processed = services.job_progress(job)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "running": job.is_running,
            "processed": processed,
            "total": job.total_rows,
            "percent": round(100 * processed / job.total_rows) if job.total_rows else 0,
        },
        headers={"Cache-Control": "no-store"},
    )


@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_job_for_user(request.user, pk)
    try:
        job = services.confirm_import_job(job=job, actor=request.user)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
    else:
        if job.status == ImportJob.Status.DONE:
            messages.success(request, _("The file is imported."))
        elif job.status == ImportJob.Status.FAILED:
            messages.error(request, _("Nothing was imported: see the errors below."))
    return redirect("dataexchange_job", job.pk)


@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_job_for_user(request.user, pk)
    try:
        services.cancel_import_job(job=job, actor=request.user)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
        return redirect("dataexchange_job", job.pk)
    messages.success(
        request, _("The import is cancelled and the file deleted. Nothing was written.")
    )
    return redirect("dataexchange_index")


def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = selectors.get_job_for_user(request.user, pk)
    if job.file_deleted_at is not None or not services.storage().exists(job.stored_name):
        raise Http404
    services.record_job_file_download(job=job, actor=request.user)
    return FileResponse(
        services.storage().open(job.stored_name, "rb"),
        as_attachment=True,
        filename=job.original_name,
        content_type=CONTENT_TYPES[job.file_format],
    )
