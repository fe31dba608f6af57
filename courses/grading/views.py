"""The trainer space (/formateur/), the trainee's results page and the coordinators' overview.

Thin: every protected object comes from a selector that raises 404 outside the person's
sessions; every write goes through ``services``.
"""

import base64
import binascii

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import forms, resources, selectors, services
from .models import AttendanceRecord, Level, Result
from .pdf import attendance_sheet_pdf


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _require_trainer_or_coordinator(request: HttpRequest) -> None:
    if not (selectors.is_trainer(request.user) or selectors.is_coordinator(request.user)):
        raise PermissionDenied


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The sessions the trainer teaches: next meeting, attendance to take, results to grade."""
    _require_trainer_or_coordinator(request)
    rows = selectors.trainer_home(request.user)
    return render(
        request,
        "grading/home.html",
        {"rows": rows, "is_coordinator": selectors.is_coordinator(request.user)},
    )


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_reader(request.user, session_id)
    trainees = selectors.participants(session)
    summaries = selectors.session_attendance(session, trainees)
    return render(
        request,
        "grading/session_detail.html",
        {
            "session": session,
            "meetings": selectors.meetings_of(session),
            "assessments": selectors.assessments_of(session),
            "attendance_rows": [(t, summaries[t.pk]) for t in trainees],
            "threshold": selectors.threshold_for(session),
            "can_edit": session.trainers.filter(pk=request.user.pk).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One form for the whole group: a status per trainee, minutes late or left early, a note."""
    meeting = selectors.get_meeting_for_trainer(request.user, meeting_id)
    trainees = selectors.participants(meeting.session)
    errors: list[str] = []
    if request.method == "POST":
        marks = forms.parse_attendance(request.POST, [t.pk for t in trainees])
        try:
            services.record_attendance(meeting=meeting, marks=marks, by=request.user)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Attendance saved. Thank you."))
            return redirect("grading:session", meeting.session_id)
    records = selectors.attendance_for_meeting(meeting)
    rows = []
    for trainee in trainees:
        record = records.get(trainee.pk)
        if request.method == "POST":
            status = request.POST.get(forms.attendance_field(trainee.pk, "status"), "")
            minutes = request.POST.get(forms.attendance_field(trainee.pk, "minutes"), "")
            note = request.POST.get(forms.attendance_field(trainee.pk, "note"), "")
        else:
            status = record.status if record else ""
            minutes = (record.minutes_late or record.minutes_left_early or "") if record else ""
            note = record.note if record else ""
        rows.append({"trainee": trainee, "status": status, "minutes": minutes, "note": note})
    return render(
        request,
        "grading/attendance.html",
        {
            "meeting": meeting,
            "session": meeting.session,
            "rows": rows,
            "statuses": AttendanceRecord.Status.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def make_up(request: HttpRequest, session_id: int) -> HttpResponse:
    """Record that an excused absence was made up in another session of the same module."""
    session = selectors.get_session_for_trainer(request.user, session_id)
    absences = selectors.excused_absences(session)
    meetings = selectors.make_up_meetings(session)
    form = forms.MakeUpForm(request.POST or None, absences=absences, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        record = next(r for r in absences if r.pk == form.cleaned_data["absence"])
        meeting = next(m for m in meetings if m.pk == form.cleaned_data["make_up_meeting"])
        try:
            services.record_make_up(
                trainee=record.trainee,
                missed_meeting=record.meeting,
                make_up_meeting=meeting,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The make-up is recorded; the missed hours now count."))
            return redirect("grading:session", session.pk)
    return render(
        request,
        "grading/make_up.html",
        {"session": session, "form": form, "has_choices": bool(absences and meetings)},
    )


@login_required
@require_GET
def attendance_sheet(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_reader(request.user, session_id)
    response = HttpResponse(attendance_sheet_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="presences-{session.code}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.get_session_for_trainer(request.user, session_id)
    form = forms.AssessmentForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.create_assessment(
                session=session,
                by=request.user,
                module=data["module"],
                title=data["title"],
                method=data["method"],
                instructions=data["instructions"],
                max_score=data["max_score"],
                pass_mark=data["pass_mark"],
                second_marker=data["second_marker"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The assessment is created with its rubric."))
            return redirect("grading:grid", assessment.pk)
    return render(request, "grading/assessment_form.html", {"session": session, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def grid(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The grading grid: trainees × criteria, a level and a justification in each cell."""
    assessment = selectors.get_assessment_for_trainer(request.user, assessment_id)
    criteria, rows = selectors.grading_grid(assessment)
    errors: list[str] = []
    posted = None
    if request.method == "POST":
        editable = [
            r.trainee.pk
            for r in rows
            if r.result is None or r.result.status != Result.Status.RELEASED
        ]
        grades = forms.parse_grid(request.POST, editable, [c.pk for c in criteria])
        try:
            services.grade(assessment=assessment, grades=grades, by=request.user)
        except ValidationError as error:
            errors, posted = _errors(error), request.POST
        else:
            messages.success(request, _("Grades saved. Trainees see nothing until you release."))
            return redirect("grading:grid", assessment.pk)
    return render(
        request,
        "grading/grid.html",
        {
            "assessment": assessment,
            "session": assessment.session,
            "criteria": criteria,
            "rows": _grid_cells(criteria, rows, posted),
            "levels": Level.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _grid_cells(criteria, rows, posted):  # type: ignore[no-untyped-def]
    """Rows ready for the template; after a refused save, what the trainer typed is kept."""
    prepared = []
    for row in rows:
        tid = row.trainee.pk
        locked = row.result is not None and row.result.status == Result.Status.RELEASED
        cells = []
        for criterion in criteria:
            judgement = row.judgements.get(criterion.pk)
            if posted is not None and not locked:
                level = posted.get(forms.cell_field(tid, criterion.pk, "level"), "")
                why = posted.get(forms.cell_field(tid, criterion.pk, "why"), "")
            else:
                level = judgement.level if judgement else ""
                why = judgement.justification if judgement else ""
            cells.append(
                {
                    "criterion": criterion,
                    "level": level,
                    "why": why,
                    "level_name": forms.cell_field(tid, criterion.pk, "level"),
                    "why_name": forms.cell_field(tid, criterion.pk, "why"),
                }
            )
        result = row.result
        if posted is not None and not locked:
            feedback = posted.get(f"r{tid}-feedback", "")
            score = posted.get(f"r{tid}-score", "")
        else:
            feedback = result.feedback if result else ""
            score = result.score if result and result.score is not None else ""
        prepared.append(
            {
                "trainee": row.trainee,
                "result": result,
                "locked": locked,
                "cells": cells,
                "feedback": feedback,
                "score": score,
            }
        )
    return prepared


@login_required
@require_POST
def mark_ready(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.get_assessment_for_trainer(request.user, assessment_id)
    incomplete = services.mark_ready_for_review(assessment=assessment, by=request.user)
    if incomplete:
        messages.warning(
            request,
            _("Some results are not complete yet and stay in draft: %(names)s.")
            % {"names": ", ".join(r.trainee.get_full_name() for r in incomplete)},
        )
    else:
        messages.success(request, _("The results are ready for review."))
    return redirect("grading:release", assessment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def release(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """A confirmation page listing what will be released, then the release itself."""
    assessment = selectors.get_assessment_for_trainer(request.user, assessment_id)
    if request.method == "POST":
        try:
            released = services.release_results(assessment=assessment, by=request.user)
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(count)s results released. The trainees are told by email and in their space.")
                % {"count": len(released)},
            )
            return redirect("grading:session", assessment.session_id)
    results = list(
        Result.objects.filter(assessment=assessment)
        .select_related("trainee")
        .order_by("trainee__last_name", "trainee__first_name")
    )
    return render(
        request,
        "grading/release_confirm.html",
        {
            "assessment": assessment,
            "session": assessment.session,
            "ready": [r for r in results if r.status == Result.Status.READY],
            "others": [r for r in results if r.status != Result.Status.READY],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_result(request: HttpRequest, result_id: int) -> HttpResponse:
    """Change a released result: the reason is required and kept in the history."""
    result = selectors.get_result_for_trainer(request.user, result_id)
    if result.status != Result.Status.RELEASED:
        return redirect("grading:grid", result.assessment_id)
    criteria = list(result.assessment.criteria.select_related("competency"))
    reason_form = forms.ReasonForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and reason_form.is_valid():
        grades = forms.parse_grid(request.POST, [result.trainee_id], [c.pk for c in criteria])
        grade = grades.get(result.trainee_id) or services.Grade(judgements={})
        try:
            services.change_released_result(
                result=result,
                by=request.user,
                reason=reason_form.cleaned_data["reason"],
                grade=grade,
            )
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("The result is changed; its history keeps the reason."))
            return redirect("grading:result-history", result.pk)
    judgements = {j.criterion_id: j for j in result.judgements.all()}
    cells = [
        {
            "criterion": c,
            "level": request.POST.get(forms.cell_field(result.trainee_id, c.pk, "level"))
            if request.method == "POST"
            else (judgements[c.pk].level if c.pk in judgements else ""),
            "why": request.POST.get(forms.cell_field(result.trainee_id, c.pk, "why"))
            if request.method == "POST"
            else (judgements[c.pk].justification if c.pk in judgements else ""),
            "level_name": forms.cell_field(result.trainee_id, c.pk, "level"),
            "why_name": forms.cell_field(result.trainee_id, c.pk, "why"),
        }
        for c in criteria
    ]
    return render(
        request,
        "grading/change_result.html",
        {
            "result": result,
            "assessment": result.assessment,
            "cells": cells,
            "levels": Level.choices,
            "form": reason_form,
            "errors": errors,
            "feedback_name": f"r{result.trainee_id}-feedback",
            "score_name": f"r{result.trainee_id}-score",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ask_repeat(request: HttpRequest, result_id: int) -> HttpResponse:
    result = selectors.get_result_for_trainer(request.user, result_id)
    form = forms.RepeatForm(request.POST or None, initial={"feedback": result.feedback})
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_to_repeat(
                result=result,
                by=request.user,
                deadline=form.cleaned_data["deadline"],
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The trainee is asked to repeat and has been told."))
            return redirect("grading:grid", result.assessment_id)
    return render(request, "grading/ask_repeat.html", {"result": result, "form": form})


@login_required
@require_GET
def result_history(request: HttpRequest, result_id: int) -> HttpResponse:
    """Every step of a result: who, when, why, before and after (trainers and coordinators)."""
    result = selectors.get_result_for_reader(request.user, result_id)
    return render(
        request,
        "grading/result_history.html",
        {"result": result, "changes": selectors.result_history(result)},
    )


@login_required
@require_GET
def import_template(request: HttpRequest, assessment_id: int, fmt: str) -> HttpResponse:
    assessment = selectors.get_assessment_for_trainer(request.user, assessment_id)
    if fmt not in resources.FORMATS:
        raise Http404("Unknown format")
    content_type = resources.FORMATS[fmt].get_content_type()
    response = HttpResponse(
        resources.export_template(assessment, fmt, by=request.user), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="notes-{assessment.pk}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_grades(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Upload → dry-run preview with every problem in plain words → apply all or nothing."""
    assessment = selectors.get_assessment_for_trainer(request.user, assessment_id)
    form = forms.ImportForm()
    preview = None
    payload = fmt = ""
    if request.method == "POST" and request.POST.get("step") == "apply":
        fmt = request.POST.get("format", "")
        try:
            content = base64.b64decode(request.POST.get("payload", ""), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        if fmt not in resources.FORMATS:
            raise Http404("Unknown format")
        preview = resources.preview_import(assessment, content, fmt)
        if preview.ok:
            try:
                services.grade(
                    assessment=assessment, grades=preview.grades, by=request.user, imported=True
                )
            except ValidationError as error:
                preview.errors.extend(error.messages)
            else:
                messages.success(
                    request,
                    _("%(count)s lines imported. Check the grid before releasing.")
                    % {"count": len(preview.grades)},
                )
                return redirect("grading:grid", assessment.pk)
    elif request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            fmt = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
            content = upload.read()
            preview = resources.preview_import(assessment, content, fmt)
            payload = base64.b64encode(content).decode("ascii")
    return render(
        request,
        "grading/import.html",
        {
            "assessment": assessment,
            "session": assessment.session,
            "form": form,
            "preview": preview,
            "payload": payload,
            "format": fmt,
        },
        status=400 if preview is not None and not preview.ok else 200,
    )


# --- Trainee and coordinators ------------------------------------------------------------------


@login_required
@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    """The trainee's released results, attendance and competency progress by block."""
    return render(request, "grading/my_results.html", selectors.trainee_overview(request.user))


@login_required
@require_GET
def coordination(request: HttpRequest) -> HttpResponse:
    """Coordinators: attendance below the threshold and results changed after release."""
    if not selectors.is_coordinator(request.user):
        raise PermissionDenied
    return render(
        request,
        "grading/coordination.html",
        {
            "warnings": selectors.attendance_warnings(),
            "changes": selectors.recent_result_changes(),
        },
    )
