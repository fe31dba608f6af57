"""VAE figures for the coordinators' reports, and the VAE rows of the research export.

Definitions (also in the README):

- **Candidacies per status**: candidacies opened (created) in the period, by their status today.
- **Jury decisions**: final decisions (not superseded by an appeal) signed in the period, by
  overall result (full, partial, no award, candidate absent).
- **Blocks awarded**: in those final decisions, for each competency block, how many outcomes
  were "acquired" and how many "not acquired".

The course filter keeps candidacies targeting the certification the course leads to; VAE has no
region, so the region filter does not apply here.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import Certificate
from lms.reports.filters import narrow, period_label
from lms.reports.registry import ReportFilters, Section, Table, shared

from .models import BlockOutcome, Candidacy, JuryDecision

NO_REGION = _("VAE files have no region: the region filter does not apply to this table.")


def candidacies(filters: ReportFilters) -> QuerySet[Candidacy]:
    return narrow(
        Candidacy.objects.all(),
        filters,
        date="created_at__date",
        course="certification__courses",
    )


def final_decisions(filters: ReportFilters) -> QuerySet[JuryDecision]:
    """Decisions signed in the period that no appeal decision superseded."""
    return narrow(
        JuryDecision.objects.filter(superseded_by__isnull=True),
        filters,
        date="decided_at__date",
        course="candidacy__certification__courses",
    )


def _counts(filters: ReportFilters) -> dict[str, dict[str, int]]:
    """Candidacies per status and final decisions per overall result, in one query (UNION ALL)
    shared by the two tables of the page."""

    def compute() -> dict[str, dict[str, int]]:
        statuses = (
            candidacies(filters)
            .order_by()
            .values(key=F("status"))
            .annotate(n=Count("pk"), kind=Value("status"))
        )
        overall = (
            final_decisions(filters)
            .order_by()
            .values(key=F("overall"))
            .annotate(n=Count("pk"), kind=Value("overall"))
        )
        counts: dict[str, dict[str, int]] = {"status": {}, "overall": {}}
        for row in statuses.union(overall, all=True):
            counts[row["kind"]][row["key"]] = row["n"]
        return counts

    return shared(("vae_counts", filters), compute)


def _per_status(filters: ReportFilters) -> Table:
    counts = _counts(filters)["status"]
    rows = [
        [label, counts[value]] for value, label in Candidacy.Status.choices if counts.get(value)
    ]
    return Table(
        key="vae_status",
        title=_("VAE candidacies per status"),
        explanation=_("Candidacies opened during the period, grouped by where they stand today."),
        columns=[_("Status"), _("Candidacies")],
        rows=rows,
        total=[_("All"), sum(counts.values())] if rows else None,
        note=NO_REGION,
    )


def _decisions(filters: ReportFilters) -> Table:
    counts = _counts(filters)["overall"]
    rows = [
        [label, counts[value]] for value, label in JuryDecision.Overall.choices if counts.get(value)
    ]
    return Table(
        key="vae_decisions",
        title=_("VAE jury decisions"),
        explanation=_(
            "Final jury decisions signed during the period (a decision replaced after an appeal "
            "counts only once, as its final version), by overall result."
        ),
        columns=[_("Result"), _("Decisions")],
        rows=rows,
        total=[_("All"), sum(counts.values())] if rows else None,
        note=NO_REGION,
    )


def _blocks(filters: ReportFilters) -> Table:
    outcomes = (
        BlockOutcome.objects.filter(decision__in=final_decisions(filters).values("pk"))
        .values(code=F("block__code"), title=F("block__title"))
        .annotate(
            awarded=Count("pk", filter=Q(acquired=True)),
            not_awarded=Count("pk", filter=Q(acquired=False)),
        )
        .order_by("code")
    )
    rows = [
        [f"{row['code']} {row['title']}", row["awarded"], row["not_awarded"]] for row in outcomes
    ]
    return Table(
        key="vae_blocks",
        title=_("Competency blocks awarded through VAE"),
        explanation=_(
            "In the final jury decisions of the period, how many times each block was judged "
            "acquired or not yet acquired."
        ),
        columns=[_("Block"), _("Acquired"), _("Not acquired")],
        rows=rows,
        chart_columns=(1, 2),
        note=NO_REGION,
    )


SECTION = Section(
    key="vae",
    title=_("Validation of prior experience (VAE)"),
    build=lambda filters: [_per_status(filters), _decisions(filters), _blocks(filters)],
    order=50,
)


def research_rows() -> Iterable[dict[str, Any]]:
    """One row per candidacy (drafts excluded: nothing was asked yet)."""
    holds = Certificate.objects.filter(
        holder=OuterRef("candidate"), certification=OuterRef("certification")
    ).exclude(status=Certificate.Status.REVOKED)
    rows = (
        Candidacy.objects.exclude(status=Candidacy.Status.DRAFT)
        .annotate(
            month=TruncMonth("created_at"),
            decided=Exists(JuryDecision.objects.filter(candidacy=OuterRef("pk"))),
            is_certified=Exists(holds),
        )
        .values(
            "candidate_id",
            "status",
            "month",
            "decided",
            "is_certified",
            certification_code=F("certification__code"),
        )
        .order_by()
    )
    for row in rows:
        month = timezone.localtime(row["month"]) if row["month"] else None
        yield {
            "person": row["candidate_id"],
            "route": "vae",
            "region": "",
            "course": "",
            "certification": row["certification_code"],
            "month": period_label(month, "month"),
            "status": row["status"],
            "attended_hours": "",
            "assessed": "yes" if row["decided"] else "no",
            "certified": "yes" if row["is_certified"] else "no",
        }
