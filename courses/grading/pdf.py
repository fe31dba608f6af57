"""The printable attendance sheet (names × meetings with signature boxes), as funders ask."""

from django.conf import settings
from django.utils import timezone

from certification.pdf import render_template_to_pdf
from courses.models import Meeting, Session

from . import selectors
from .models import AttendanceRecord


def attendance_sheet_pdf(session: Session, *, language: str | None = None) -> bytes:
    """Render the attendance sheet of ``session`` (A4 landscape, one signature box per cell)."""
    trainees = selectors.participants(session)
    meetings = list(Meeting.objects.filter(session=session).order_by("starts_at"))
    records = {
        (r.trainee_id, r.meeting_id): r
        for r in AttendanceRecord.objects.filter(meeting__session=session)
    }
    rows = [
        (trainee, [records.get((trainee.pk, meeting.pk)) for meeting in meetings])
        for trainee in trainees
    ]
    context = {
        "session": session,
        "meetings": meetings,
        "rows": rows,
        "trainers": list(session.trainers.all()),
        "now": timezone.localtime(),
    }
    return render_template_to_pdf(
        "grading/pdf/attendance_sheet.html",
        context,
        language=language or settings.LANGUAGE_CODE,
    )
