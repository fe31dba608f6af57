"""Reads of the certification app, including who may see what."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from lms.accounts.models import User

from .codes import normalise_code
from .eligibility import (
    Eligibility,
    FrameworkInForce,
    PersonLedger,
    active_framework,
    check_eligibility,
    check_renewal,
    eligibility_for_all,
    eligibility_for_person,
    eligible_people,
    frameworks_in_force,
    person_ledger,
)
from .models import AttendanceRecord, Certificate, Certification, CompetencyFramework, LedgerEntry

__all__ = [
    "can_manage_certificates",
    "certificates_expiring_within",
    "certificates_for_admin",
    "certificates_for_holder",
    "checklists_for_person",
    "get_certificate_for_download",
    "list_frameworks",
    "BlockHolding",
    "Eligibility",
    "active_framework",
    "check_eligibility",
    "check_renewal",
    "eligibility_for_all",
    "eligible_people",
    "holdings_for_person",
    "PersonStanding",
    "person_standing",
    "standing_for_request",
]


@dataclass
class BlockHolding:
    """One block as it stands for a person: held or not, how, and under which versions."""

    code: str
    title: str
    in_force: bool  # the block exists in the framework version in force
    acquired: bool
    entries: list[LedgerEntry] = field(default_factory=list)
    competencies_held: int = 0
    competencies_total: int = 0

    @property
    def sources(self) -> set[str]:
        return {entry.source for entry in self.entries}

    @property
    def through_vae(self) -> bool:
        return LedgerEntry.Source.VAE_DECISION in self.sources

    @property
    def how(self) -> str:
        return ", ".join(str(LedgerEntry.Source(s).label) for s in sorted(self.sources))

    @property
    def versions(self) -> list[int]:
        """Framework versions under which the entries were recorded."""
        found = set()
        for entry in self.entries:
            if entry.block is not None:
                found.add(entry.block.framework.version)
            elif entry.competency is not None:
                found.add(entry.competency.block.framework.version)
        return sorted(found)


def holdings_for_person(person: User, framework_code: str) -> list[BlockHolding]:
    """What ``person`` holds in a framework lineage, block by block, with how it was acquired.

    Blocks of the version in force come first (held or not); blocks acquired under an older
    version whose code no longer exists follow, marked ``in_force=False``: they stay listed.
    Matching across versions is by code (see certification.eligibility).
    """
    return build_holdings(
        frameworks_in_force([framework_code]).get(framework_code),
        person_ledger(person).for_lineage(framework_code),
    )


def build_holdings(
    in_force: FrameworkInForce | None, entries: list[LedgerEntry]
) -> list[BlockHolding]:
    """Holdings from a lineage's version in force and the person's entries of that lineage
    (in ledger order), without querying."""
    block_entries: dict[str, list[LedgerEntry]] = defaultdict(list)
    competency_entries: dict[str, list[LedgerEntry]] = defaultdict(list)
    titles: dict[str, str] = {}
    for entry in entries:
        if entry.block is not None:
            block_entries[entry.block.code].append(entry)
            titles.setdefault(entry.block.code, entry.block.title)
        elif entry.competency is not None:
            block = entry.competency.block
            competency_entries[block.code].append(entry)
            titles.setdefault(block.code, block.title)
    holdings: list[BlockHolding] = []
    seen: set[str] = set()
    if in_force is not None:
        for block in in_force.blocks:
            seen.add(block.code)
            codes = in_force.competency_codes.get(block.code, set())
            held = [
                e
                for e in competency_entries[block.code]
                if e.competency is not None and e.competency.code in codes
            ]
            held_codes = {e.competency.code for e in held if e.competency is not None}
            complete = bool(codes) and codes <= held_codes
            holdings.append(
                BlockHolding(
                    code=block.code,
                    title=block.title,
                    in_force=True,
                    acquired=bool(block_entries[block.code]) or complete,
                    entries=block_entries[block.code] or (held if complete else []),
                    competencies_held=len(held_codes),
                    competencies_total=len(codes),
                )
            )
    for code in sorted(set(block_entries) - seen):
        holdings.append(
            BlockHolding(
                code=code,
                title=titles[code],
                in_force=False,
                acquired=True,
                entries=block_entries[code],
            )
        )
    return holdings


@dataclass
class PersonStanding:
    """Where one person stands for every certification, read in four queries: certifications
    (with rules and the person's attendance rate), frameworks in force (two) and the ledger."""

    person: User
    certifications: list[Certification]
    frameworks: dict[str, FrameworkInForce]
    ledger: PersonLedger

    def checklists(self) -> list[Eligibility]:
        """The eligibility checklist of every certification whose framework is in force."""
        rates = {
            c.pk: c.person_attendance_rate  # type: ignore[attr-defined]
            for c in self.certifications
            if c.person_attendance_rate is not None  # type: ignore[attr-defined]
        }
        return [
            result
            for result in eligibility_for_person(
                self.person,
                self.certifications,
                frameworks=self.frameworks,
                ledger=self.ledger,
                attendance_rates=rates,
            )
            if result.framework is not None
        ]

    def holdings(self, framework_code: str) -> list[BlockHolding]:
        """``holdings_for_person`` for a lineage of one of the certifications."""
        return build_holdings(
            self.frameworks.get(framework_code), self.ledger.for_lineage(framework_code)
        )


def person_standing(person: User) -> PersonStanding:
    certifications = list(
        Certification.objects.select_related("rules")
        .annotate(
            person_attendance_rate=Subquery(
                AttendanceRecord.objects.filter(
                    certification=OuterRef("pk"), person_id=person.pk
                ).values("rate")[:1]
            )
        )
        .order_by("title")
    )
    return PersonStanding(
        person=person,
        certifications=certifications,
        frameworks=frameworks_in_force(c.framework_code for c in certifications),
        ledger=person_ledger(person),
    )


def standing_for_request(request: HttpRequest) -> PersonStanding:
    """The signed-in person's standing, read once per request (several panels of "Mon espace"
    show it)."""
    user = request.user
    standing = getattr(request, "_person_standing", None)
    if standing is None or standing.person.pk != user.pk:
        standing = person_standing(user)  # type: ignore[arg-type]
        request._person_standing = standing  # type: ignore[attr-defined]
    return standing


def list_frameworks() -> list[CompetencyFramework]:
    """Every framework version, newest first within each lineage."""
    return list(CompetencyFramework.objects.order_by("code", "-version"))


# --- Certificates: who may see what ------------------------------------------------------------


def can_manage_certificates(user: User) -> bool:
    """Coordinators (anyone holding the permission) may see every certificate."""
    return bool(user.is_authenticated and user.has_perm("certification.view_certificate"))


def certificates_for_holder(user: User) -> list[Certificate]:
    """The signed-in person's own certificates, newest first."""
    return list(
        Certificate.objects.filter(holder=user)
        .select_related("certification")
        .order_by("-issued_at", "-pk")
    )


def get_certificate_for_download(user: User, code: str) -> Certificate:
    """The certificate with ``code`` if ``user`` holds it or manages certificates.

    Raises Certificate.DoesNotExist otherwise, so that a stranger cannot tell a real code from
    an invented one.
    """
    queryset = Certificate.objects.select_related("certification", "holder")
    if not can_manage_certificates(user):
        queryset = queryset.filter(holder_id=user.pk) if user.is_authenticated else queryset.none()
    return queryset.get(code=normalise_code(code))


def checklists_for_person(user: User) -> list[Eligibility]:
    """The eligibility checklist of every certification whose framework is in force (a fixed
    number of queries, whatever the number of certifications)."""
    return person_standing(user).checklists()


def certificates_for_admin(
    *, status: str = "", certification_id: str | int = "", query: str = ""
) -> QuerySet[Certificate]:
    """Certificates for the coordinators' list, filtered by status, certification and code,
    register number or holder e-mail."""
    queryset = Certificate.objects.select_related("certification", "holder").order_by(
        "-issued_at", "-pk"
    )
    if status:
        queryset = queryset.filter(status=status)
    if certification_id:
        queryset = queryset.filter(certification_id=certification_id)
    query = query.strip()
    if query:
        condition = Q(holder__email__iexact=query) | Q(code=normalise_code(query))
        if query.isdigit():
            condition |= Q(register_number=int(query))
        queryset = queryset.filter(condition)
    return queryset


def certificates_expiring_within(days: int, *, today: date | None = None) -> QuerySet[Certificate]:
    """Valid certificates whose validity ends within ``days`` days (for reminders)."""
    today = today or timezone.localdate()
    return (
        Certificate.objects.valid()
        .filter(valid_until__gte=today, valid_until__lte=today + timedelta(days=days))
        .select_related("holder", "certification")
        .order_by("valid_until", "pk")
    )
