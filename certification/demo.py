"""Demo data for seed_demo: the default peer-helper competency framework (see DOMAIN.md)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .eligibility import check_eligibility
from .models import (
    Certificate,
    Certification,
    CertificationRules,
    Competency,
    CompetencyBlock,
    CompetencyFramework,
    LedgerEntry,
)

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


DEMO_RULES = {
    "total_training_hours": Decimal(84),
    "ethics_hours": Decimal(16),
    "internship_hours": Decimal(35),
    "supervision_hours": Decimal(4),
    "min_attendance_rate": Decimal(80),
    "signatories": "Sophie Lambert, coordinatrice pédagogique\nMarc Dubois, formateur pair-aidant",
}

Source = LedgerEntry.Source
HoursKind = LedgerEntry.HoursKind

# Who holds what. VAE blocks come from a jury decision; the rest from training results.
DEMO_LEDGER: dict[str, dict] = {
    "julie": {
        "training": ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"],
        "vae": [],
        "hours": {"training": 68, "ethics": 16, "internship": 35, "supervision": 4},
        "attendance": 92,
    },
    "amina": {
        "training": ["B2", "B3", "B4", "B5", "B7"],
        "vae": ["B1", "B6", "B8"],
        "hours": {"training": 70, "ethics": 16, "internship": 40, "supervision": 6},
        "attendance": 88,
    },
    # Thomas lacks block B4 and 6 h of ethics: his checklist says so.
    "thomas": {
        "training": ["B1", "B2", "B3", "B5", "B6", "B7", "B8"],
        "vae": [],
        "hours": {"training": 74, "ethics": 10, "internship": 35, "supervision": 4},
        "attendance": 85,
    },
}
REVOCATION_REASON = (
    "Attestation de stage non conforme : décision du comité de certification après vérification."
)


def seed_ledger(
    *, people: dict, framework: CompetencyFramework, certification: Certification
) -> None:
    """Ledger entries for the demo trainees (idempotent through dedupe keys)."""
    coordinator = people.get("coordination")
    supervisor = people.get("formateur.namur")
    blocks = {block.code: block for block in framework.blocks.all()}
    start = timezone.localdate() - timedelta(days=200)
    for key, plan in DEMO_LEDGER.items():
        person = people.get(key)
        if person is None:
            continue
        for source, codes in (
            (Source.TRAINING_RESULT, plan["training"]),
            (Source.VAE_DECISION, plan["vae"]),
        ):
            for offset, code in enumerate(codes):
                services.record_acquisition(
                    person=person,
                    block=blocks[code],
                    source=source,
                    source_reference="demo",
                    recorded_by=coordinator,
                    effective_on=start + timedelta(days=15 * offset),
                    justification="Jury VAE (démonstration)"
                    if source == Source.VAE_DECISION
                    else "Évaluation du module réussie (démonstration)",
                    dedupe_key=f"demo:{key}:{code}",
                )
        for kind, hours in plan["hours"].items():
            services.record_hours(
                person=person,
                hours_kind=kind,
                hours=hours,
                source=Source.TRAINING_RESULT,
                source_reference="demo",
                recorded_by=coordinator,
                signed_off_by=supervisor if kind == HoursKind.INTERNSHIP else None,
                effective_on=start + timedelta(days=120),
                dedupe_key=f"demo:{key}:hours:{kind}",
            )
        services.record_attendance_rate(
            person=person,
            certification=certification,
            rate=plan["attendance"],
            source_reference="demo",
        )


def seed(context) -> None:
    """seed_demo step: the framework, the certification and its rules, the demo trainees'
    ledger, a valid certificate (Julie) and a revoked one (Amina)."""
    framework = seed_framework()
    certification = Certification.objects.get(code="certificat-pair-aidant")
    CertificationRules.objects.get_or_create(certification=certification, defaults=DEMO_RULES)
    context.objects["framework"] = framework
    context.objects["certification"] = certification
    people = context.objects.get("people") or {}
    if not people:
        return
    seed_ledger(people=people, framework=framework, certification=certification)
    coordinator = people.get("coordination")
    issued: list[Certificate] = []
    for key in ("julie", "amina"):
        if key in people:
            issued.append(
                services.issue_certificate(
                    person=people[key], certification=certification, issued_by=coordinator
                )
            )
    if "amina" in people and coordinator is not None:
        services.revoke_certificate(
            certificate=issued[-1], by=coordinator, reason=REVOCATION_REASON
        )
    certificates = list(
        Certificate.objects.filter(pk__in=[c.pk for c in issued])
        .select_related("holder")
        .order_by("register_number")
    )
    context.objects["certificates"] = certificates
    context.report["certificates"] = [
        {
            "holder": c.holder.email,
            "name_as_printed": c.name_as_printed,
            "code": c.code,
            "status": c.status,
            "register_number": c.register_number,
            "verification_url": c.verification_url,
            **({"revocation_reason": c.revocation_reason} if c.revocation_reason else {}),
        }
        for c in certificates
    ]
    context.sections.append(
        (
            "Certificates (verification codes)",
            [
                f"{c.get_status_display():<10} {c.code}  {c.name_as_printed}  {c.verification_url}"
                for c in certificates
            ]
            + (
                [f"Thomas Leroy: {check_eligibility(people['thomas'], certification).summary}"]
                if "thomas" in people
                else []
            ),
        )
    )
