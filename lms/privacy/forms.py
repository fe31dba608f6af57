from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureRequestForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account will be closed for good and my data erased."),
        required=True,
        error_messages={"required": _("Please tick the box to confirm your request.")},
    )


class ErasureReviewForm(forms.Form):
    DECISIONS = [
        ("erase", _("Erase this person's data now")),
        ("decline", _("Decline the request")),
    ]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_(
            "Kept with the request. If you decline, the person reads it. Do not write their "
            "name or any detail about them."
        ),
        error_messages={"required": _("Please give a reason.")},
    )
    confirm = forms.BooleanField(
        label=_("I have checked that nothing obliges us to keep this person's file."),
        required=False,
    )

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        if cleaned.get("decision") == "erase" and not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                _("Please confirm that you checked this before erasing: it cannot be undone."),
            )
        return cleaned
