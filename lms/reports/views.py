"""The Reports page of the admin, its table downloads and the research export (thin views)."""

from typing import cast

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from lms.accounts.models import User

from . import charts, registry
from .exports import csv_bytes, file_response, xlsx_bytes
from .filters import ReportFilterSet, as_query
from .research import export_research_dataset, k_threshold

VIEW = "reports.view_reports"
RESEARCH = "reports.export_research"
FORMATS = ("csv", "xlsx")


def _filterset(request: HttpRequest) -> ReportFilterSet:
    return ReportFilterSet(request.GET or {"granularity": "month"})


@require_GET
@permission_required(VIEW, raise_exception=True)
def report_index(request: HttpRequest) -> HttpResponse:
    with registry.one_page():
        return _report_index(request)


def _report_index(request: HttpRequest, *, download_refused: bool = False) -> HttpResponse:
    filterset = _filterset(request)
    sections = []
    query = ""
    if filterset.is_valid():
        filters = filterset.to_filters()
        query = urlencode(as_query(filters))
        for section in registry.sections():
            tables = []
            for table in section.build(filters):
                chart_id = f"chart-{section.key}-{table.key}".replace("_", "-")
                tables.append(
                    {
                        "table": table,
                        "chart": None
                        if table.is_empty
                        else charts.bar_chart(table, chart_id=chart_id),
                        "rows": [[charts.display(v) for v in row] for row in table.rows],
                        "total": [charts.display(v) for v in table.total] if table.total else None,
                        "csv": reverse("reports_table", args=[section.key, table.key, "csv"]),
                        "xlsx": reverse("reports_table", args=[section.key, table.key, "xlsx"]),
                    }
                )
            sections.append({"section": section, "tables": tables})
    return TemplateResponse(
        request,
        "reports/admin/index.html",
        {
            "filter": filterset,
            "sections": sections,
            "query": query,
            "can_export_research": request.user.has_perm(RESEARCH),
            "k": k_threshold(),
            "download_refused": download_refused,
        },
        status=400 if download_refused else 200,
    )


@require_GET
@permission_required(VIEW, raise_exception=True)
def report_table(request: HttpRequest, section: str, table: str, fmt: str) -> HttpResponse:
    with registry.one_page():
        return _report_table(request, section, table, fmt)


def _report_table(request: HttpRequest, section: str, table: str, fmt: str) -> HttpResponse:
    found = registry.get_section(section)
    if found is None or fmt not in FORMATS:
        raise Http404
    filterset = _filterset(request)
    if not filterset.is_valid():
        # A link with filters that no longer hold (a course deleted, dates typed by hand): the
        # Reports page with the form's errors, rather than "not found".
        return _report_index(request, download_refused=True)
    tables = {t.key: t for t in found.build(filterset.to_filters())}
    if table not in tables:
        raise Http404
    chosen = tables[table]
    rows = list(chosen.rows) + ([chosen.total] if chosen.total else [])
    filename = f"{slugify(str(chosen.title))[:60]}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        content = xlsx_bytes(chosen.columns, rows, sheet=str(chosen.title))
    else:
        content = csv_bytes(chosen.columns, rows)
    return file_response(content, filename=filename, fmt=fmt)


@require_POST
@permission_required(RESEARCH, raise_exception=True)
def research_export(request: HttpRequest) -> HttpResponse:
    fmt = request.POST.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    by = cast(User, request.user)  # permission_required let only a signed-in person through
    content, _dataset = export_research_dataset(by=by, fmt=fmt, channel="admin")
    return file_response(
        content, filename=f"parcours-research-{timezone.localdate():%Y-%m}", fmt=fmt
    )
