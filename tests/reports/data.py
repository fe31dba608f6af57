"""A small known dataset for the reports, with every expected figure worked out by hand.

Course "Accompagner" (leads to a certification, minimum attendance 80 %), session SA in Namur:
two 6-hour meetings on 10 and 17 March 2025; four trainees enrolled on 5 February 2025.
Course "Bases" (no certification, so the default 80 %), session SB in Liège: one 6-hour
meeting on 7 April 2025; two trainees enrolled on 20 March 2025.

              meeting 1 (SA)   meeting 2 (SA)   attended / planned   status     trained
  Amélie      present          present          12 / 12 = 100 %      completed  yes
  Benoît      present          absent            6 / 12 =  50 %      completed  no
  Céline      late 60 min      present          11 / 12 =  92 %      completed  yes
  Dédé        absent           absent            0 / 12              no show    no
              meeting (SB)
  Amélie      present                            6 / 6  = 100 %      completed  yes
  Élodie      left 120 min early                 4 / 6  =  67 %      completed  no

Amélie and Céline have a released result in SA. Amélie holds a certificate issued on
2 May 2025; Céline's (issued the same day) was revoked.
"""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from certification.models import Certificate
from courses.grading.models import Assessment, AttendanceRecord, Result
from courses.models import Enrolment, Meeting, Region, Session
from lms.accounts.roles import Role
from tests.certification.factories import CertificationFactory, RulesFactory
from tests.courses.factories import CourseFactory, ModuleFactory, SessionFactory, VenueFactory
from tests.lms.factories import UserFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
NAMES = ["Amélie", "Benoît", "Céline", "Dédé", "Élodie"]


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=BRUSSELS)


def _meeting(session, start):
    return Meeting.objects.create(
        session=session, starts_at=start, ends_at=start.replace(hour=start.hour + 6)
    )


def build():
    """Create the dataset; returns a namespace of the objects tests refer to."""
    people = {
        name: UserFactory(
            email=f"{name.lower()}.zoë@example.org",
            first_name=name,
            last_name="Lefèvre",
            role=Role.TRAINEE,
        )
        for name in NAMES
    }
    certification = CertificationFactory(code="pair-aidant")
    RulesFactory(certification=certification, min_attendance_rate=Decimal("80"))
    accompagner = CourseFactory(
        title="Accompagner", slug="accompagner", certification=certification
    )
    bases = CourseFactory(title="Bases", slug="bases")
    namur = VenueFactory(town="Namur", region=Region.NAMUR)
    liege = VenueFactory(town="Liège", region=Region.LIEGE)
    sa = SessionFactory(
        course=accompagner, venue=namur, code="SA", meetings=0, status=Session.Status.COMPLETED
    )
    sb = SessionFactory(
        course=bases, venue=liege, code="SB", meetings=0, status=Session.Status.COMPLETED
    )
    sa1, sa2 = _meeting(sa, at(2025, 3, 10)), _meeting(sa, at(2025, 3, 17))
    sb1 = _meeting(sb, at(2025, 4, 7))
    status = Enrolment.Status
    for name, state in (
        ("Amélie", status.COMPLETED),
        ("Benoît", status.COMPLETED),
        ("Céline", status.COMPLETED),
        ("Dédé", status.NO_SHOW),
    ):
        Enrolment.objects.create(
            session=sa, trainee=people[name], status=state, requested_at=at(2025, 2, 5)
        )
    for name in ("Amélie", "Élodie"):
        Enrolment.objects.create(
            session=sb, trainee=people[name], status=status.COMPLETED, requested_at=at(2025, 3, 20)
        )
    present, absent = AttendanceRecord.Status.PRESENT, AttendanceRecord.Status.ABSENT
    for meeting, name, state, extra in (
        (sa1, "Amélie", present, {}),
        (sa1, "Benoît", present, {}),
        (sa1, "Céline", AttendanceRecord.Status.LATE, {"minutes_late": 60}),
        (sa1, "Dédé", absent, {}),
        (sa2, "Amélie", present, {}),
        (sa2, "Benoît", absent, {}),
        (sa2, "Céline", present, {}),
        (sa2, "Dédé", absent, {}),
        (sb1, "Amélie", present, {}),
        (sb1, "Élodie", AttendanceRecord.Status.LEFT_EARLY, {"minutes_left_early": 120}),
    ):
        AttendanceRecord.objects.create(
            meeting=meeting, trainee=people[name], status=state, note="Très bien", **extra
        )
    module = ModuleFactory(course=accompagner)
    assessment = Assessment.objects.create(session=sa, module=module, title="Mise en situation")
    for name in ("Amélie", "Céline"):
        Result.objects.create(
            assessment=assessment,
            trainee=people[name],
            status=Result.Status.RELEASED,
            feedback="Un retour très personnel sur Amélie",
        )
    for number, (name, state) in enumerate(
        (("Amélie", Certificate.Status.VALID), ("Céline", Certificate.Status.REVOKED)), start=1
    ):
        Certificate.objects.create(
            holder=people[name],
            certification=certification,
            code=f"TEST-0000-0000-000{number}",
            register_number=number,
            name_as_printed=f"{name} Lefèvre",
            issued_at=at(2025, 5, 2),
            status=state,
        )

    class Data:
        pass

    data = Data()
    data.people, data.certification = people, certification
    data.accompagner, data.bases, data.sa, data.sb = accompagner, bases, sa, sb
    return data
