"""Write paths of certificates: issue (once per cycle), render once, change status, renew."""

import calendar
import hashlib
import logging
from collections.abc import Callable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.core.queueing import try_queue

from .. import codes, notifications, pdf
from ..eligibility import active_framework, check_eligibility, check_renewal
from ..models import (
    Certificate,
    CertificateStatusChange,
    Certification,
    CertificationRules,
    PrintedName,
)

logger = logging.getLogger(__name__)
Status = Certificate.Status

# Functions (certificate, pdf_bytes) -> pdf_bytes run on the rendered PDF before it is stored and
# hashed; sub-apps register them in ready() (verification embeds the signed credential).
PDF_FINISHERS: list[Callable[[Certificate, bytes], bytes]] = []


class CertificationError(ValidationError):
    """A certificate action that the rules do not allow; the message is for people."""


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def printed_name_for(person: User) -> str:
    """The name the person asked to see printed, else their full name."""
    chosen = PrintedName.objects.filter(person=person).values_list("name", flat=True).first()
    return chosen or person.get_full_name() or person.public_name


def _audit_action(certificate: Certificate, from_status: str) -> str:
    if not from_status:
        return "certificate.renewed" if certificate.renewed_from_id else "certificate.issued"
    if from_status == Status.SUSPENDED and certificate.status != Status.REVOKED:
        return "certificate.reinstated"
    return f"certificate.{certificate.status}"  # suspended, revoked, expired


def _write_status_change(
    certificate: Certificate, *, from_status: str, by: User | None, reason: str
) -> None:
    change = CertificateStatusChange.objects.create(
        certificate=certificate,
        from_status=from_status,
        to_status=certificate.status,
        changed_by=by,
        reason=reason,
    )
    data: dict[str, object] = {"change": change.pk, "from": from_status, "to": certificate.status}
    if not from_status and certificate.renewed_from_id:
        data["renews"] = certificate.renewed_from_id
    record_event(
        actor=by,
        action=_audit_action(certificate, from_status),
        target=certificate,
        # Ids and statuses only: the reason is free text about a person; it stays in the
        # certificate's own history.
        data=data,
    )
    if from_status:
        # In the same transaction as the change: the holder hears about it exactly once.
        notifications.notify_status_change(change)


def enqueue_certificate_pdf(*, certificate_id: int) -> bool:
    """Hand a certificate's PDF (and its "issued" email) to a worker; never raises.

    If the broker is down the certificate stays saved without its PDF, and the periodic
    ``sweep_certificates_without_pdf`` queues it again later: the person who issued it sees
    success, not an error page.
    """
    from ..tasks import render_certificate_pdf_task

    return try_queue(render_certificate_pdf_task, certificate_id)


def _enqueue_pdf(certificate_id: int) -> None:
    # After commit: a worker must never look for a certificate that is not saved yet.
    transaction.on_commit(lambda: enqueue_certificate_pdf(certificate_id=certificate_id))


def _insert_certificate(
    *,
    person: User,
    certification: Certification,
    cycle: int,
    issued_by: User | None,
    name_as_printed: str,
    language: str,
    valid_until: date | None,
    renewed_from: Certificate | None,
) -> tuple[Certificate, bool]:
    """Insert the certificate for this cycle, or return the one a concurrent caller inserted.

    The unique constraint (holder, certification, cycle) is the real guard: when two
    coordinators issue at the same instant, the second insert fails inside a savepoint and
    we read the winner's row instead of failing.
    """
    # Lock the certification row: register numbers are handed out one at a time.
    Certification.objects.select_for_update().filter(pk=certification.pk).first()
    existing = Certificate.objects.filter(
        holder=person, certification=certification, cycle=cycle
    ).first()
    if existing is not None:
        return existing, False
    latest = Certificate.objects.filter(certification=certification).aggregate(
        Max("register_number")
    )["register_number__max"]
    framework = active_framework(certification.framework_code)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                holder=person,
                certification=certification,
                cycle=cycle,
                code=codes.generate_code(),
                register_number=(latest or 0) + 1,
                name_as_printed=name_as_printed,
                framework=framework,
                language=language,
                issued_by=issued_by,
                valid_until=valid_until,
                renewed_from=renewed_from,
            )
    except IntegrityError:
        existing = Certificate.objects.filter(
            holder=person, certification=certification, cycle=cycle
        ).first()
        if existing is None:
            raise
        return existing, False
    _write_status_change(certificate, from_status="", by=issued_by, reason=_("Issued"))
    return certificate, True


def _rules(certification: Certification) -> CertificationRules:
    try:
        return certification.rules
    except CertificationRules.DoesNotExist:
        return CertificationRules(certification=certification)


