"""The report filters (django-filter): period, granularity, region, course.

One FilterSet validates what the coordinator typed (its form) and narrows each section's
queryset (``narrow``): each section says which of its fields carries the date, the region and
the course, and a filter that does not apply to a section is simply not given a field.
"""

from datetime import date, datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils.translation import gettext_lazy as _

from .models import Report
from .registry import ReportFilters, choices_for

GRANULARITIES = [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))]
# The region value of sessions held online (they have no venue, hence no region).
ONLINE = "online"

_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


class ReportFilterSet(django_filters.FilterSet):
    start = django_filters.DateFilter(
        label=_("From"),
        method="filter_start",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = django_filters.DateFilter(
        label=_("Until"),
        method="filter_end",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    granularity = django_filters.ChoiceFilter(
        label=_("Group by"), choices=GRANULARITIES, empty_label=None, method="keep"
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), empty_label=_("All regions"), method="filter_region"
    )
    course = django_filters.ChoiceFilter(
        label=_("Course"), empty_label=_("All courses"), method="filter_course"
    )

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet | None = None,
        *,
        date_field: str | None = None,
        region_field: str | None = None,
        course_field: str | None = None,
        trusted: bool = False,
        **kwargs: Any,
    ) -> None:
        if queryset is None:
            # Only the form is used (the view validates the filters): a queryset that never runs.
            queryset = Report.objects.none()
        super().__init__(data, queryset=queryset, **kwargs)
        self.date_field = date_field
        self.region_field = region_field
        self.course_field = course_field
        if trusted:
            # Filters the view validated already: accept their values without asking the
            # database for the list of courses again (one query fewer per table).
            self.filters["region"].extra["choices"] = [(self.data.get("region", ""), "")]
            self.filters["course"].extra["choices"] = [(self.data.get("course", ""), "")]
        else:
            self.filters["region"].extra["choices"] = [
                *choices_for("region"),
                (ONLINE, _("Online")),
            ]
            self.filters["course"].extra["choices"] = [
                (str(value), label) for value, label in choices_for("course")
            ]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.form.add_error("end", _("The end of the period must come after its start."))
            return False
        return valid

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    def filter_start(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        if not self.date_field:
            return queryset
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def filter_end(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        if not self.date_field:
            return queryset
        return queryset.filter(**{f"{self.date_field}__lte": value})

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not self.region_field:
            return queryset
        if value == ONLINE:
            return queryset.filter(**{f"{self.region_field}__isnull": True})
        return queryset.filter(**{self.region_field: value})

    def filter_course(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not self.course_field:
            return queryset
        return queryset.filter(**{self.course_field: int(value)})

    def to_filters(self) -> ReportFilters:
        """The validated choice as plain values (call after ``is_valid()``)."""
        data = self.form.cleaned_data
        return ReportFilters(
            start=data.get("start"),
            end=data.get("end"),
            granularity=data.get("granularity") or "month",
            region=data.get("region") or "",
            course=int(data["course"]) if data.get("course") else None,
        )


def as_query(filters: ReportFilters) -> dict[str, str]:
    """The filters as GET parameters (for export links and for ``narrow``)."""
    query = {"granularity": filters.granularity}
    if filters.start:
        query["start"] = filters.start.isoformat()
    if filters.end:
        query["end"] = filters.end.isoformat()
    if filters.region:
        query["region"] = filters.region
    if filters.course:
        query["course"] = str(filters.course)
    return query


def narrow(
    queryset: QuerySet,
    filters: ReportFilters,
    *,
    date: str | None = None,
    region: str | None = None,
    course: str | None = None,
) -> QuerySet:
    """``queryset`` narrowed by ``filters``: ``date`` is a lookup giving a date (e.g.
    "requested_at__date"), ``region`` one giving a region code, ``course`` a course id; a filter
    whose field is None does not apply."""
    filterset = ReportFilterSet(
        as_query(filters),
        queryset=queryset,
        date_field=date,
        region_field=region,
        course_field=course,
        trusted=True,
    )
    if not filterset.is_valid():  # The filters were validated by the view already.
        raise ValueError(filterset.errors)
    return filterset.qs


def period_of(field: str, granularity: str) -> Any:
    """A database expression truncating ``field`` to the start of its period."""
    return _TRUNC.get(granularity, TruncMonth)(field)


def period_label(value: date | datetime | None, granularity: str) -> str:
    """'2026-03' for a month, '2026-Q1' for a quarter, '2026' for a year."""
    if value is None:
        return ""
    if granularity == "year":
        return f"{value.year}"
    if granularity == "quarter":
        return f"{value.year}-Q{(value.month - 1) // 3 + 1}"
    return f"{value.year}-{value.month:02d}"
