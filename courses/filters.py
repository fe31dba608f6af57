"""The session finder's criteria (django-filter): plain GET parameters, so results are shareable
and the form works without JavaScript."""

from datetime import datetime, time

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Course, Region, Session, SessionLanguage, Venue


def _town_choices() -> list[tuple[str, str]]:
    towns = (
        Venue.objects.filter(
            sessions__status=Session.Status.PUBLISHED, sessions__course__is_published=True
        )
        .order_by("town")
        .values_list("town", flat=True)
        .distinct()
    )
    return [(town, town) for town in towns]


def _start_of_day(value) -> datetime:
    return timezone.make_aware(datetime.combine(value, time.min))


class SessionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        # A longer text is a form error rather than a LIKE pattern SQLite finds too complex.
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. ethics, Liège")}),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region or province"),
        field_name="venue__region",
        choices=Region.choices,
        empty_label=_("All regions"),
    )
    town = django_filters.ChoiceFilter(
        label=_("Town"), field_name="venue__town", choices=_town_choices, empty_label=_("All towns")
    )
    starts_after = django_filters.DateFilter(
        label=_("Starting from"),
        method="filter_starts_after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    starts_before = django_filters.DateFilter(
        label=_("Starting before"),
        method="filter_starts_before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"), choices=Session.Format.choices, widget=forms.CheckboxSelectMultiple
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=SessionLanguage.choices, empty_label=_("All languages")
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        queryset=Course.objects.filter(is_published=True).order_by("title"),
        empty_label=_("All courses"),
    )
    places_left = django_filters.BooleanFilter(
        label=_("Only sessions with places left"),
        method="filter_places_left",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def __init__(self, data=None, queryset: QuerySet[Session] | None = None, **kwargs):
        if queryset is None:
            queryset = selectors.list_sessions_for_catalogue()
        super().__init__(data, queryset=queryset, **kwargs)

    def filter_q(self, queryset, name, value):
        return selectors.search_sessions(queryset, value) if value else queryset

    def filter_starts_after(self, queryset, name, value):
        return queryset.filter(first_starts_at__gte=_start_of_day(value))

    def filter_starts_before(self, queryset, name, value):
        return queryset.filter(first_starts_at__lt=_start_of_day(value))

    def filter_places_left(self, queryset, name, value):
        return queryset.filter(places_left__gt=0) if value else queryset
