from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Language, User


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth adds email and password)."""

    display_name = forms.CharField(
        label=_("What should we call you?"),
        max_length=150,
        required=False,
        help_text=_("Optional. A first name or a nickname is enough."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for our messages"), choices=Language.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = (get_language() or "fr")[:2]
        self.fields["preferred_language"].initial = (
            current if current in Language.values else Language.FRENCH
        )

    def signup(self, request, user: User) -> None:
        services.complete_signup(
            user=user,
            display_name=self.cleaned_data.get("display_name", ""),
            preferred_language=self.cleaned_data["preferred_language"],
        )


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("What should we call you?"), max_length=150, required=False
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for our messages"), choices=Language.choices
    )
