"""Eligibility: does a person meet a certification's rules, and what exactly is missing?

One evaluation (``_evaluate``) serves one person (``check_eligibility``) and everybody at once
(``eligibility_for_all``); it reads the ledger set-wise with a fixed number of queries.

Mapping rule across framework versions: blocks and competencies are matched **by code** within
a framework lineage (``CompetencyFramework.code``). Whatever was acquired under an older version
counts for the block of the same code in the version in force; acquisitions whose code no longer
exists stay in the ledger and are listed, but count for nothing. A block is acquired when the
ledger holds the block itself, or every competency of that block in the version in force.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import User

from .models import (
    AttendanceRecord,
    Certification,
    CertificationRules,
    Competency,
    CompetencyBlock,
    CompetencyFramework,
    LedgerEntry,
)

HoursKind = LedgerEntry.HoursKind
ZERO = Decimal(0)


def format_hours(value: Decimal) -> str:
    """6 → "6", 6.5 → "6,5" (in French): hours as people say them."""
    return floatformat(value, -2)


@dataclass(frozen=True)
class MissingItem:
    """One thing a person still lacks. Its words (``message``) are written when read, in the
    language active then: evaluating 50,000 people builds no sentence nobody reads."""

    kind: str  # "block", "training_hours", "ethics_hours", "internship_hours", …
    code: str = ""
    amount: Decimal | None = None
    required: Decimal | None = None  # attendance: the minimum rate
    current: Decimal | None = None  # attendance: the person's rate, None when not recorded

    @property
    def message(self) -> str:
        if self.kind == "block":
            return _("block %(code)s") % {"code": self.code}
        if self.kind == "attendance":
            if self.current is None:
                return _("an attendance of at least %(rate)s %% (not recorded yet)") % {
                    "rate": format_hours(self.required or ZERO)
                }
            return _("an attendance of at least %(rate)s %% (yours is %(current)s %%)") % {
                "rate": format_hours(self.required or ZERO),
                "current": format_hours(self.current),
            }
        words = {
            "training_hours": _("%(hours)s h of training"),
            "ethics_hours": _("%(hours)s h of ethics"),
            "internship_hours": _("%(hours)s h of internship signed off by a supervisor"),
            "supervision_hours": _("%(hours)s h of supervision"),
            "continuing_education_hours": _("%(hours)s h of continuing education"),
        }[self.kind]
        return words % {"hours": format_hours(self.amount or ZERO)}


@dataclass
class BlockStatus:
    code: str
    title: str
    required: bool
    acquired: bool
    sources: set[str] = field(default_factory=set)

    @property
    def through_vae(self) -> bool:
        return LedgerEntry.Source.VAE_DECISION in self.sources

    @property
    def how(self) -> str:
        """How the block was acquired, in words: "training", "VAE", …"""
        return ", ".join(str(LedgerEntry.Source(source).label) for source in sorted(self.sources))


@dataclass
class Eligibility:
    """The answer for one person and one certification."""

    person_id: int
    certification: Certification
    framework: CompetencyFramework | None
    blocks: list[BlockStatus]
    hours: dict[str, Decimal]
    attendance_rate: Decimal | None
    missing: list[MissingItem]

    @property
    def eligible(self) -> bool:
        return self.framework is not None and not self.missing

    @property
    def summary(self) -> str:
        """ "You still need block B4 and 6 h of ethics." in the active language."""
        if self.framework is None:
            return _("This certification has no competency framework in force yet.")
        if not self.missing:
            return _("You meet every rule of this certification.")
        return _("You still need %(items)s.") % {
            "items": join_words(m.message for m in self.missing)
        }

    @property
    def training_hours(self) -> Decimal:
        return self.hours.get(HoursKind.TRAINING, ZERO) + self.hours.get(HoursKind.ETHICS, ZERO)


def join_words(words: Iterable[str]) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def active_framework(framework_code: str) -> CompetencyFramework | None:
    """The version in force of a framework lineage."""
    return CompetencyFramework.objects.filter(
        code=framework_code, status=CompetencyFramework.Status.ACTIVE
    ).first()


def _rules(certification: Certification) -> CertificationRules:
    try:
        return certification.rules
    except CertificationRules.DoesNotExist:
        # No rules saved yet: nothing but the blocks is required.
        return CertificationRules(certification=certification)


def _evaluate(
    certification: Certification,
    person_ids: list[int] | None,
    *,
    on: date | None = None,
) -> dict[int, Eligibility]:
    """Evaluate the rules for ``person_ids`` (None: everybody with something recorded).

    Seven queries at most, whatever the number of people.
    """
    on = on or timezone.localdate()
    rules = _rules(certification)
    framework = active_framework(certification.framework_code)
    if framework is None:
        # Nothing can be acquired towards a certification without a framework in force.
        return {
            pid: Eligibility(pid, certification, None, [], {}, None, [])
            for pid in (person_ids or [])
        }
    blocks: list[CompetencyBlock] = list(framework.blocks.all())
    competency_codes: dict[str, set[str]] = defaultdict(set)
    for block_code, code in Competency.objects.filter(block__framework=framework).values_list(
        "block__code", "code"
    ):
        competency_codes[block_code].add(code)
    entries = LedgerEntry.objects.in_force(on)
    attendance = AttendanceRecord.objects.filter(certification=certification)
    if person_ids is not None:
        entries = entries.filter(person_id__in=person_ids)
        attendance = attendance.filter(person_id__in=person_ids)

    # Who holds which block (by code), and how.
    held_blocks: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for person_id, code, source in (
        entries.filter(
            kind=LedgerEntry.Kind.BLOCK, block__framework__code=certification.framework_code
        )
        .values_list("person_id", "block__code", "source")
        .order_by()
        .distinct()
    ):
        held_blocks[person_id][code].add(source)
    held_competencies: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for person_id, code, source in (
        entries.filter(
            kind=LedgerEntry.Kind.COMPETENCY,
            competency__block__framework__code=certification.framework_code,
        )
        .values_list("person_id", "competency__code", "source")
        .order_by()
        .distinct()
    ):
        held_competencies[person_id][code].add(source)
    hours: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        entries.filter(kind=LedgerEntry.Kind.HOURS)
        .values("person_id", "hours_kind")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        hours[row["person_id"]][row["hours_kind"]] = row["total"] or ZERO
    rates = dict(attendance.values_list("person_id", "rate"))

    if person_ids is None:
        person_ids = sorted(set(held_blocks) | set(held_competencies) | set(hours) | set(rates))

    return {
        person_id: assess(
            person_id,
            certification,
            rules,
            framework,
            blocks,
            competency_codes,
            held_blocks=held_blocks.get(person_id, {}),
            held_competencies=held_competencies.get(person_id, {}),
            hours=hours.get(person_id, {}),
            attendance_rate=rates.get(person_id),
        )
        for person_id in person_ids
    }


def assess(
    person_id: int,
    certification: Certification,
    rules: CertificationRules,
    framework: CompetencyFramework,
    blocks: list[CompetencyBlock],
    competency_codes: dict[str, set[str]],
    *,
    held_blocks: dict[str, set[str]],
    held_competencies: dict[str, set[str]],
    hours: dict[str, Decimal],
    attendance_rate: Decimal | None,
) -> Eligibility:
    """One person's eligibility from what was read: blocks and competencies held (code →
    sources) in the certification's framework lineage, hours by kind and attendance rate."""
    required = set(rules.required_block_codes or [b.code for b in blocks])
    statuses = []
    for block in blocks:
        sources = set(held_blocks.get(block.code, ()))
        needed = competency_codes.get(block.code)
        if not sources and needed and needed <= held_competencies.keys():
            sources = set().union(*(held_competencies[code] for code in needed))
        statuses.append(
            BlockStatus(
                code=block.code,
                title=block.title,
                required=block.code in required,
                acquired=bool(sources),
                sources=sources,
            )
        )
    result = Eligibility(
        person_id=person_id,
        certification=certification,
        framework=framework,
        blocks=statuses,
        hours=hours,
        attendance_rate=attendance_rate,
        missing=[],
    )
    result.missing = _missing_items(result, rules, required)
    return result


