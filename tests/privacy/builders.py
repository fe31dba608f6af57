"""A trainee with data in every app, built through the real services."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cryptography.fernet import Fernet
from django.utils import timezone

from certification.models import Certificate
from courses.grading import services as grading
from courses.models import CalendarFeedToken, Enrolment, EnrolmentStatusChange
from lms.accounts.roles import Role
from lms.privacy import services as privacy
from lms.privacy.models import ConsentRecord
from tests.courses.factories import SessionFactory
from tests.grading.factories import attend, certification_with_rules, make_assessment, make_session
from tests.lms.factories import UserFactory
from tests.vae.factories import fill_portfolio, make_vae_certification, pdf_upload
from vae import services as vae


@dataclass
class Person:
    user: object
    certificate: Certificate
    candidacy: object
    needles: dict[str, str]


# One key for the whole run: data built in setUpTestData (under override_settings) and read in
# each test must share it.
TEST_ENCRYPTION_KEY = Fernet.generate_key().decode("ascii")

FIRST, LAST, DISPLAY = "Zéphirine", "Quelquechose-Unique", "Zephou"
PHONE = "0470 98 76 54"
NARRATIVE = "mon rétablissement après l'hôpital de jour"


def make_person(*, trainer, coordinator, prefix="zephirine", vae_certification=None) -> Person:
    """A trainee with an enrolment, attendance, a released result, a certificate, a place on a
    waiting list, a calendar feed, a VAE candidacy (narrative, lived experience, evidence),
    notifications, emails, audit events and a consent."""
    first, last, display = f"{FIRST}{prefix[:1].upper()}", f"{LAST}-{prefix}", f"{DISPLAY}{prefix}"
    email = f"{prefix}.unique@example.org"
    person = UserFactory(
        email=email, first_name=first, last_name=last, display_name=display, role=Role.TRAINEE
    )
    # Training: attended, graded (feedback naming the person), released → certificate.
    framework_code = f"privacy-fw-{prefix}"
    certification = certification_with_rules(
        framework_code, min_attendance_rate=Decimal("80"), required_block_codes=["B1"]
    )
    session = make_session(
        trainer=trainer,
        trainees=[person],
        certification=certification,
        framework_code=framework_code,
    )
    for meeting in session.meetings.all():
        attend(meeting, person, note=f"{first} a prévenu par téléphone au {PHONE}")
    assessment = make_assessment(session, trainer)
    criteria = list(assessment.criteria.all())
    grading.grade(
        assessment=assessment,
        by=trainer,
        grades={
            person.pk: grading.Grade(
                judgements={c.pk: ("acquired", f"{first} écoute bien.") for c in criteria},
                feedback=f"Bravo {first} {last} !",
            )
        },
    )
    grading.mark_ready_for_review(assessment=assessment, by=trainer)
    grading.release_results(assessment=assessment, by=trainer)
    certificate = Certificate.objects.get(holder=person, certification=certification)
    # A place on a waiting list, with a reason naming the person.
    future = SessionFactory(meetings=1, meetings__days=30)
    waiting = Enrolment.objects.create(
        session=future, trainee=person, status=Enrolment.Status.WAITING_LIST, queue_position=1
    )
    EnrolmentStatusChange.objects.create(
        enrolment=waiting, to_status=Enrolment.Status.WAITING_LIST, reason=f"Appel de {display}"
    )
    CalendarFeedToken.objects.create(user=person)
    # VAE: a candidacy with a lived-experience narrative and evidence, then submitted.
    if vae_certification is None:
        _framework, vae_certification, _modules = make_vae_certification()
    candidacy = vae.open_candidacy(candidate=person, certification=vae_certification)
    vae.give_lived_experience_consent(candidacy=candidacy, by=person)
    vae.save_lived_experience(candidacy=candidacy, by=person, text=f"Voici {NARRATIVE}.")
    vae.upload_evidence(
        candidacy=candidacy, by=person, upload=pdf_upload(f"{last}.pdf"), description=display
    )
    fill_portfolio(candidacy, person)
    vae.save_experience(
        candidacy=candidacy,
        by=person,
        kind="peer_support",
        role="Écoute",
        organisation="Chez moi",
        description=f"Joignable au {PHONE}",
        started_on=date(2020, 1, 1),
        hours=10,
    )
    candidacy = vae.submit_candidacy(candidacy=candidacy, by=person)
    vae.decide_admissibility(
        candidacy=candidacy,
        by=coordinator,
        outcome="incomplete",
        reasons=f"{first}, il manque une attestation.",
        missing_pieces=[f"Attestation de {last}"],
    )
    privacy.record_consent(user=person, purpose=ConsentRecord.Purpose.PRIVACY_NOTICE)
    return Person(
        user=person,
        certificate=certificate,
        candidacy=candidacy,
        needles={
            "email": email,
            "first name": first,
            "last name": last,
            "display name": display,
            "phone": PHONE,
            "narrative": NARRATIVE,
        },
    )


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)