@transaction.atomic
def issue_certificate(
    *,
    person: User,
    certification: Certification,
    issued_by: User | None = None,
    name_as_printed: str | None = None,
    language: str | None = None,
) -> Certificate:
    """Issue the first-cycle certificate to an eligible person; idempotent (a second call, or a
    second coordinator at the same time, gets the same certificate)."""
    existing = Certificate.objects.filter(
        holder=person, certification=certification, cycle=1
    ).first()
    if existing is not None:
        return existing
    eligibility = check_eligibility(person, certification)
    if not eligibility.eligible:
        raise CertificationError(eligibility.summary)
    rules = _rules(certification)
    today = timezone.localdate()
    certificate, created = _insert_certificate(
        person=person,
        certification=certification,
        cycle=1,
        issued_by=issued_by,
        name_as_printed=(name_as_printed or printed_name_for(person)).strip(),
        language=language or person.preferred_language or "fr",
        valid_until=add_months(today, rules.validity_months) if rules.validity_months else None,
        renewed_from=None,
    )
    if created:
        _enqueue_pdf(certificate.pk)
    return certificate


@transaction.atomic
def issue_if_eligible(*, person: User, certification: Certification) -> Certificate | None:
    """Issue automatically when the rules allow it (call after a ledger write); else None."""
    if not _rules(certification).auto_issue:
        return None
    if Certificate.objects.filter(holder=person, certification=certification).exists():
        return None
    if not check_eligibility(person, certification).eligible:
        return None
    return issue_certificate(person=person, certification=certification)


@transaction.atomic
def issue_where_eligible(*, person: User) -> list[Certificate]:
    """After a ledger write about ``person``: auto-issue every certification they now meet."""
    issued = []
    for certification in Certification.objects.select_related("rules"):
        certificate = issue_if_eligible(person=person, certification=certification)
        if certificate is not None:
            issued.append(certificate)
    return issued


@transaction.atomic
def issue_certificates(
    *, people: list[User], certification: Certification, issued_by: User
) -> list[Certificate]:
    """Bulk issue by a coordinator: the certificates of those still eligible (idempotent)."""
    issued = []
    for person in people:
        try:
            issued.append(
                issue_certificate(person=person, certification=certification, issued_by=issued_by)
            )
        except CertificationError:
            continue  # no longer eligible since the list was shown
    return issued


