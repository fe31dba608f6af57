"""Builders for the trainer space tests: a session with trainees, a rubric, results."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from certification.models import CertificationRules
from courses.grading import services
from courses.grading.models import AttendanceRecord
from courses.models import Enrolment, Meeting
from lms.accounts.roles import Role
from tests.certification.factories import CertificationFactory, make_framework
from tests.courses.factories import CourseFactory, ModuleFactory, SessionFactory
from tests.lms.factories import UserFactory

_counter = itertools.count(1)


def make_session(
    *,
    trainer,
    trainees=(),
    criteria=2,
    meetings=2,
    days=-14,
    certification=None,
    module_hours="12",
    ethics_hours="2",
    framework_code=None,
):
    """A published module session taught by ``trainer`` with past meetings (``days`` ago), the
    ``trainees`` confirmed, and a module covering ``criteria`` competencies of one framework."""
    framework = make_framework(
        code=framework_code or f"grading-fw-{next(_counter)}",
        blocks={
            "B1": [f"B1.{i + 1}" for i in range(min(criteria, 2))],
            "B2": [f"B2.{i + 1}" for i in range(max(criteria - 2, 0))],
        },
    )
    course = CourseFactory(certification=certification)
    module = ModuleFactory(
        course=course, hours=Decimal(module_hours), ethics_hours=Decimal(ethics_hours)
    )
    competencies = [c for b in framework.blocks.all() for c in b.competencies.all()]
    module.competencies.set(competencies)
    session = SessionFactory(course=course, module=module, meetings=meetings, meetings__days=days)
    session.trainers.add(trainer)
    for trainee in trainees:
        Enrolment.objects.create(
            session=session, trainee=trainee, status=Enrolment.Status.CONFIRMED
        )
    return session


def make_trainees(count, prefix="stagiaire"):
    return [
        UserFactory(
            email=f"{prefix}{i}@example.org",
            first_name=f"Prénom{i:02d}",
            last_name=f"Nom{i:02d}",
            role=Role.TRAINEE,
        )
        for i in range(count)
    ]


def make_assessment(session, trainer, **kwargs):
    return services.create_assessment(
        session=session, title="Mise en situation", by=trainer, method="role_play", **kwargs
    )


def grade_all(assessment, trainer, trainees, level="acquired", feedback="Bon travail."):
    criteria = list(assessment.criteria.all())
    return services.grade(
        assessment=assessment,
        by=trainer,
        grades={
            t.pk: services.Grade(
                judgements={
                    c.pk: (level, "Observé pendant la mise en situation.") for c in criteria
                },
                feedback=feedback,
            )
            for t in trainees
        },
    )


def certification_with_rules(framework_code, **rules):
    certification = CertificationFactory(framework_code=framework_code)
    CertificationRules.objects.create(certification=certification, **rules)
    return certification


def attend(meeting: Meeting, trainee, status=AttendanceRecord.Status.PRESENT, **kwargs):
    return AttendanceRecord.objects.create(
        meeting=meeting, trainee=trainee, status=status, **kwargs
    )


def past(days):
    return timezone.now() - timedelta(days=days)
