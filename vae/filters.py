"""Filters of the staff candidacy list (django-filter, plain GET parameters)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from certification.models import Certification

from .forms import assessors
from .models import Candidacy


class CandidacyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Candidacy.Status.choices)
    certification = django_filters.ModelChoiceFilter(
        label=_("Certification"), queryset=Certification.objects.order_by("title")
    )
    counsellor = django_filters.ModelChoiceFilter(label=_("Counsellor"), queryset=assessors())

    class Meta:
        model = Candidacy
        fields = ["status", "certification", "counsellor"]
