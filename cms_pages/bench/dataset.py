"""A synthetic federation, built fast with bulk inserts and grown in place.

``Dataset.grow_to(scale)`` adds only what is missing since the last call, so the bench measures
at the small scale, grows the same database to the large one and measures again. Rows are made
with ``bulk_create`` in batches: services would be far too slow for 250,000 enrolments and would
send emails. Services are used only where an invariant lives in code (the partner API key is
hashed by its service); certificate codes come from the real code generator.
"""

import base64
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import Site

from certification import codes
from certification.models import (
    AttendanceRecord as CertificationAttendance,
)
from certification.models import (
    Certificate,
    Certification,
    CertificationRules,
    Competency,
    CompetencyBlock,
    CompetencyFramework,
    LedgerEntry,
)
from certification.verification import services as verification_services
from courses.grading.models import (
    Assessment,
    Judgement,
    Level,
    Result,
    RubricCriterion,
)
from courses.grading.models import (
    AttendanceRecord as MeetingAttendance,
)
from courses.models import Course, Enrolment, Meeting, Module, Region, Session, Venue
from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.accounts.two_factor import set_up_authenticator_app
from vae.models import Candidacy

from ..models import CourseIndexPage, CoursePage, SessionFinderPage, StandardPage
from .scale import Scale

BATCH = 2_000
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
BLOCKS = 8
COMPETENCIES_PER_BLOCK = 3
MODULES_PER_COURSE = 3
ENROLMENTS_PER_SESSION = 25
CAPACITY = 12
TRAINER_POOL = 100
# Django's marker of an unusable password: nobody signs in to a bench account.
UNUSABLE_PASSWORD = "!"  # noqa: S105 - not a password: the unusable marker
EMAIL_DOMAIN = "bench.parcours.example"

FIRST_NAMES = ["Julie", "Amina", "Thomas", "Youssef", "Kevin", "Sarah", "Léa", "Noah", "Inès"]
LAST_NAMES = ["Dubois", "Lambert", "Peeters", "Janssens", "Maes", "Benali", "Dupont", "Leroy"]
TOPICS = ["Pair-aidance", "Éthique", "Rétablissement", "Écoute active", "Travail en équipe"]
TOWNS = [
    ("Bruxelles", Region.BRUSSELS),
    ("Namur", Region.NAMUR),
    ("Liège", Region.LIEGE),
    ("Charleroi", Region.HAINAUT),
    ("Mons", Region.HAINAUT),
    ("Wavre", Region.WALLOON_BRABANT),
    ("Arlon", Region.LUXEMBOURG),
    ("Anvers", Region.ANTWERP),
    ("Gand", Region.EAST_FLANDERS),
    ("Louvain", Region.FLEMISH_BRABANT),
    ("Bruges", Region.WEST_FLANDERS),
    ("Hasselt", Region.LIMBURG),
]
# Candidacies go through every step of the VAE, spread evenly.
CANDIDACY_STATUSES = [
    Candidacy.Status.DRAFT,
    Candidacy.Status.SUBMITTED,
    Candidacy.Status.ADMISSIBLE,
    Candidacy.Status.PORTFOLIO_IN_PROGRESS,
    Candidacy.Status.JURY_SCHEDULED,
    Candidacy.Status.DECIDED,
    Candidacy.Status.CLOSED,
]


def _bulk(model, objects: list, *, batch_size: int = BATCH) -> list:
    """Insert ``objects`` in batches and return them with their primary keys."""
    created = []
    for start in range(0, len(objects), batch_size):
        created.extend(model.objects.bulk_create(objects[start : start + batch_size]))
    return created


@dataclass
class Fixtures:
    """What every scale shares: framework, certification, people with a role, pages."""

    framework: CompetencyFramework
    certification: Certification
    competency_ids: list[int]
    venue_ids: list[int]
    trainer_ids: list[int]
    coordinator: User
    partner: User
    api_key: str
    floor_page: StandardPage
    catalogue: CourseIndexPage
    finder: SessionFinderPage


