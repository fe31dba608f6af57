"""Forms of the VAE app: they parse input; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certification.models import Certification, CompetencyBlock
from courses.models import Course, Module
from lms.accounts.models import User
from lms.accounts.roles import Role

from .models import (
    AdmissibilityDecision,
    Candidacy,
    Evidence,
    Experience,
    JuryDecision,
    JurySession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def assessors():  # type: ignore[no-untyped-def]
    return User.objects.filter(groups__name=Role.ASSESSOR, is_active=True).order_by(
        "first_name", "last_name"
    )


class StartCandidacyForm(forms.Form):
    certification = forms.ModelChoiceField(
        label=_("Which certification are you aiming for?"),
        queryset=Certification.objects.order_by("title"),
    )
    request = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=Candidacy.Request.choices,
        initial=Candidacy.Request.FULL,
        widget=forms.RadioSelect,
    )
    blocks = forms.ModelMultipleChoiceField(
        label=_("Blocks (if you ask for some blocks)"),
        queryset=CompetencyBlock.objects.filter(framework__status="active").order_by(
            "framework", "position"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules (if you ask for exemptions)"),
        queryset=Module.objects.select_related("course").order_by("course", "position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    admission_course = forms.ModelChoiceField(
        label=_("Course (if you ask for admission)"),
        queryset=Course.objects.order_by("title"),
        required=False,
    )


class ExperienceForm(forms.ModelForm):
    class Meta:
        model = Experience
        fields = ["kind", "organisation", "role", "started_on", "ended_on", "hours", "description"]
        # The models' "from"/"to" are shared with status changes ("previous status"): a period
        # reads "From"/"Until" (Du/Au, Van/Tot).
        labels = {"started_on": _("From"), "ended_on": _("Until")}
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class SelfAssessmentForm(forms.Form):
    """Yes / partly / no for each competency of one block, and the block's narrative."""

    def __init__(
        self,
        *args,
        block: CompetencyBlock,
        initial_levels: dict[int, str],
        narrative: str,
        **kwargs,
    ):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.block = block
        self.competencies = list(block.competencies.all())
        for competency in self.competencies:
            self.fields[f"competency_{competency.pk}"] = forms.ChoiceField(
                label=f"{competency.code} {competency.label}",
                help_text=", ".join(competency.criteria_list),
                choices=[("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No"))],
                widget=forms.RadioSelect,
                required=False,
                initial=initial_levels.get(competency.pk),
            )
        self.fields["narrative"] = forms.CharField(
            label=_("In your own words: where and how did you do this?"),
            widget=forms.Textarea(attrs={"rows": 8}),
            required=False,
            initial=narrative,
        )

    def levels(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"competency_{c.pk}") or "" for c in self.competencies}


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, photo (JPEG or PNG), or text document (DOCX or ODT)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.odt"}),
    )
    description = forms.CharField(label=_("What does it show?"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=Evidence.Kind.choices,
        initial=Evidence.Kind.ATTESTATION,
        required=False,  # an attestation unless said otherwise
        help_text=_(
            "An identity document is deleted as soon as the admissibility of your file is decided."
        ),
    )


class LivedExperienceForm(forms.Form):
    text = forms.CharField(
        label=_("Your lived experience (optional)"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
    )


class SwornStatementForm(forms.Form):
    sworn = forms.BooleanField(
        label=_("I declare on my honour that what I wrote and the documents I added are true."),
        required=True,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("In a few words, why?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AdmissibilityForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=AdmissibilityDecision.Outcome.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    missing_pieces = forms.CharField(
        label=_("Missing pieces (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class CounsellorForm(forms.Form):
    counsellor = forms.ModelChoiceField(
        label=_("Counsellor"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = assessors()


class ScheduleJuryForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Jury session"), queryset=JurySession.objects.none())

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = JurySession.objects.order_by("-starts_at")


class JurySessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online = forms.BooleanField(label=_("Online"), required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    members = forms.ModelMultipleChoiceField(
        label=_("Members (at least two)"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = assessors()
        self.fields["chair"].queryset = assessors()


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_(
            "Do you have a personal, family or professional link with the candidate or their counsellor?"
        ),
        choices=[("no", _("No, I have no link")), ("yes", _("Yes, I have a link"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class JuryDecisionForm(forms.Form):
    """An outcome and a justification per block, the overall result, recommendations."""

    def __init__(self, *args, blocks: list[CompetencyBlock], **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        for block in blocks:
            self.fields[f"block_{block.pk}"] = forms.TypedChoiceField(
                label=f"{block.code} {block.title}",
                choices=[("yes", _("Acquired")), ("no", _("Not acquired"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
            self.fields[f"justification_{block.pk}"] = forms.CharField(
                label=_("Justification for %(code)s") % {"code": block.code},
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.fields["overall"] = forms.ChoiceField(
            label=_("Overall result"),
            choices=JuryDecision.Overall.choices,
            widget=forms.RadioSelect,
        )
        self.fields["recommendations"] = forms.CharField(
            label=_("Recommendations (practice to gain, modules to follow)"),
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
        )
        modules = Module.objects.select_related("course").order_by("course", "position")
        self.fields["recommended_modules"] = forms.ModelMultipleChoiceField(
            label=_("Modules to follow"),
            queryset=modules,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["exempted_modules"] = forms.ModelMultipleChoiceField(
            label=_("Modules the candidate is exempted from"),
            queryset=modules,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def rows(self):  # type: ignore[no-untyped-def]
        return [(self[f"block_{b.pk}"], self[f"justification_{b.pk}"]) for b in self.blocks]