def _missing_items(
    result: Eligibility, rules: CertificationRules, required: set[str]
) -> list[MissingItem]:
    missing: list[MissingItem] = []
    known = set()
    for status in result.blocks:
        known.add(status.code)
        if status.required and not status.acquired:
            missing.append(MissingItem("block", code=status.code))
    # A required code absent from the version in force cannot be acquired: say so plainly.
    for code in sorted(required - known):
        missing.append(MissingItem("block", code=code))

    held = result.hours
    ethics = held.get(HoursKind.ETHICS, ZERO)
    total_gap = rules.total_training_hours - result.training_hours
    ethics_gap = rules.ethics_hours - ethics
    # Ethics hours are training hours: the total gap only counts what ethics will not fill.
    other_gap = total_gap - max(ethics_gap, ZERO)
    if other_gap > 0:
        missing.append(MissingItem("training_hours", amount=other_gap))
    if ethics_gap > 0:
        missing.append(MissingItem("ethics_hours", amount=ethics_gap))
    for kind, required_hours in (
        (HoursKind.INTERNSHIP, rules.internship_hours),
        (HoursKind.SUPERVISION, rules.supervision_hours),
    ):
        gap = required_hours - held.get(kind, ZERO)
        if gap > 0:
            missing.append(MissingItem(f"{kind}_hours", amount=gap))
    if rules.min_attendance_rate > 0:
        rate = result.attendance_rate
        if rate is None or rate < rules.min_attendance_rate:
            missing.append(
                MissingItem(
                    "attendance",
                    amount=rules.min_attendance_rate - (rate or ZERO),
                    required=rules.min_attendance_rate,
                    current=rate,
                )
            )
    return missing


