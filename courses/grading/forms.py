"""Forms of the trainer space. The attendance screen and the grading grid are wide tables of
plain inputs (parsed in ``parse_*``), so they work without JavaScript on a phone."""

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.accounts.roles import Role

from .models import Assessment
from .services import Grade


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "module",
            "title",
            "method",
            "instructions",
            "max_score",
            "pass_mark",
            "second_marker",
        ]

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = session.course.modules.all()
        if session.module_id:
            self.fields["module"].initial = session.module_id
        self.fields["module"].required = True
        # A second marker is another trainer (or a coordinator) who reviews before release.
        self.fields["second_marker"].queryset = (
            User.objects.filter(groups__name__in=[Role.TRAINER, Role.COORDINATOR])
            .distinct()
            .order_by("last_name", "first_name")
        )


class MakeUpForm(forms.Form):
    absence = forms.TypedChoiceField(label=_("Excused absence"), coerce=int)
    make_up_meeting = forms.TypedChoiceField(
        label=_("Made up in the meeting of"),
        coerce=int,
        help_text=_("Meetings of the same module in other sessions, in any town."),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)

    def __init__(self, *args, absences, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absence"].choices = [
            (
                record.pk,
                f"{record.trainee.get_full_name() or record.trainee.public_name} — "
                f"{date_format(timezone.localtime(record.meeting.starts_at), 'DATE_FORMAT')}",
            )
            for record in absences
        ]
        self.fields["make_up_meeting"].choices = [
            (
                meeting.pk,
                f"{date_format(timezone.localtime(meeting.starts_at), 'DATETIME_FORMAT')} — "
                f"{meeting.session.place_label} ({meeting.session.code})",
            )
            for meeting in meetings
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you change this released result?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The trainee's history and the coordinators keep this reason."),
    )


class RepeatForm(forms.Form):
    deadline = forms.DateField(
        label=_("Repeat before"), widget=forms.DateInput(attrs={"type": "date"})
    )
    feedback = forms.CharField(
        label=_("What to work on"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("Choose a deadline after today."))
        return deadline


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (CSV or XLSX)"),
        help_text=_("Use the template of this assessment: one line per trainee."),
    )


def attendance_field(trainee_id: int, name: str) -> str:
    return f"t{trainee_id}-{name}"


def parse_attendance(data: QueryDict, trainee_ids: list[int]) -> dict[int, tuple[str, int, str]]:
    """Marks of the attendance screen; an unmarked line is left out (nothing recorded)."""
    marks = {}
    for trainee_id in trainee_ids:
        status = data.get(attendance_field(trainee_id, "status"), "")
        if not status:
            continue
        raw_minutes = data.get(attendance_field(trainee_id, "minutes"), "").strip()
        minutes = int(raw_minutes) if raw_minutes.isdigit() else 0
        marks[trainee_id] = (status, minutes, data.get(attendance_field(trainee_id, "note"), ""))
    return marks


def cell_field(trainee_id: int, criterion_id: int, name: str) -> str:
    return f"r{trainee_id}-c{criterion_id}-{name}"


def parse_grid(
    data: QueryDict, trainee_ids: list[int], criterion_ids: list[int]
) -> dict[int, Grade]:
    """The grading grid's cells as one Grade per trainee."""
    grades = {}
    for trainee_id in trainee_ids:
        judgements = {
            criterion_id: (
                data.get(cell_field(trainee_id, criterion_id, "level"), ""),
                data.get(cell_field(trainee_id, criterion_id, "why"), ""),
            )
            for criterion_id in criterion_ids
        }
        feedback = data.get(f"r{trainee_id}-feedback", "")
        score = data.get(f"r{trainee_id}-score", "")
        if any(level or why for level, why in judgements.values()) or feedback or score:
            grades[trainee_id] = Grade(judgements=judgements, feedback=feedback, score=score)
    return grades
