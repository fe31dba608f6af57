import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

# Long enough for any action, email or id; a longer text is a form error, not a LIKE pattern
# SQLite refuses as too complex.
MAX_TERM = 200


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        label=_("Action"), lookup_expr="startswith", max_length=MAX_TERM
    )
    actor = django_filters.CharFilter(
        label=_("Who (email)"),
        field_name="actor__email",
        lookup_expr="icontains",
        max_length=MAX_TERM,
    )
    target_type = django_filters.CharFilter(
        label=_("Record type"), lookup_expr="exact", max_length=MAX_TERM
    )
    target_id = django_filters.CharFilter(
        label=_("Record id"), lookup_expr="exact", max_length=MAX_TERM
    )
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="occurred_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="occurred_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
