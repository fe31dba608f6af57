"""Personal data of certification: certificates, the competency ledger, verification.

What stays after an erasure, and why (see README "Privacy (GDPR)"):
- each certificate, unchanged, with the name as printed on it. It is the legal record of an
  award the holder may still show an employer; its PDF and its signed credential carry that
  name, so changing it would break verification. Its public page switches to "confirm the name
  the verifier types": the name is no longer shown to anyone who only has the code;
- the ledger, which is append-only: its entries point at the pseudonymised account and
  explain why the certificate was awarded.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.privacy.registry import Attachment, Export, PersonalData, Provider

from .models import AttendanceRecord, Certificate, LedgerEntry, PrintedName
from .verification.models import VerificationLog, VerificationSettings


def _pdf_reader(name: str):  # type: ignore[no-untyped-def]
    def read() -> bytes:
        with storages["private"].open(name, "rb") as handle:
            return handle.read()

    return read


def export(user: User) -> Export:
    certificates = list(
        Certificate.objects.filter(holder=user).select_related("certification").order_by("pk")
    )
    printed = PrintedName.objects.filter(person=user).first()
    attachments = [
        Attachment(name=f"certificate-{c.code}.pdf", read=_pdf_reader(c.pdf_name))
        for c in certificates
        if c.pdf_name and storages["private"].exists(c.pdf_name)
    ]
    return Export(
        data={
            "name_as_printed_choice": printed.name if printed else None,
            "certificates": [
                {
                    "code": c.code,
                    "certification": c.certification.title,
                    "name_as_printed": c.name_as_printed,
                    "status": c.status,
                    "issued_at": c.issued_at,
                    "valid_until": c.valid_until,
                    "revoked_at": c.revoked_at,
                    "revocation_reason": c.revocation_reason,
                    "verification_url": c.verification_url,
                    "verifications": [
                        {"checked_at": log.checked_at, "channel": log.channel}
                        for log in c.verification_logs.order_by("checked_at", "pk")
                    ],
                }
                for c in certificates
            ],
            "ledger": [
                {
                    "kind": e.kind,
                    "target": e.target_code,
                    "hours": e.hours,
                    "source": e.source,
                    "source_reference": e.source_reference,
                    "recorded_at": e.recorded_at,
                    "effective_on": e.effective_on,
                    "expires_on": e.expires_on,
                    "justification": e.justification,
                    "withdrawn": e.withdrawn,
                }
                for e in LedgerEntry.objects.filter(person=user)
                .select_related("block", "competency")
                .order_by("recorded_at", "pk")
            ],
            "attendance_rates": [
                {"certification": a.certification_id, "rate": a.rate, "recorded_at": a.recorded_at}
                for a in AttendanceRecord.objects.filter(person=user).order_by("pk")
            ],
        },
        attachments=attachments,
    )


def erase(user: User, *, actor: User) -> dict[str, int]:
    printed, _d = PrintedName.objects.filter(person=user).delete()
    certificates = list(Certificate.objects.filter(holder=user))
    for certificate in certificates:
        VerificationSettings.objects.update_or_create(
            certificate=certificate,
            defaults={"name_mode": VerificationSettings.NameMode.CONFIRM},
        )
    return {"printed_name": printed, "certificates_kept": len(certificates)}


def _log_days() -> int:
    return int(getattr(settings, "VERIFICATION_LOG_RETENTION_DAYS", 730))


@transaction.atomic
def retention(*, now: datetime) -> dict[str, int]:
    logs, _d = VerificationLog.objects.filter(
        checked_at__lt=now - timedelta(days=_log_days())
    ).delete()
    return {"verification_logs": logs}


PROVIDER = Provider(
    name="certification",
    label=_("Certificates and competencies"),
    order=30,
    declares=(
        PersonalData(
            models=("certification.Certificate", "certification.PrintedName"),
            what=_("Your certificates, with your name as it is printed on them."),
            why=_("A certificate is a legal record: you, and anyone you show it to, can check it."),
            kept=_("For good, like a diploma."),
            on_erasure=_(
                "Each certificate stays valid and checkable with its code. The name printed on "
                "it is kept, because the certificate and its signature would otherwise no "
                "longer match; the verification page stops showing it and only confirms a name "
                "the verifier already knows."
            ),
        ),
        PersonalData(
            models=("certification.LedgerEntry", "certification.AttendanceRecord"),
            what=_(
                "The competencies, blocks and hours you have acquired, and where they come from."
            ),
            why=_("To know when you can receive a certificate, and to explain why you hold it."),
            kept=_("For good: the ledger is never changed."),
            on_erasure=_("Kept, linked to an anonymous account."),
        ),
        PersonalData(
            models=("verification.VerificationLog", "verification.VerificationSettings"),
            what=_("When and how your certificates were checked, and your choice of name display."),
            why=_("So that you can see who checks your certificates."),
            kept=lambda: _("%(days)s days, then deleted.") % {"days": _log_days()},
            on_erasure=_("Kept until the end of that period, without any name."),
        ),
    ),
    export=export,
    erase=erase,
    retention=retention,
    staff_links=(
        "certification.CertificateStatusChange",
        "verification.ApiKey",
    ),
)