@dataclass
class FrameworkInForce:
    """The version in force of a lineage, its blocks in order and their competency codes."""

    framework: CompetencyFramework
    blocks: list[CompetencyBlock] = field(default_factory=list)
    competency_codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def frameworks_in_force(framework_codes: Iterable[str]) -> dict[str, FrameworkInForce]:
    """The versions in force of several lineages, by code, with their blocks and competency
    codes, in one query (frameworks joined to blocks joined to competencies)."""
    names = [f.attname for f in CompetencyFramework._meta.concrete_fields]
    found: dict[int, FrameworkInForce] = {}
    seen: set[int] = set()
    rows = (
        CompetencyFramework.objects.filter(
            code__in=set(framework_codes), status=CompetencyFramework.Status.ACTIVE
        )
        .values_list(
            *names,
            "blocks__pk",
            "blocks__code",
            "blocks__title",
            "blocks__description",
            "blocks__position",
            "blocks__competencies__code",
        )
        .order_by("pk", "blocks__position", "blocks__code")
    )
    for row in rows:
        framework_id = row[names.index(CompetencyFramework._meta.pk.attname)]
        if framework_id not in found:
            framework = CompetencyFramework.from_db(rows.db, names, row[: len(names)])
            found[framework_id] = FrameworkInForce(framework)
        in_force = found[framework_id]
        block_id, code, title, description, position, competency = row[len(names) :]
        if block_id is None:
            continue  # a framework without blocks yet
        if block_id not in seen:
            seen.add(block_id)
            in_force.blocks.append(
                CompetencyBlock(
                    pk=block_id,
                    framework=in_force.framework,
                    code=code,
                    title=title,
                    description=description,
                    position=position,
                )
            )
        if competency is not None:
            in_force.competency_codes[code].add(competency)
    return {in_force.framework.code: in_force for in_force in found.values()}


@dataclass
class PersonLedger:
    """One person's ledger entries in force, read once, for every framework lineage."""

    entries: list[LedgerEntry]

    def for_lineage(self, framework_code: str) -> list[LedgerEntry]:
        """Block and competency entries of any version of one lineage (in ledger order)."""
        return [
            entry
            for entry in self.entries
            if (entry.block is not None and entry.block.framework.code == framework_code)
            or (
                entry.competency is not None
                and entry.competency.block.framework.code == framework_code
            )
        ]

    def held_blocks(self, framework_code: str) -> dict[str, set[str]]:
        """Block code → sources, for the blocks held in one lineage."""
        held: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            block = entry.block
            if (
                entry.kind == LedgerEntry.Kind.BLOCK
                and block is not None
                and block.framework.code == framework_code
            ):
                held[block.code].add(entry.source)
        return held

    def held_competencies(self, framework_code: str) -> dict[str, set[str]]:
        """Competency code → sources, for the competencies held in one lineage."""
        held: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries:
            competency = entry.competency
            if (
                entry.kind == LedgerEntry.Kind.COMPETENCY
                and competency is not None
                and competency.block.framework.code == framework_code
            ):
                held[competency.code].add(entry.source)
        return held

    def hours(self) -> dict[str, Decimal]:
        """Hours by kind (only the kinds recorded)."""
        totals: dict[str, Decimal] = {}
        for entry in self.entries:
            if entry.kind == LedgerEntry.Kind.HOURS:
                totals[entry.hours_kind] = totals.get(entry.hours_kind, ZERO) + (
                    entry.hours or ZERO
                )
        return totals


