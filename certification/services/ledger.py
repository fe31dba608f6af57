"""Write paths of the competency ledger: acquisitions, hours, corrections and attendance."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.audit.services import record_event

from ..models import (
    AttendanceRecord,
    Certification,
    Competency,
    CompetencyBlock,
    LedgerEntry,
)

Source = LedgerEntry.Source


def _append(entry: LedgerEntry) -> LedgerEntry:
    """Insert ``entry``; with a dedupe key already used, return the entry written first.

    The unique key (not a prior SELECT alone) makes this safe when the same result is released
    twice at the same moment: the loser's insert fails inside a savepoint and reads the winner's.
    """
    if entry.dedupe_key:
        existing = LedgerEntry.objects.filter(dedupe_key=entry.dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            entry.full_clean(exclude=["dedupe_key", "supersedes"])
            entry.save()
    except IntegrityError:
        if entry.dedupe_key:
            existing = LedgerEntry.objects.filter(dedupe_key=entry.dedupe_key).first()
            if existing is not None:
                return existing
        raise
    _audit(entry, action="ledger.recorded")
    return entry


def _audit(entry: LedgerEntry, *, action: str) -> None:
    # Ids and codes only: the justification is free text about a person and stays in the ledger.
    data: dict[str, object] = {
        "person": entry.person_id,
        "kind": entry.kind,
        "source": entry.source,
    }
    if entry.supersedes_id:
        data["supersedes"] = entry.supersedes_id
    record_event(actor=entry.recorded_by, action=action, target=entry, data=data)


@transaction.atomic
def record_acquisition(
    *,
    person: User,
    source: str,
    block: CompetencyBlock | None = None,
    competency: Competency | None = None,
    recorded_by: User | None = None,
    source_reference: str = "",
    effective_on: date | None = None,
    justification: str = "",
    expires_on: date | None = None,
    dedupe_key: str | None = None,
) -> LedgerEntry:
    """Record that ``person`` acquired one block or one competency (idempotent by dedupe_key)."""
    if (block is None) == (competency is None):
        raise ValidationError(_("Record either one block or one competency."))
    framework = block.framework if block is not None else competency.block.framework  # type: ignore[union-attr]
    if framework.status == framework.Status.DRAFT:
        # A draft may still change; acquisitions point at versions people can rely on.
        raise ValidationError(_("This framework version is a draft: nothing can be acquired yet."))
    entry = LedgerEntry(
        person=person,
        kind=LedgerEntry.Kind.BLOCK if block is not None else LedgerEntry.Kind.COMPETENCY,
        block=block,
        competency=competency,
        source=Source(source),
        source_reference=source_reference,
        recorded_by=recorded_by,
        justification=justification,
        expires_on=expires_on,
        dedupe_key=dedupe_key or None,
    )
    if effective_on is not None:
        entry.effective_on = effective_on
    return _append(entry)


@transaction.atomic
def record_hours(
    *,
    person: User,
    hours_kind: str,
    hours: Decimal | int | str,
    source: str,
    recorded_by: User | None = None,
    signed_off_by: User | None = None,
    source_reference: str = "",
    effective_on: date | None = None,
    justification: str = "",
    expires_on: date | None = None,
    dedupe_key: str | None = None,
) -> LedgerEntry:
    """Record hours of training, ethics, internship (signed off by a supervisor), supervision or
    continuing education for ``person`` (idempotent by dedupe_key)."""
    hours = Decimal(str(hours))
    if hours <= 0:
        raise ValidationError(_("The number of hours must be more than zero."))
    kind = LedgerEntry.HoursKind(hours_kind)
    if kind == LedgerEntry.HoursKind.INTERNSHIP and signed_off_by is None:
        raise ValidationError(
            _("Internship hours count only once a supervisor has signed them off.")
        )
    entry = LedgerEntry(
        person=person,
        kind=LedgerEntry.Kind.HOURS,
        hours_kind=kind,
        hours=hours,
        source=Source(source),
        source_reference=source_reference,
        recorded_by=recorded_by,
        signed_off_by=signed_off_by,
        justification=justification,
        expires_on=expires_on,
        dedupe_key=dedupe_key or None,
    )
    if effective_on is not None:
        entry.effective_on = effective_on
    return _append(entry)


@transaction.atomic
def supersede_entry(
    *,
    entry: LedgerEntry,
    recorded_by: User | None,
    justification: str,
    withdraw: bool = False,
    hours: Decimal | int | str | None = None,
    block: CompetencyBlock | None = None,
    competency: Competency | None = None,
    source: str | None = None,
    expires_on: date | None = None,
    signed_off_by: User | None = None,
) -> LedgerEntry:
    """Correct or withdraw ``entry`` by appending a new entry that supersedes it.

    The new entry copies the old one except what is given. ``withdraw=True`` records that the
    person no longer holds it. A justification is required: it is the audit answer.
    """
    if not justification.strip():
        raise ValidationError(_("Say why this entry is corrected or withdrawn."))
    # Lock the old entry: two coordinators correcting it at once would otherwise both succeed
    # until the one-to-one constraint stops the second with a less friendly error.
    old = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    if LedgerEntry.objects.filter(supersedes=old).exists():
        raise ValidationError(_("This entry has already been corrected; correct the newest one."))
    new = LedgerEntry(
        person_id=old.person_id,
        kind=old.kind,
        block=block if block is not None else old.block,
        competency=competency if competency is not None else old.competency,
        hours_kind=old.hours_kind,
        hours=Decimal(str(hours)) if hours is not None else old.hours,
        source=Source(source) if source else old.source,
        source_reference=old.source_reference,
        recorded_by=recorded_by,
        effective_on=old.effective_on,
        justification=justification,
        expires_on=expires_on if expires_on is not None else old.expires_on,
        signed_off_by=signed_off_by if signed_off_by is not None else old.signed_off_by,
        supersedes=old,
        withdrawn=withdraw,
    )
    new.full_clean(exclude=["dedupe_key", "supersedes"])
    new.save()
    _audit(new, action="ledger.withdrawn" if withdraw else "ledger.superseded")
    return new


@transaction.atomic
def record_attendance_rate(
    *,
    person: User,
    certification: Certification,
    rate: Decimal | int | str,
    source_reference: str = "",
) -> AttendanceRecord:
    """Store the attendance rate (0–100 %) the courses app computed for ``person`` towards
    ``certification``; the newest figure replaces the previous one."""
    rate = Decimal(str(rate))
    if not Decimal(0) <= rate <= Decimal(100):
        raise ValidationError(_("An attendance rate is between 0 and 100 %."))
    record, _created = AttendanceRecord.objects.update_or_create(
        person=person,
        certification=certification,
        defaults={"rate": rate, "source_reference": source_reference},
    )
    return record
