"""Demo data for seed_demo: two courses, venues in five towns, sessions online and on site,
trainers, enrolments with a full session, a waiting list and an open offer. Idempotent."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from certification.models import Certification, CompetencyFramework

from . import services
from .models import (
    Course,
    Enrolment,
    EnrolmentStatusChange,
    Meeting,
    Module,
    Region,
    Session,
    Venue,
)

BASE_COURSE = "formation-de-base"
CONTINUING_COURSE = "intervision-et-ethique"

# (block code, module title, hours, ethics hours, assessment)
BASE_MODULES = [
    ("B1", "Valeurs, rétablissement et usage de son vécu", "12", "2", "Récit réflexif écrit"),
    ("B2", "Relation d'aide et communication", "12", "0", "Mise en situation observée"),
    ("B3", "Plan de rétablissement, ressources et droits", "12", "0", "Étude de cas"),
    ("B4", "Crise, risque et prévention du suicide", "12", "2", "Mise en situation observée"),
    ("B5", "Éthique, confidentialité et limites", "16", "12", "Analyse de situations éthiques"),
    ("B6", "Travail en équipe, médiation et plaidoyer", "8", "0", "Présentation orale"),
    ("B7", "Prendre soin de soi, supervision et intervision", "8", "0", "Journal de pratique"),
    ("B8", "Contextes : assuétudes, précarité, pair-aidance familiale", "4", "0", "Quiz"),
]

VENUES = [
    # key, name, town, region, postcode, address, step-free, transport
    (
        "bruxelles",
        "Maison des Associations",
        "Bruxelles",
        Region.BRUSSELS,
        "1000",
        "Rue des Tanneurs 58",
        True,
        "Métro Porte de Hal ; tram 3, 4, 51.",
    ),
    (
        "namur",
        "Espace Rencontre Namur",
        "Namur",
        Region.NAMUR,
        "5000",
        "Rue de Fer 25",
        True,
        "10 minutes à pied de la gare de Namur.",
    ),
    (
        "liege",
        "Centre culturel des Chiroux",
        "Liège",
        Region.LIEGE,
        "4000",
        "Place des Carmes 8",
        False,
        "Bus 1, 4 arrêt Chiroux.",
    ),
    (
        "charleroi",
        "Quai10 — salle du premier",
        "Charleroi",
        Region.HAINAUT,
        "6000",
        "Quai Arthur Rimbaud 10",
        True,
        "5 minutes de la gare de Charleroi-Central.",
    ),
    (
        "mons",
        "Maison de la Santé mentale",
        "Mons",
        Region.HAINAUT,
        "7000",
        "Rue de Nimy 52",
        False,
        "Bus 1 et 2 arrêt Grand-Place.",
    ),
]

# code, course, venue key (None = online), trainer key, capacity, first meeting in days, meetings
SESSIONS = [
    ("DEMO-BXL-1", BASE_COURSE, "bruxelles", "formatrice.bruxelles", 12, 21, 6),
    ("DEMO-NAM-1", BASE_COURSE, "namur", "formateur.namur", 10, 28, 5),
    ("DEMO-LIE-1", BASE_COURSE, "liege", "formateur.namur", 10, 42, 5),
    ("DEMO-CHA-1", BASE_COURSE, "charleroi", "formateur.namur", 12, 56, 4),
    ("DEMO-MON-1", BASE_COURSE, "mons", "formatrice.bruxelles", 3, 35, 4),
    ("DEMO-WEB-1", CONTINUING_COURSE, None, "formatrice.bruxelles", 15, 14, 3),
]


def _seed_courses(certification: Certification | None) -> tuple[Course, Course]:
    base, _created = Course.objects.get_or_create(
        slug=BASE_COURSE,
        defaults={
            "title": "Formation de base à la pair-aidance",
            "summary": "La formation certifiante pour devenir pair-aidant : huit modules en petits "
            "groupes, un stage accompagné, près de chez vous.",
            "audience": "Des personnes qui ont traversé des problèmes de santé mentale, "
            "d'assuétude ou de précarité, rétablies, qui veulent mettre ce vécu au service "
            "d'autres personnes.",
            "total_hours": Decimal("84"),
            "certification": certification,
            "is_published": True,
        },
    )
    framework = CompetencyFramework.objects.filter(
        code=certification.framework_code if certification else "pair-aidance",
        status=CompetencyFramework.Status.ACTIVE,
    ).first()
    for position, (block_code, title, hours, ethics, assessment) in enumerate(BASE_MODULES):
        module, created = Module.objects.get_or_create(
            code=f"base-{block_code.lower()}",
            defaults={
                "course": base,
                "title": title,
                "hours": Decimal(hours),
                "ethics_hours": Decimal(ethics),
                "assessment_method": assessment,
                "position": position,
            },
        )
        if created and framework is not None:
            module.competencies.set(
                framework.blocks.get(code=block_code).competencies.all()
                if framework.blocks.filter(code=block_code).exists()
                else []
            )
    continuing, created = Course.objects.get_or_create(
        slug=CONTINUING_COURSE,
        defaults={
            "title": "Intervision et éthique",
            "summary": "Formation continue pour les pairs-aidants en poste : analyser ensemble "
            "des situations vécues, tenir ses limites, prendre soin de soi.",
            "audience": "Pairs-aidants formés, en poste ou bénévoles.",
            "total_hours": Decimal("6"),
            "is_published": True,
        },
    )
    if created:
        continuing.prerequisite_courses.add(base)
    module, created = Module.objects.get_or_create(
        code="fc-intervision-ethique",
        defaults={
            "course": continuing,
            "title": "Intervision et éthique",
            "hours": Decimal("6"),
            "ethics_hours": Decimal("3"),
            "assessment_method": "Participation et analyse de situation",
        },
    )
    if created and framework is not None:
        module.competencies.set(
            framework.blocks.filter(code__in=["B5", "B7"]).values_list("competencies", flat=True)
        )
    return base, continuing


def _meeting_times(first_day: datetime, count: int) -> list[tuple[datetime, datetime]]:
    times = []
    for index in range(count):
        day = (first_day + timedelta(days=7 * index)).date()
        start = timezone.make_aware(datetime.combine(day, time(9, 30)))
        times.append((start, start + timedelta(hours=6, minutes=30)))
    return times


@transaction.atomic
def seed_sessions(people: dict) -> dict[str, Session]:
    """Venues and published sessions with dated meetings (created once, relative to today)."""
    certification = Certification.objects.filter(code="certificat-pair-aidant").first()
    base, continuing = _seed_courses(certification)
    courses = {BASE_COURSE: base, CONTINUING_COURSE: continuing}
    venues = {}
    for key, name, town, region, postcode, address, step_free, transport in VENUES:
        venues[key], _created = Venue.objects.get_or_create(
            name=name,
            town=town,
            defaults={
                "region": region,
                "postcode": postcode,
                "address": address,
                "step_free_access": step_free,
                "public_transport": transport,
                "accessibility_notes": ""
                if step_free
                else "Salle à l'étage sans ascenseur : prévenez-nous, nous trouverons une solution.",
            },
        )
    coordinator = people.get("coordination")
    today = timezone.localtime()
    sessions = {}
    for code, course_slug, venue_key, trainer_key, capacity, in_days, count in SESSIONS:
        online = venue_key is None
        session, created = Session.objects.get_or_create(
            code=code,
            defaults={
                "course": courses[course_slug],
                "format": Session.Format.ONLINE if online else Session.Format.IN_PERSON,
                "venue": None if online else venues[venue_key],
                "online_url": "https://visio.parcours.example/intervision" if online else "",
                "online_instructions": "Le lien est actif 15 minutes avant le début."
                if online
                else "",
                "capacity": capacity,
                "enrolment_opens": today - timedelta(days=30),
                "cancellation_hours": 48,
            },
        )
        if created:
            Meeting.objects.bulk_create(
                Meeting(session=session, starts_at=start, ends_at=end)
                for start, end in _meeting_times(today + timedelta(days=in_days), count)
            )
            if trainer_key in people:
                session.trainers.add(people[trainer_key])
        if session.status == Session.Status.DRAFT:
            services.publish_session(session=session, by=coordinator)
        sessions[code] = session
    return sessions


def _enrol(session: Session, person) -> Enrolment:
    existing = Enrolment.objects.active().filter(session=session, trainee=person).first()
    return existing or services.enrol_trainee(session=session, trainee=person)


@transaction.atomic
def seed_enrolments(people: dict, sessions: dict[str, Session]) -> None:
    """Enrolments: a full Mons session with a waiting list and an open offer, and a few more."""
    coordinator = people.get("coordination")
    _enrol(sessions["DEMO-NAM-1"], people["julie"])
    _enrol(sessions["DEMO-BXL-1"], people["kevin"])
    _enrol(sessions["DEMO-CHA-1"], people["sarah"])
    _enrol(sessions["DEMO-LIE-1"], people["noah"])
    mons = sessions["DEMO-MON-1"]
    if not Enrolment.objects.filter(session=mons).exists():
        for key in ("amina", "thomas", "lea", "youssef", "julie"):
            _enrol(mons, people[key])
        # Léa cannot come after all: her place is offered to Youssef, first on the list.
        lea = Enrolment.objects.get(session=mons, trainee=people["lea"])
        services.cancel_enrolment(enrolment=lea, by=people["lea"], reason="Empêchée")
    # Kevin learned ethics and intervision elsewhere: a VAE exemption lets him join the online
    # continuing-education session.
    base = Course.objects.get(slug=BASE_COURSE)
    services.grant_exemption(
        person=people["kevin"],
        course=base,
        source="vae",
        granted_by=coordinator,
        reference="DEMO-VAE-1",
    )
    _enrol(sessions["DEMO-WEB-1"], people["kevin"])
    # Demo people have no real mailbox: mark the demo steps as notified so no email goes out.
    EnrolmentStatusChange.objects.filter(
        enrolment__session__code__startswith="DEMO-", notified_at__isnull=True
    ).update(notified_at=timezone.now())


def seed(context) -> None:
    """seed_demo step: courses, venues, sessions in five towns and online, enrolments."""
    people = context.objects["people"]
    sessions = seed_sessions(people)
    seed_enrolments(people, sessions)
    context.objects["courses"] = list(
        Course.objects.filter(slug__in=[BASE_COURSE, CONTINUING_COURSE]).order_by("title")
    )
    context.objects["sessions"] = sessions
    mons = sessions["DEMO-MON-1"]
    offer = Enrolment.objects.filter(session=mons, status=Enrolment.Status.OFFERED).first()
    lines = [
        f"{s.code}: {s.title} — {s.place_label}"
        for s in Session.objects.filter(code__startswith="DEMO-").select_related("course", "venue")
    ]
    if offer is not None:
        lines.append(f"Offre de place ouverte pour {offer.trainee.email} (DEMO-MON-1)")
    context.sections.append(("Sessions de formation", lines))
    context.report["sessions"] = [s.code for s in sessions.values()]
