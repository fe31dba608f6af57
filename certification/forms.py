from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificationRules


class PrintedNameForm(forms.Form):
    name = forms.CharField(
        label=_("Your name as it should be printed on your certificates"),
        max_length=200,
        help_text=_("For example with an accent, a second first name or a usual name."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reason is kept with the certificate and shown on its verification page."),
    )


class RulesForm(forms.ModelForm):
    required_block_codes = forms.CharField(
        label=_("Required blocks"),
        required=False,
        help_text=_("Codes separated by commas, e.g. B1, B2, B4. Empty: every block."),
    )

    class Meta:
        model = CertificationRules
        fields = [
            "required_block_codes",
            "total_training_hours",
            "ethics_hours",
            "min_attendance_rate",
            "internship_hours",
            "supervision_hours",
            "validity_months",
            "renewal_hours",
            "renewal_ethics_hours",
            "auto_issue",
            "signatories",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.required_block_codes:
            self.initial["required_block_codes"] = ", ".join(self.instance.required_block_codes)

    def clean_required_block_codes(self) -> list[str]:
        text = self.cleaned_data.get("required_block_codes") or ""
        return [code.strip().upper() for code in text.replace(";", ",").split(",") if code.strip()]


class CertificateFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Certificate.Status.choices
    )
    certification = forms.ChoiceField(label=_("Certification"), required=False)
    q = forms.CharField(label=_("Code, register number or e-mail"), required=False, max_length=200)

    def __init__(self, *args, certifications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].choices = [("", _("All"))] + [
            (str(c.pk), c.title) for c in certifications
        ]