@dataclass
class Dataset:
    """The bench's data in the current database; ``grow_to`` adds what a scale still lacks."""

    fixtures: Fixtures | None = None
    built: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(Scale.for_trainees(20).as_dict(), 0)
    )
    trainee_ids: list[int] = field(default_factory=list)
    course_modules: list[list[tuple[int, list[int]]]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def grow_to(self, scale: Scale, *, log=print) -> float:
        """Add rows until the database holds ``scale``; returns the seconds it took."""
        started = time.perf_counter()
        # Wagtail indexes each new page through background tasks: not needed to serve pages.
        with transaction.atomic(), override_settings(TASKS=NO_TASKS):
            if self.fixtures is None:
                self.fixtures = self._make_fixtures()
            steps = [
                ("trainees", self._add_trainees),
                ("courses", self._add_courses),
                ("sessions", self._add_sessions),
                ("ledger_entries", self._add_ledger),
                ("certificates", self._add_certificates),
                ("candidacies", self._add_candidacies),
            ]
            for name, step in steps:
                step_started = time.perf_counter()
                target = getattr(scale, name)
                if self.built[name] < target:
                    step(self.built[name], target)
                    self.built[name] = target
                self.timings[name] = time.perf_counter() - step_started
                log(f"  {name:<15} {target:>8} ({self.timings[name]:.1f} s)")
            # The enrolment target is met through the sessions: 25 per session.
            self.built["enrolments"] = scale.enrolments
        # PostgreSQL: fresh planner statistics, as after any bulk load (autovacuum gathers them
        # in production): without them it guessed 725 enrolments without a reservation instead
        # of 250,000 and the session finder took 1.7 s instead of 20 ms. SQLite is left as
        # Django leaves it (no ANALYZE): with sqlite_stat1 its planner chose worse plans (the
        # catalogue went from 28 ms to 230 ms at the large scale).
        if connection.vendor == "postgresql":
            started_analyze = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.timings["analyze"] = time.perf_counter() - started_analyze
            log(f"  {'analyze':<15} {'':>8} ({self.timings['analyze']:.1f} s)")
        return time.perf_counter() - started

    # --- shared fixtures ----------------------------------------------------------------------

    def _make_fixtures(self) -> Fixtures:
        now = timezone.now()
        framework = CompetencyFramework.objects.create(
            code="bench-referentiel",
            title="Référentiel pair-aidance (bench)",
            status=CompetencyFramework.Status.ACTIVE,
            activated_at=now,
        )
        competency_ids = []
        for b in range(1, BLOCKS + 1):
            block = CompetencyBlock.objects.create(
                framework=framework, code=f"B{b}", title=f"Bloc {b}", position=b
            )
            for c in range(1, COMPETENCIES_PER_BLOCK + 1):
                competency = Competency.objects.create(
                    block=block, code=f"B{b}.{c}", label=f"Compétence {b}.{c}", position=c
                )
                competency_ids.append(competency.pk)
        certification = Certification.objects.create(
            code="bench-pair-aidant",
            title="Certificat de pair-aidant (bench)",
            framework_code=framework.code,
            issuing_body="Parcours bench",
        )
        CertificationRules.objects.create(
            certification=certification,
            total_training_hours=Decimal(120),
            ethics_hours=Decimal(20),
            min_attendance_rate=Decimal(80),
            signatories="Marie Dupont, coordinatrice\nLuc Martin, président du jury",
        )
        venues = _bulk(
            Venue,
            [
                Venue(
                    name=f"Maison des associations de {town}",
                    town=town,
                    region=region,
                    postcode=str(1000 + i * 300),
                    address=f"Rue de la Station {i + 1}",
                    step_free_access=i % 2 == 0,
                    public_transport="Bus 12, arrêt Gare",
                )
                for i, (town, region) in enumerate(TOWNS)
            ],
        )
        trainers = self._people("trainer", TRAINER_POOL, Role.TRAINER)
        coordinator = self._people("coordinator", 1, Role.COORDINATOR)[0]
        # Coordinators must use two-factor authentication before any page opens.
        set_up_authenticator_app(user=coordinator, secret=base64.b32encode(os.urandom(20)).decode())
        partner = self._people("partner", 1, Role.PARTNER)[0]
        _key, raw_key = verification_services.create_api_key(
            partner_name="Haute école partenaire (bench)", created_by=coordinator, owner=partner
        )
        home = Site.objects.get(is_default_site=True).root_page.specific
        floor_page = StandardPage(title="Bench floor", slug="bench-floor")
        home.add_child(instance=floor_page)
        catalogue = CourseIndexPage(title="Nos formations", slug="catalogue")
        home.add_child(instance=catalogue)
        finder = SessionFinderPage(title="Trouver une session", slug="sessions")
        home.add_child(instance=finder)
        return Fixtures(
            framework=framework,
            certification=certification,
            competency_ids=competency_ids,
            venue_ids=[v.pk for v in venues],
            trainer_ids=[t.pk for t in trainers],
            coordinator=coordinator,
            partner=partner,
            api_key=raw_key,
            floor_page=floor_page,
            catalogue=catalogue,
            finder=finder,
        )

    def _people(self, kind: str, count: int, role: str, *, start: int = 0) -> list[User]:
        """``count`` people with an unusable password and ``role``, in one bulk insert."""
        people = _bulk(
            User,
            [
                User(
                    email=f"{kind}{i:06d}@{EMAIL_DOMAIN}",
                    first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                    last_name=f"{LAST_NAMES[i % len(LAST_NAMES)]}-{i}",
                    password=UNUSABLE_PASSWORD,
                    preferred_language="fr",
                )
                for i in range(start, start + count)
            ],
        )
        group = Group.objects.get(name=role)
        membership = User.groups.through
        _bulk(membership, [membership(user_id=p.pk, group_id=group.pk) for p in people])
        return people

    # --- growth steps (each adds the rows of indexes start..end-1) ---------------------------

    def _add_trainees(self, start: int, end: int) -> None:
        people = self._people("trainee", end - start, Role.TRAINEE, start=start)
        self.trainee_ids.extend(p.pk for p in people)

    def _add_courses(self, start: int, end: int) -> None:
        assert self.fixtures is not None  # noqa: S101
        fx = self.fixtures
        courses = _bulk(
            Course,
            [
                Course(
                    title=f"{TOPICS[i % len(TOPICS)]} — parcours {i + 1}",
                    slug=f"bench-course-{i}",
                    summary="Une formation en petits groupes, animée par des pairs-aidants.",
                    total_hours=Decimal(60),
                    certification=fx.certification,
                    is_published=True,
                )
                for i in range(start, end)
            ],
        )
        modules = _bulk(
            Module,
            [
                Module(
                    course=course,
                    title=f"Module {j + 1}",
                    code=f"bench-c{start + n}-m{j}",
                    hours=Decimal(20),
                    ethics_hours=Decimal(6) if j == 0 else Decimal(0),
                    position=j,
                )
                for n, course in enumerate(courses)
                for j in range(MODULES_PER_COURSE)
            ],
        )
        link = Module.competencies.through
        links: list = []
        ncomp = len(fx.competency_ids)
        for n in range(len(courses)):
            covered = []
            for j in range(MODULES_PER_COURSE):
                module = modules[n * MODULES_PER_COURSE + j]
                first = ((start + n) * MODULES_PER_COURSE + j) * 3
                competency_ids = [fx.competency_ids[(first + c) % ncomp] for c in range(3)]
                links.extend(link(module_id=module.pk, competency_id=cid) for cid in competency_ids)
                covered.append((module.pk, competency_ids))
            self.course_modules.append(covered)
        _bulk(link, links)
        # Wagtail pages cannot be bulk inserted (multi-table inheritance and a tree path);
        # they are plain live pages with no revision, which is what serving reads.
        for course in courses:
            page = CoursePage(
                title=course.title,
                slug=course.slug,
                course=course,
                intro=course.summary,
            )
            fx.catalogue.add_child(instance=page)

    def _add_sessions(self, start: int, end: int) -> None:
        assert self.fixtures is not None  # noqa: S101
        fx = self.fixtures
        now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
        ncourses = len(self.course_modules)
        course_ids = list(
            Course.objects.filter(slug__startswith="bench-course-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        sessions = []
        for s in range(start, end):
            online = s % 10 == 9
            sessions.append(
                Session(
                    course_id=course_ids[s % ncourses],
                    code=f"bench-s{s:06d}",
                    format=Session.Format.ONLINE
                    if online
                    else (Session.Format.HYBRID if s % 10 == 8 else Session.Format.IN_PERSON),
                    venue_id=None if online else fx.venue_ids[s % len(fx.venue_ids)],
                    online_url="" if s % 10 < 8 else "https://visio.parcours.example/salle",
                    capacity=CAPACITY,
                    language="nl" if s % 7 == 6 else "fr",
                    status=Session.Status.PUBLISHED,
                )
            )
        sessions = _bulk(Session, sessions)
        trainers = Session.trainers.through
        _bulk(
            trainers,
            [
                trainers(session_id=session.pk, user_id=fx.trainer_ids[(start + n) % TRAINER_POOL])
                for n, session in enumerate(sessions)
            ],
        )
        meetings = []
        for n, session in enumerate(sessions):
            s = start + n
            # Three sessions in ten are over (with attendance and results), the rest to come.
            offset = -(s % 300 + 10) if self._is_past(s) else s % 300 + 5
            for day in range(2):
                begins = now + timedelta(days=offset + day)
                meetings.append(
                    Meeting(session=session, starts_at=begins, ends_at=begins + timedelta(hours=7))
                )
        meetings = _bulk(Meeting, meetings)
        self._add_enrolments(start, sessions, meetings)

    @staticmethod
    def _is_past(s: int) -> bool:
        return s % 10 < 3

    def _add_enrolments(self, start: int, sessions: list, meetings: list) -> None:
        assert self.fixtures is not None  # noqa: S101
        fx = self.fixtures
        trainees = self.trainee_ids
        per = min(ENROLMENTS_PER_SESSION, len(trainees))
        now = timezone.now()
        enrolments = []
        for n, session in enumerate(sessions):
            s = start + n
            past = self._is_past(s)
            for k in range(per):
                trainee_id = trainees[(s * ENROLMENTS_PER_SESSION + k) % len(trainees)]
                queue = None
                if k < CAPACITY - 1:
                    status = Enrolment.Status.COMPLETED if past else Enrolment.Status.CONFIRMED
                elif k == CAPACITY - 1:
                    status = Enrolment.Status.NO_SHOW if past else Enrolment.Status.CONFIRMED
                elif k < 18 and not past:
                    status, queue = Enrolment.Status.WAITING_LIST, k - CAPACITY + 1
                else:
                    status = Enrolment.Status.CANCELLED_BY_TRAINEE
                enrolments.append(
                    Enrolment(
                        session=session,
                        trainee_id=trainee_id,
                        status=status,
                        queue_position=queue,
                        requested_at=now - timedelta(days=k),
                    )
                )
        enrolments = _bulk(Enrolment, enrolments)
        # Past sessions: attendance of both meetings, one released (or draft) assessment.
        attendance, assessments, graded = [], [], []
        for n, session in enumerate(sessions):
            s = start + n
            if not self._is_past(s):
                continue
            group = [e for e in enrolments[n * per : (n + 1) * per] if e.status == "completed"]
            for meeting in meetings[2 * n : 2 * n + 2]:
                for k, enrolment in enumerate(group):
                    attendance.append(
                        MeetingAttendance(
                            meeting=meeting,
                            trainee_id=enrolment.trainee_id,
                            enrolment=enrolment,
                            status="absent" if k == 3 else "present",
                        )
                    )
            module_id, competency_ids = self.course_modules[s % len(self.course_modules)][0]
            released = s % 3 == 0
            assessments.append(
                Assessment(
                    session=session,
                    module_id=module_id,
                    title="Jeu de rôle : premier entretien",
                    method=Assessment.Method.ROLE_PLAY,
                    status=Assessment.Status.RELEASED if released else Assessment.Status.DRAFT,
                    created_by_id=fx.trainer_ids[s % TRAINER_POOL],
                    released_at=now if released else None,
                )
            )
            graded.append((group, competency_ids, released))
        _bulk(MeetingAttendance, attendance)
        assessments = _bulk(Assessment, assessments)
        criteria = _bulk(
            RubricCriterion,
            [
                RubricCriterion(assessment=a, competency_id=cid, position=p)
                for a, (_group, competency_ids, _released) in zip(assessments, graded, strict=True)
                for p, cid in enumerate(competency_ids)
            ],
        )
        results = _bulk(
            Result,
            [
                Result(
                    assessment=a,
                    trainee_id=e.trainee_id,
                    status=Result.Status.RELEASED if released else Result.Status.DRAFT,
                    feedback="Belle écoute, à poursuivre.",
                    passed=True,
                    graded_by_id=a.created_by_id,
                    released_at=now if released else None,
                )
                for a, (group, _cids, released) in zip(assessments, graded, strict=True)
                for e in group
            ],
        )
        by_assessment: dict[int, list] = {}
        for criterion in criteria:
            by_assessment.setdefault(criterion.assessment_id, []).append(criterion)
        _bulk(
            Judgement,
            [
                Judgement(
                    result=r,
                    criterion=c,
                    level=Level.ACQUIRED,
                    justification="Observé pendant le jeu de rôle.",
                    author_id=r.graded_by_id,
                )
                for r in results
                for c in by_assessment[r.assessment_id]
            ],
        )

    def _add_ledger(self, start: int, end: int) -> None:
        """Ten entries per trainee: one in five holds every block and the hours."""
        assert self.fixtures is not None  # noqa: S101
        fx = self.fixtures
        blocks = list(fx.framework.blocks.order_by("position").values_list("pk", flat=True))
        ncomp = len(fx.competency_ids)
        entries: list[LedgerEntry] = []
        attendance: list[CertificationAttendance] = []
        source = LedgerEntry.Source.TRAINING_RESULT
        for i in range(start // 10, end // 10):
            person = self.trainee_ids[i % len(self.trainee_ids)]
            ref = f"bench:{i}"
            hours = (
                [("training", 120), ("ethics", 20)]
                if i % 5 == 0
                else [("training", 40), ("ethics", 6), ("supervision", 10)]
            )
            if i % 5 == 0:
                entries.extend(
                    LedgerEntry(
                        person_id=person,
                        kind="block",
                        block_id=b,
                        source=source,
                        source_reference=ref,
                    )
                    for b in blocks
                )
            else:
                entries.extend(
                    LedgerEntry(
                        person_id=person,
                        kind="competency",
                        competency_id=fx.competency_ids[(i + j) % ncomp],
                        source=source,
                        source_reference=ref,
                    )
                    for j in range(10 - len(hours))
                )
            entries.extend(
                LedgerEntry(
                    person_id=person,
                    kind="hours",
                    hours_kind=kind,
                    hours=Decimal(amount),
                    source=source,
                    source_reference=ref,
                )
                for kind, amount in hours
            )
            attendance.append(
                CertificationAttendance(
                    person_id=person, certification=fx.certification, rate=Decimal(70 + i % 31)
                )
            )
        _bulk(LedgerEntry, entries, batch_size=5_000)
        _bulk(CertificationAttendance, attendance)

    def _add_certificates(self, start: int, end: int) -> None:
        assert self.fixtures is not None  # noqa: S101
        fx = self.fixtures
        names = dict(
            User.objects.filter(pk__in=self.trainee_ids[start:end]).values_list("pk", "last_name")
        )
        now = timezone.now()
        certificates = []
        for i in range(start, end):
            holder = self.trainee_ids[i]
            status = Certificate.Status.VALID
            if i % 50 == 49:
                status = Certificate.Status.REVOKED
            elif i % 50 == 48:
                status = Certificate.Status.SUSPENDED
            certificates.append(
                Certificate(
                    holder_id=holder,
                    certification=fx.certification,
                    code=codes.generate_code(),
                    register_number=i + 1,
                    name_as_printed=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {names[holder]}",
                    framework=fx.framework,
                    issued_at=now - timedelta(days=i % 700),
                    status=status,
                    revoked_at=now if status == Certificate.Status.REVOKED else None,
                    revocation_reason="Erreur d'encodage corrigée."
                    if status == Certificate.Status.REVOKED
                    else "",
                )
            )
        _bulk(Certificate, certificates)

    def _add_candidacies(self, start: int, end: int) -> None:
        assert self.fixtures is not None  # noqa: S101
        fx = self.fixtures
        now = timezone.now()
        _bulk(
            Candidacy,
            [
                Candidacy(
                    candidate_id=self.trainee_ids[(i * 7 + 3) % len(self.trainee_ids)],
                    certification=fx.certification,
                    status=CANDIDACY_STATUSES[i % len(CANDIDACY_STATUSES)],
                    created_at=now - timedelta(days=i % 400),
                    last_activity_at=now - timedelta(days=i % 40),
                )
                for i in range(start, end)
            ],
        )

    # --- what the measures need --------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows actually in the database, for the report."""
        return {
            "trainees": User.objects.filter(groups__name=Role.TRAINEE).count(),
            "courses": Course.objects.count(),
            "sessions": Session.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "results": Result.objects.count(),
            "ledger_entries": LedgerEntry.objects.count(),
            "certificates": Certificate.objects.count(),
            "candidacies": Candidacy.objects.count(),
        }
