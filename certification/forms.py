from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificationRules, CompetencyBlock, LedgerEntry


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


class RecordAcquisitionForm(forms.Form):
    """A coordinator's decision or a recognised prior certificate, for one block."""

    block = forms.ModelChoiceField(label=_("Block"), queryset=CompetencyBlock.objects.none())
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (
                LedgerEntry.Source.COORDINATOR_DECISION,
                LedgerEntry.Source.COORDINATOR_DECISION.label,
            ),
            (LedgerEntry.Source.PRIOR_CERTIFICATE, LedgerEntry.Source.PRIOR_CERTIFICATE.label),
        ],
    )
    source_reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=100,
        help_text=_("For example the number of the prior certificate."),
    )
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3})
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, blocks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if blocks is not None:
            self.fields["block"].queryset = blocks


class RecordHoursForm(forms.Form):
    hours_kind = forms.ChoiceField(label=_("Kind of hours"), choices=LedgerEntry.HoursKind.choices)
    hours = forms.DecimalField(label=_("Hours"), min_value=0.25, max_digits=6, decimal_places=2)
    effective_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FrameworkImportForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (JSON or CSV)"),
        help_text=_("A file made by the export buttons. It becomes a new draft version."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Save the file as UTF-8 text and try again.")) from error
        name = upload.name.lower()
        from . import exchange

        try:
            return exchange.parse_csv(text) if name.endswith(".csv") else exchange.parse_json(text)
        except (ValueError, KeyError) as error:
            raise forms.ValidationError(
                _("The file could not be read: %(error)s") % {"error": error}
            ) from error
