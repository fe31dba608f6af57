"""Demo data for seed_demo: a finished B4 session in Namur with attendance, a rubric, released
results (Thomas now holds B4 in his ledger), one draft left to finish and one asked to repeat.

Idempotent: the session is found by its code and each step is skipped once done.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from courses import services as courses_services
from courses.models import Course, Enrolment, EnrolmentStatusChange, Meeting, Module, Session, Venue

from . import services
from .models import Assessment, AttendanceRecord, Level, Result

SESSION_CODE = "DEMO-NAM-B4-PASSE"
Status = AttendanceRecord.Status

DESCRIPTORS = {
    Level.NOT_YET: "Repère mal les signes ou réagit seul, sans relais.",
    Level.ACQUIRED: "Repère les signes, reste calme et propose un relais adapté.",
    Level.MASTERED: "Repère finement les signes, accueille l'émotion et construit le relais "
    "avec la personne.",
}
# Trainee key → attendance per meeting (status, minutes) and how the grading goes.
PLAN = {
    "thomas": ([(Status.PRESENT, 0)] * 3, Level.ACQUIRED, "released"),
    "youssef": (
        [(Status.PRESENT, 0), (Status.LATE, 20), (Status.PRESENT, 0)],
        Level.MASTERED,
        "released",
    ),
    "sarah": (
        [(Status.PRESENT, 0), (Status.PRESENT, 0), (Status.LEFT_EARLY, 45)],
        Level.ACQUIRED,
        "draft",
    ),
    "noah": (
        [(Status.EXCUSED, 0), (Status.PRESENT, 0), (Status.ABSENT, 0)],
        Level.NOT_YET,
        "repeat",
    ),
}


def _seed_session(people: dict) -> Session | None:
    module = Module.objects.filter(code="base-b4").select_related("course").first()
    venue = Venue.objects.filter(town="Namur").first()
    trainer = people.get("formateur.namur")
    if module is None or venue is None or trainer is None:
        return None
    session, created = Session.objects.get_or_create(
        code=SESSION_CODE,
        defaults={"course": module.course, "module": module, "venue": venue, "capacity": 8},
    )
    if created:
        first_day = timezone.localdate() - timedelta(days=60)
        Meeting.objects.bulk_create(
            Meeting(
                session=session,
                starts_at=timezone.make_aware(datetime.combine(day, time(9, 30))),
                ends_at=timezone.make_aware(datetime.combine(day, time(13, 30))),
            )
            for day in (first_day + timedelta(days=7 * i) for i in range(3))
        )
        session.trainers.add(trainer)
        courses_services.publish_session(session=session, by=people.get("coordination"))
    for key in PLAN:
        person = people.get(key)
        if person is None or Enrolment.objects.filter(session=session, trainee=person).exists():
            continue
        # The enrolment window of a past session is closed: the demo writes the row directly.
        enrolment = Enrolment.objects.create(
            session=session,
            trainee=person,
            status=Enrolment.Status.CONFIRMED,
            requested_at=timezone.now() - timedelta(days=90),
        )
        EnrolmentStatusChange.objects.create(
            enrolment=enrolment,
            to_status=Enrolment.Status.CONFIRMED,
            reason="Démonstration",
            notified_at=timezone.now(),
        )
    return session


def _seed_attendance(session: Session, people: dict) -> None:
    trainer = people["formateur.namur"]
    for index, meeting in enumerate(session.meetings.order_by("starts_at")):
        if meeting.attendance_records.exists():
            continue
        marks = {
            people[key].pk: (status, minutes, "Train supprimé" if status == Status.LATE else "")
            for key, (attendance, _level, _outcome) in PLAN.items()
            if key in people
            for status, minutes in [attendance[index]]
        }
        services.record_attendance(meeting=meeting, marks=marks, by=trainer)


def _seed_assessment(session: Session, people: dict) -> Assessment:
    trainer = people["formateur.namur"]
    assessment = Assessment.objects.filter(session=session).first()
    if assessment is not None:
        return assessment
    assessment = services.create_assessment(
        session=session,
        title="Mise en situation : accueillir une personne en crise",
        by=trainer,
        method=Assessment.Method.ROLE_PLAY,
        instructions="Jeu de rôle de 15 minutes, puis retour en groupe.",
    )
    for criterion in assessment.criteria.all():
        services.set_descriptors(criterion=criterion, descriptors=DESCRIPTORS)
    criteria = list(assessment.criteria.select_related("competency"))
    grades = {}
    for key, (_attendance, level, outcome) in PLAN.items():
        if key not in people:
            continue
        chosen = criteria[:-1] if outcome == "draft" else criteria
        grades[people[key].pk] = services.Grade(
            judgements={
                c.pk: (level, f"{c.competency.label} : observé pendant le jeu de rôle.")
                for c in chosen
            },
            feedback={
                "released": "Tu as gardé ton calme et proposé un relais clair. Bravo.",
                "draft": "Belle écoute ; il reste un critère à observer.",
                "repeat": "Nous reprendrons ensemble le repérage des signes d'alerte.",
            }[outcome],
        )
    services.grade(assessment=assessment, grades=grades, by=trainer)
    if "noah" in people:
        result = Result.objects.get(assessment=assessment, trainee=people["noah"])
        services.ask_to_repeat(
            result=result, by=trainer, deadline=timezone.localdate() + timedelta(days=30)
        )
    services.mark_ready_for_review(assessment=assessment, by=trainer)
    services.release_results(assessment=assessment, by=trainer)
    return assessment


@transaction.atomic
def seed(context) -> None:  # type: ignore[no-untyped-def]
    """seed_demo step (after courses): a past session with attendance and graded results."""
    people = context.objects.get("people") or {}
    if not Course.objects.filter(modules__code="base-b4").exists():
        return
    session = _seed_session(people)
    if session is None:
        return
    _seed_attendance(session, people)
    assessment = _seed_assessment(session, people)
    session.refresh_from_db()
    if session.status == Session.Status.PUBLISHED:
        courses_services.complete_session(session=session, by=people.get("coordination"))
    services.push_attendance_rates(session=session)
    results = {
        r.trainee.email: r.get_status_display()
        for r in Result.objects.filter(assessment=assessment).select_related("trainee")
    }
    context.report["grading"] = {
        "session": session.code,
        "assessment": assessment.title,
        "results": {email: str(status) for email, status in results.items()},
        "threshold": str(Decimal(services.selectors.threshold_for(session))),
    }
    context.sections.append(
        (
            "Espace formateur (/formateur/)",
            [f"{session.code} : {assessment.title}"]
            + [f"  {email} : {status}" for email, status in results.items()],
        )
    )
