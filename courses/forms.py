"""Forms for the coordinators' actions in the Wagtail admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Session, Venue


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Kept in the history; the trainee reads it in the email."),
    )


class DuplicateSessionForm(forms.Form):
    code = forms.SlugField(label=_("Reference of the new session"), max_length=60)
    session_format = forms.ChoiceField(label=_("Format"), choices=Session.Format.choices)
    venue = forms.ModelChoiceField(
        label=_("Venue"), queryset=Venue.objects.order_by("town", "name"), required=False
    )
    shift_days = forms.IntegerField(
        label=_("Move the dates by (days)"),
        initial=0,
        min_value=-365,
        max_value=730,
        help_text=_("0 keeps the same dates; 7 moves every meeting one week later."),
    )


class ReserveSeatsForm(forms.Form):
    organisation = forms.CharField(label=_("Partner organisation"), max_length=200)
    seats = forms.IntegerField(label=_("Places"), min_value=1, max_value=500)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class WaitingListForm(forms.Form):
    """One position field per person waiting, plus the reason for the change."""

    reason = forms.CharField(
        label=_("Why does the order change?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args, waiting=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.waiting = list(waiting)
        for rank, enrolment in enumerate(self.waiting, start=1):
            self.fields[f"position_{enrolment.pk}"] = forms.IntegerField(
                label=str(enrolment.trainee), initial=rank, min_value=1
            )

    def ordered_ids(self) -> list[int]:
        """Enrolment ids sorted by the new positions (ties keep the current order)."""
        keyed = [
            (self.cleaned_data[f"position_{e.pk}"], rank, e.pk)
            for rank, e in enumerate(self.waiting)
        ]
        return [pk for _position, _rank, pk in sorted(keyed)]
