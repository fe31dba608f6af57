"""Demo data for seed_demo: VAE candidacies at several stages, made through the real services.

Léa has a draft, Youssef waits for the admissibility decision, Sarah's jury is scheduled (Anne
Claes chairs, Pierre Wauters sits), Kevin was granted B1, B2 and B5 and follows the rest in
training. Running it again creates nothing new.
"""

from datetime import date, timedelta

from django.utils import timezone

from certification.models import Certification, CompetencyFramework
from courses.models import Module
from lms.accounts.models import User

from . import services
from .models import Candidacy, Experience

ExperienceRow = tuple[str, str, str, date, date | None, int]

EXPERIENCES: dict[str, list[ExperienceRow]] = {
    "lea": [
        (
            Experience.Kind.SELF_HELP_GROUP,
            "Groupe d'entraide Alcooliques anonymes",
            "Participante puis marraine",
            date(2017, 9, 1),
            None,
            400,
        ),
    ],
    "youssef": [
        (
            Experience.Kind.VOLUNTEERING,
            "Restos du cœur, Charleroi",
            "Bénévole à l'accueil",
            date(2016, 1, 1),
            date(2021, 12, 31),
            900,
        ),
        (
            Experience.Kind.USER_REPRESENTATION,
            "Comité d'usagers, hôpital psychiatrique",
            "Représentant des usagers",
            date(2020, 3, 1),
            None,
            150,
        ),
    ],
    "sarah": [
        (
            Experience.Kind.PEER_SUPPORT,
            "Quartier nord, Bruxelles",
            "Soutien informel entre pairs",
            date(2015, 5, 1),
            None,
            1200,
        ),
        (
            Experience.Kind.PAID_WORK,
            "Maison d'accueil Housing First",
            "Agente d'accueil",
            date(2021, 2, 1),
            date(2024, 1, 31),
            2500,
        ),
    ],
    "kevin": [
        (
            Experience.Kind.VOLUNTEERING,
            "Ligne d'écoute",
            "Écoutant bénévole",
            date(2014, 1, 1),
            date(2022, 6, 30),
            1500,
        ),
        (
            Experience.Kind.TRAINING,
            "Formation à l'écoute active",
            "Participant",
            date(2014, 1, 1),
            date(2014, 3, 31),
            30,
        ),
    ],
}


def _fill(candidacy: Candidacy, person: User, key: str) -> None:
    for kind, organisation, role, start, end, hours in EXPERIENCES[key]:
        services.save_experience(
            candidacy=candidacy,
            by=person,
            kind=kind,
            organisation=organisation,
            role=role,
            started_on=start,
            ended_on=end,
            hours=hours,
        )
    for block in services.target_blocks(candidacy):
        services.save_self_assessment(
            candidacy=candidacy,
            by=person,
            block=block,
            levels={
                c.pk: "yes" if block.position % 2 == 0 else "partly"
                for c in block.competencies.all()
            },
            narrative=f"Dans mes expériences, j'ai mis en œuvre « {block.title} » au quotidien.",
        )
    services.sign_sworn_statement(candidacy=candidacy, by=person, sworn=True)


def _to_portfolio_submitted(
    candidacy: Candidacy, person: User, coordinator: User, key: str
) -> Candidacy:
    _fill(candidacy, person, key)
    services.submit_candidacy(candidacy=candidacy, by=person)
    services.decide_admissibility(candidacy=candidacy, by=coordinator, outcome="admissible")
    services.sign_sworn_statement(candidacy=candidacy, by=person, sworn=True)
    return services.submit_portfolio(candidacy=candidacy, by=person)


def _schedule(
    candidacy: Candidacy, coordinator: User, chair: User, member: User, days: int
) -> Candidacy:
    session = services.create_jury_session(
        by=coordinator,
        starts_at=timezone.now() + timedelta(days=days),
        members=[chair, member],
        chair=chair,
        place="Namur, rue de Fer 10 (salle 2)",
    )
    candidacy = services.schedule_jury(candidacy=candidacy, session=session, by=coordinator)
    for person in (chair, member):
        services.declare_conflict_of_interest(
            candidacy=candidacy, member=person, has_conflict=False
        )
    return candidacy


def seed(context) -> None:  # type: ignore[no-untyped-def]
    """seed_demo step: four VAE candidacies at different stages."""
    people: dict[str, User] = context.objects.get("people") or {}
    certification: Certification | None = context.objects.get("certification")
    needed = {"coordination", "jury", "jury2", "lea", "youssef", "sarah", "kevin"}
    if certification is None or not needed <= set(people):
        return
    coordinator, chair, member = people["coordination"], people["jury"], people["jury2"]
    lines = []

    def existing(key: str) -> Candidacy | None:
        return Candidacy.objects.filter(candidate=people[key], certification=certification).first()

    if existing("lea") is None:
        candidacy = services.open_candidacy(candidate=people["lea"], certification=certification)
        _fill(candidacy, people["lea"], "lea")
    if existing("youssef") is None:
        candidacy = services.open_candidacy(
            candidate=people["youssef"], certification=certification
        )
        _fill(candidacy, people["youssef"], "youssef")
        services.submit_candidacy(candidacy=candidacy, by=people["youssef"])
        # A counsellor never sits on the jury of the person they accompany.
        services.assign_counsellor(candidacy=candidacy, by=coordinator, counsellor=member)
    if existing("sarah") is None:
        candidacy = services.open_candidacy(candidate=people["sarah"], certification=certification)
        candidacy = _to_portfolio_submitted(candidacy, people["sarah"], coordinator, "sarah")
        _schedule(candidacy, coordinator, chair, member, days=21)
    if existing("kevin") is None:
        candidacy = services.open_candidacy(candidate=people["kevin"], certification=certification)
        candidacy = _to_portfolio_submitted(candidacy, people["kevin"], coordinator, "kevin")
        candidacy = _schedule(candidacy, coordinator, chair, member, days=-10)
        framework = CompetencyFramework.objects.get(
            code=certification.framework_code, status=CompetencyFramework.Status.ACTIVE
        )
        acquired = {"B1", "B2", "B5"}
        verdicts = [
            services.BlockVerdict(
                block=block,
                acquired=block.code in acquired,
                justification=(
                    "Expérience longue et attestée, bien analysée dans le dossier."
                    if block.code in acquired
                    else "Expérience encore limitée : à compléter en formation."
                ),
            )
            for block in framework.blocks.order_by("position")
        ]
        to_follow = (
            Module.objects.filter(
                competencies__block__framework=framework,
            )
            .exclude(competencies__block__code__in=acquired)
            .distinct()
        )
        services.record_jury_decision(
            candidacy=candidacy,
            chair=chair,
            overall="partial",
            verdicts=verdicts,
            recommendations="Suivre en formation les blocs non acquis ; poursuivre l'écoute en équipe.",
            recommended_modules=list(to_follow),
        )
    for candidacy in Candidacy.objects.filter(
        certification=certification,
        candidate__in=[people[k] for k in ("lea", "youssef", "sarah", "kevin")],
    ).select_related("candidate"):
        lines.append(
            f"{candidacy.reference} {candidacy.candidate.email}: {candidacy.get_status_display()}"
        )
    context.report["vae"] = lines
    context.sections.append(("VAE (candidatures)", lines))