def person_ledger(person: User, *, on: date | None = None) -> PersonLedger:
    """Every entry in force of ``person``, oldest first, in one query."""
    return PersonLedger(
        list(
            LedgerEntry.objects.in_force(on)
            .filter(person=person)
            .select_related("block__framework", "competency__block__framework")
            .order_by("effective_on", "pk")
        )
    )


def eligibility_for_person(
    person: User,
    certifications: Iterable[Certification],
    *,
    frameworks: dict[str, FrameworkInForce],
    ledger: PersonLedger,
    attendance_rates: dict[int, Decimal],
) -> list[Eligibility]:
    """``person``'s eligibility for each certification, from what was read once (no query
    here): the frameworks in force by code, the person's ledger and attendance rates by
    certification id."""
    hours = ledger.hours()
    results = []
    for certification in certifications:
        in_force = frameworks.get(certification.framework_code)
        if in_force is None:
            results.append(Eligibility(person.pk, certification, None, [], {}, None, []))
            continue
        results.append(
            assess(
                person.pk,
                certification,
                _rules(certification),
                in_force.framework,
                in_force.blocks,
                in_force.competency_codes,
                held_blocks=ledger.held_blocks(certification.framework_code),
                held_competencies=ledger.held_competencies(certification.framework_code),
                hours=dict(hours),
                attendance_rate=attendance_rates.get(certification.pk),
            )
        )
    return results


def check_eligibility(person: User, certification: Certification) -> Eligibility:
    """Is ``person`` eligible for ``certification``, and what exactly is missing?"""
    return _evaluate(certification, [person.pk])[person.pk]


def eligibility_for_all(certification: Certification) -> dict[int, Eligibility]:
    """Eligibility of every person with something recorded, by person id, in a fixed number of
    queries (no query per person)."""
    return _evaluate(certification, None)


def eligible_people(certification: Certification) -> list[User]:
    """People who meet every rule and hold no certificate for the first cycle yet."""
    results = eligibility_for_all(certification)
    ids = [pid for pid, result in results.items() if result.eligible]
    already = set(
        certification.certificates.filter(holder_id__in=ids, cycle=1).values_list(
            "holder_id", flat=True
        )
    )
    return list(
        User.objects.filter(pk__in=[pid for pid in ids if pid not in already]).order_by(
            "last_name", "first_name", "email"
        )
    )


@dataclass
class RenewalCheck:
    continuing_hours: Decimal
    ethics_hours: Decimal
    missing: list[MissingItem]

    @property
    def eligible(self) -> bool:
        return not self.missing

    @property
    def summary(self) -> str:
        if not self.missing:
            return _("You have done enough continuing education to renew this certificate.")
        return _("You still need %(items)s.") % {
            "items": join_words(m.message for m in self.missing)
        }


def check_renewal(person: User, certification: Certification, *, since: date) -> RenewalCheck:
    """Continuing-education hours since ``since`` against the renewal rule.

    Ethics hours done in the period count both towards the total and towards the ethics share.
    """
    rules = _rules(certification)
    totals = dict(
        LedgerEntry.objects.in_force()
        .filter(
            Q(hours_kind=HoursKind.CONTINUING_EDUCATION) | Q(hours_kind=HoursKind.ETHICS),
            person=person,
            kind=LedgerEntry.Kind.HOURS,
            effective_on__gte=since,
        )
        .values("hours_kind")
        .annotate(total=Sum("hours"))
        .order_by()
        .values_list("hours_kind", "total")
    )
    ethics = totals.get(HoursKind.ETHICS) or ZERO
    total = (totals.get(HoursKind.CONTINUING_EDUCATION) or ZERO) + ethics
    missing = []
    ethics_gap = rules.renewal_ethics_hours - ethics
    other_gap = rules.renewal_hours - total - max(ethics_gap, ZERO)
    if other_gap > 0:
        missing.append(MissingItem("continuing_education_hours", amount=other_gap))
    if ethics_gap > 0:
        missing.append(MissingItem("ethics_hours", amount=ethics_gap))
    return RenewalCheck(continuing_hours=total, ethics_hours=ethics, missing=missing)
