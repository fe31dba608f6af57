from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OPTIONAL_CATEGORIES


class EmailPreferencesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Optional emails I want to receive"),
        choices=[(category.value, category.label) for category in OPTIONAL_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Essential emails (your account, enrolments, certificates and VAE file) are always "
            "sent. Every message also stays in your notification list."
        ),
    )