def _change_status(
    certificate: Certificate,
    *,
    to: str,
    allowed_from: set[str],
    by: User | None,
    reason: str,
    extra: dict | None = None,
) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status == to:
        return locked
    if locked.status not in allowed_from:
        raise CertificationError(
            _("A certificate that is %(status)s cannot be changed this way.")
            % {"status": locked.get_status_display().lower()}
        )
    previous = locked.status
    locked.status = to
    for name, value in (extra or {}).items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *(extra or {})])
    _write_status_change(locked, from_status=previous, by=by, reason=reason)
    return locked


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Revoke a certificate for good; the record, date and reason stay visible."""
    if not reason.strip():
        raise CertificationError(_("Give the reason for the revocation: it will be shown."))
    return _change_status(
        certificate,
        to=Status.REVOKED,
        allowed_from={Status.VALID, Status.SUSPENDED, Status.EXPIRED},
        by=by,
        reason=reason.strip(),
        extra={"revoked_at": timezone.now(), "revocation_reason": reason.strip()},
    )


@transaction.atomic
def suspend_certificate(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """Suspend a valid certificate while a question is examined."""
    if not reason.strip():
        raise CertificationError(_("Give the reason for the suspension."))
    return _change_status(
        certificate, to=Status.SUSPENDED, allowed_from={Status.VALID}, by=by, reason=reason
    )


@transaction.atomic
def reinstate_certificate(*, certificate: Certificate, by: User, reason: str = "") -> Certificate:
    """Lift a suspension (back to valid, or expired if its date passed meanwhile)."""
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    expired = locked.valid_until is not None and locked.valid_until < timezone.localdate()
    return _change_status(
        locked,
        to=Status.EXPIRED if expired else Status.VALID,
        allowed_from={Status.SUSPENDED},
        by=by,
        reason=reason,
    )


@transaction.atomic
def expire_certificates(*, today: date | None = None) -> int:
    """Mark valid certificates whose validity ended as expired (periodic); returns how many."""
    today = today or timezone.localdate()
    count = 0
    for certificate in Certificate.objects.select_for_update().filter(
        status=Status.VALID, valid_until__lt=today
    ):
        _change_status(
            certificate,
            to=Status.EXPIRED,
            allowed_from={Status.VALID},
            by=None,
            reason=_("Validity period ended"),
        )
        count += 1
    return count


@transaction.atomic
def renew_certificate(*, certificate: Certificate, by: User | None = None) -> Certificate:
    """Issue the next cycle's certificate, linked to ``certificate``, when the holder has done
    the continuing education the rules ask since it was issued (idempotent)."""
    rules = _rules(certificate.certification)
    if rules.validity_months is None:
        raise CertificationError(_("This certificate is valid for life: it needs no renewal."))
    if certificate.status in (Status.REVOKED, Status.SUSPENDED):
        raise CertificationError(_("A revoked or suspended certificate cannot be renewed."))
    existing = Certificate.objects.filter(renewed_from=certificate).first()
    if existing is not None:
        return existing
    check = check_renewal(
        certificate.holder,
        certificate.certification,
        since=timezone.localdate(certificate.issued_at),
    )
    if not check.eligible:
        raise CertificationError(check.summary)
    today = timezone.localdate()
    # A renewal before the end continues the period; after it, a new period starts today.
    start = max(certificate.valid_until or today, today)
    renewal, created = _insert_certificate(
        person=certificate.holder,
        certification=certificate.certification,
        cycle=certificate.cycle + 1,
        issued_by=by,
        name_as_printed=printed_name_for(certificate.holder),
        language=certificate.language,
        valid_until=add_months(start, rules.validity_months),
        renewed_from=certificate,
    )
    if created:
        _enqueue_pdf(renewal.pk)
    return renewal


@transaction.atomic
def render_certificate_pdf(*, certificate: Certificate) -> Certificate:
    """Render and store the certificate PDF ONCE, with its SHA-256; later calls change nothing.

    The stored file is the certificate: downloads stream it byte for byte, never a re-render.
    """
    locked = (
        # Lock only the certificate row: PostgreSQL cannot lock the optional rules row.
        Certificate.objects.select_for_update(of=("self",))
        .select_related("certification__rules")
        .get(pk=certificate.pk)
    )
    storage = storages["private"]
    if locked.pdf_name and storage.exists(locked.pdf_name):
        return locked
    content = pdf.certificate_pdf(locked)
    for finish in PDF_FINISHERS:
        content = finish(locked, content)
    name = storage.save(
        f"certificates/{locked.certification.code}/{locked.code}.pdf", ContentFile(content)
    )
    locked.pdf_name = name
    locked.pdf_sha256 = hashlib.sha256(content).hexdigest()
    locked.save(update_fields=["pdf_name", "pdf_sha256"])
    logger.info("Certificate %s rendered", locked.pk)
    return locked


def _certificates_to_sweep(*, grace: timedelta, window: timedelta) -> list[int]:
    """Certificates issued more than ``grace`` ago whose PDF or "issued" email is missing.

    A missing PDF is looked for whatever the certificate's age. A PDF already stored (someone
    downloaded it before a worker ran) but no "issued" notification is looked for only within
    ``window``: notifications are purged after a year, and an old certificate must not be
    announced again. A certificate whose rendering already failed for good is left on the
    failed-tasks screen for a person to look at, not retried every few minutes.
    """
    from lms.core.models import FailedTask
    from lms.notifications.models import Notification

    from ..tasks import render_certificate_pdf_task

    now = timezone.now()
    announced = Notification.objects.filter(
        dedupe_key=Concat(Value("certificate.issued:"), Cast(OuterRef("pk"), CharField()))
    )
    ids = list(
        Certificate.objects.alias(announced=Exists(announced))
        .filter(issued_at__lt=now - grace)
        .filter(Q(pdf_name="") | Q(issued_at__gte=now - window, announced=False))
        .order_by("issued_at")
        .values_list("pk", flat=True)[:500]
    )
    given_up = {
        tuple(args)
        for args in FailedTask.objects.filter(
            task_name=render_certificate_pdf_task.name, retried_at__isnull=True
        ).values_list("args", flat=True)
    }
    return [pk for pk in ids if (pk,) not in given_up]


def sweep_certificates_without_pdf(
    *, grace: timedelta = timedelta(minutes=5), window: timedelta = timedelta(days=7)
) -> int:
    """Queue again the certificates whose PDF or "issued" email was never produced (the broker
    was down when they were issued); returns how many were queued. Idempotent: the task renders
    once and the email has a dedupe key."""
    return sum(
        enqueue_certificate_pdf(certificate_id=pk)
        for pk in _certificates_to_sweep(grace=grace, window=window)
    )


@transaction.atomic
def set_printed_name(*, person: User, name: str) -> PrintedName:
    """Record how ``person`` wants their name printed on certificates issued from now on."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Write the name as you want it printed."))
    printed, _created = PrintedName.objects.update_or_create(person=person, defaults={"name": name})
    return printed
