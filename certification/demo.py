"""Demo data for seed_demo: the default peer-helper competency framework (see DOMAIN.md)."""

from django.db import transaction
from django.utils import timezone

from .models import Certification, Competency, CompetencyBlock, CompetencyFramework

FRAMEWORK_CODE = "pair-aidance"

# (block code, title, [(competency code, label, criteria), ...])
DEFAULT_FRAMEWORK: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    (
        "B1",
        "Valeurs, rétablissement et usage de son vécu",
        [
            (
                "B1.1",
                "Situer son propre parcours de rétablissement",
                "Décrit les étapes de son rétablissement\nDistingue son vécu de celui de la personne accompagnée",
            ),
            (
                "B1.2",
                "Partager son vécu avec discernement",
                "Choisit quoi partager, quand et pourquoi\nVérifie l'utilité du partage pour la personne",
            ),
            (
                "B1.3",
                "Promouvoir l'espoir et l'autodétermination",
                "Soutient les choix de la personne\nÉvite tout discours moralisateur",
            ),
        ],
    ),
    (
        "B2",
        "Relation d'aide et communication",
        [
            (
                "B2.1",
                "Établir une relation de confiance",
                "Accueille sans jugement\nRespecte le rythme de la personne",
            ),
            ("B2.2", "Écouter activement", "Reformule\nPose des questions ouvertes"),
        ],
    ),
    (
        "B3",
        "Plan de rétablissement, autogestion, ressources et droits",
        [
            (
                "B3.1",
                "Soutenir l'élaboration d'un plan de rétablissement",
                "Aide à formuler des objectifs personnels",
            ),
            (
                "B3.2",
                "Orienter vers les ressources et les droits",
                "Connaît les services du territoire\nInforme sur les droits sociaux",
            ),
        ],
    ),
    (
        "B4",
        "Crise, risque, prévention du suicide et protection",
        [
            ("B4.1", "Repérer une situation de crise", "Reconnaît les signes d'alerte"),
            (
                "B4.2",
                "Réagir et passer le relais",
                "Applique la procédure de l'équipe\nAlerte les bons interlocuteurs",
            ),
        ],
    ),
    (
        "B5",
        "Éthique, confidentialité, limites et cadre légal",
        [
            ("B5.1", "Respecter la confidentialité", "Applique le secret professionnel partagé"),
            (
                "B5.2",
                "Poser et tenir ses limites",
                "Identifie les situations qui dépassent son rôle",
            ),
        ],
    ),
    (
        "B6",
        "Travail en équipe, médiation, plaidoyer et connaissance des services",
        [
            (
                "B6.1",
                "Collaborer avec une équipe pluridisciplinaire",
                "Partage ses observations en réunion",
            ),
            (
                "B6.2",
                "Porter la voix des personnes concernées",
                "Relaie les besoins exprimés par les usagers",
            ),
        ],
    ),
    (
        "B7",
        "Prendre soin de soi, supervision, intervision et développement professionnel",
        [
            (
                "B7.1",
                "Prendre soin de sa santé et de son équilibre",
                "Repère ses signaux de fatigue",
            ),
            (
                "B7.2",
                "Utiliser la supervision et l'intervision",
                "Apporte des situations en intervision",
            ),
        ],
    ),
    (
        "B8",
        "Modules contextuels : assuétudes, précarité et sans-abrisme, pair-aidance familiale",
        [
            (
                "B8.1",
                "Adapter sa pratique au contexte d'intervention",
                "Connaît les spécificités du public",
            ),
        ],
    ),
]


@transaction.atomic
def seed_framework() -> CompetencyFramework:
    """Create the default framework (version 1, active) and the peer-helper certification."""
    framework, created = CompetencyFramework.objects.get_or_create(
        code=FRAMEWORK_CODE,
        version=1,
        defaults={
            "title": "Référentiel de compétences des pairs-aidants",
            "description": "Inspiré des compétences de base SAMHSA, du référentiel HEE/NCCMH, "
            "de la licence de médiateur de santé pair et du programme de l'AQRP.",
            "status": CompetencyFramework.Status.ACTIVE,
            "activated_at": timezone.now(),
        },
    )
    if created:
        for block_position, (block_code, block_title, competencies) in enumerate(DEFAULT_FRAMEWORK):
            block = CompetencyBlock.objects.create(
                framework=framework, code=block_code, title=block_title, position=block_position
            )
            Competency.objects.bulk_create(
                Competency(
                    block=block, code=code, label=label, criteria=criteria, position=position
                )
                for position, (code, label, criteria) in enumerate(competencies)
            )
    Certification.objects.get_or_create(
        code="certificat-pair-aidant",
        defaults={
            "title": "Certificat de pair-aidant",
            "description": "Certificat préparant à l'emploi de pair-aidant en santé mentale, "
            "assuétudes et précarité.",
            "framework_code": FRAMEWORK_CODE,
            "issuing_body": "Parcours — formation des pairs-aidants (démonstration)",
        },
    )
    return framework


def seed(context) -> None:
    """seed_demo step: the default framework and the certification."""
    context.objects["framework"] = seed_framework()
    context.objects["certification"] = Certification.objects.get(code="certificat-pair-aidant")
