"""Write paths of privacy: consents, "download my data", erasure requests, retention.

Nothing here writes a personal value into the audit trail, a log or a task argument: events
carry ids and counts only.
"""

import io
import json
import logging
import secrets
import zipfile
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.notifications.services import notify

from . import registry
from .models import PRIVACY_NOTICE_VERSION, ConsentRecord, DataExport, ErasureRequest

logger = logging.getLogger(__name__)

HANDLE_ERASURE = "privacy.handle_erasure"
EXPORT_LINK_SALT = "privacy.export-download"


def storage():  # type: ignore[no-untyped-def]
    return storages["private"]


def export_days() -> int:
    return int(getattr(settings, "PRIVACY_EXPORT_DAYS", 7))


# --- Consents --------------------------------------------------------------------------------


@transaction.atomic
def record_consent(
    *, user: User, purpose: str, text_version: str = PRIVACY_NOTICE_VERSION
) -> ConsentRecord:
    """Record that ``user`` consents to ``purpose`` in ``text_version`` (idempotent)."""
    consent, _created = ConsentRecord.objects.get_or_create(
        user=user,
        purpose=ConsentRecord.Purpose(purpose),
        text_version=text_version,
        withdrawn_at__isnull=True,
    )
    return consent


@transaction.atomic
def withdraw_consent(*, consent: ConsentRecord, by: User) -> ConsentRecord:
    """Withdraw one of the person's own consents (idempotent)."""
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if consent.user_id != by.pk:
        raise PermissionDenied
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        record_event(
            actor=by,
            action="privacy.consent_withdrawn",
            target=consent,
            data={"purpose": consent.purpose},
        )
    return consent


# --- Download my data ------------------------------------------------------------------------


@transaction.atomic
def request_data_export(*, user: User) -> DataExport:
    """Ask for an archive of everything about ``user``; one being prepared is reused."""
    pending = DataExport.objects.filter(user=user, status=DataExport.Status.PENDING).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(user=user)
    record_event(actor=user, action="privacy.export_requested", target=export)
    from .tasks import build_data_export_task

    build_data_export_task.delay_on_commit(export.pk)
    return export


def export_link_token(export: DataExport) -> str:
    return signing.dumps(export.pk, salt=EXPORT_LINK_SALT)


def export_from_token(token: str) -> int | None:
    """The export id in a download link, or None when the link is forged or too old."""
    try:
        return int(
            signing.loads(token, salt=EXPORT_LINK_SALT, max_age=timedelta(days=export_days()))
        )
    except (signing.BadSignature, TypeError, ValueError):
        return None


def _archive(user: User) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    files = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        index: dict[str, Any] = {
            "generated_at": timezone.now(),
            "person": user.pk,
            "sections": [],
        }
        for provider in registry.providers():
            exported = provider.export(user)
            archive.writestr(
                f"{provider.name}.json",
                json.dumps(exported.data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            )
            names = []
            for attachment in exported.attachments:
                path = f"files/{provider.name}/{attachment.name}"
                archive.writestr(path, attachment.read())
                names.append(path)
                files += 1
            index["sections"].append(
                {"name": provider.name, "label": str(provider.label), "files": names}
            )
        archive.writestr(
            "index.json", json.dumps(index, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
        )
    return buffer.getvalue(), files


@transaction.atomic
def build_data_export(*, export_id: int) -> bool:
    """Build the archive of one export request and tell its owner; False if nothing to do."""
    export = (
        DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
    )
    if export is None or export.status != DataExport.Status.PENDING:
        return False
    user = export.user
    # Labels inside the archive follow the person's language.
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        content, files = _archive(user)
    name = storage().save(f"exports/{secrets.token_hex(16)}.zip", ContentFile(content))
    now = timezone.now()
    export.file_name = name
    export.size = len(content)
    export.status = DataExport.Status.READY
    export.ready_at = now
    export.expires_at = now + timedelta(days=export_days())
    export.save(update_fields=["file_name", "size", "status", "ready_at", "expires_at"])
    link = reverse("privacy:export-download", kwargs={"token": export_link_token(export)})
    notify(
        recipient=user,
        event="privacy.export_ready",
        template="privacy/emails/export_ready",
        context={"expires_at": export.expires_at},
        dedupe_key=f"privacy:export-ready:{export.pk}",
        url=link,
    )
    record_event(
        actor=None,
        action="privacy.export_built",
        target=export,
        data={"person": user.pk, "files": files, "size": export.size},
    )
    return True


@transaction.atomic
def mark_export_failed(*, export_id: int) -> None:
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
        status=DataExport.Status.FAILED
    )


@transaction.atomic
def record_export_download(*, export: DataExport, by: User) -> None:
    """Write a download of a personal-data archive to the audit trail."""
    record_event(actor=by, action="privacy.export_downloaded", target=export)


# --- Erasure ---------------------------------------------------------------------------------


class ErasureError(ValidationError):
    """An erasure request cannot move as asked; the message says why."""


@transaction.atomic
def request_erasure(*, user: User) -> ErasureRequest:
    """The person asks to be erased; a coordinator reviews it. One pending request at most."""
    pending = ErasureRequest.objects.filter(user=user, status=ErasureRequest.Status.PENDING).first()
    if pending is not None:
        return pending
    request = ErasureRequest.objects.create(user=user)
    record_event(actor=user, action="privacy.erasure_requested", target=request)
    notify(
        recipient=user,
        event="privacy.erasure_requested",
        template="privacy/emails/erasure_requested",
        context={"erasure": request},
        dedupe_key=f"privacy:erasure-requested:{request.pk}",
        url=reverse("privacy:my-data"),
    )
    return request


@transaction.atomic
def cancel_erasure_request(*, user: User) -> bool:
    """The person changes their mind while the request waits; False if none was waiting."""
    request = (
        ErasureRequest.objects.select_for_update()
        .filter(user=user, status=ErasureRequest.Status.PENDING)
        .first()
    )
    if request is None:
        return False
    request.status = ErasureRequest.Status.CANCELLED
    request.handled_at = timezone.now()
    request.save(update_fields=["status", "handled_at"])
    record_event(actor=user, action="privacy.erasure_cancelled", target=request)
    return True


def _pending_for_review(request: ErasureRequest, by: User, reason: str) -> ErasureRequest:
    if not by.has_perm(HANDLE_ERASURE):
        raise PermissionDenied
    if not reason.strip():
        raise ErasureError(_("Please give a reason: it stays in the record of this request."))
    locked = ErasureRequest.objects.select_for_update().select_related("user").get(pk=request.pk)
    if locked.status != ErasureRequest.Status.PENDING:
        raise ErasureError(_("This request has already been handled."))
    if locked.user_id == by.pk:
        raise ErasureError(_("Another coordinator must handle your own erasure request."))
    return locked


@transaction.atomic
def decline_erasure(*, request: ErasureRequest, by: User, reason: str) -> ErasureRequest:
    """A coordinator declines a request (e.g. a legal obligation to keep the file); the person is
    told why."""
    request = _pending_for_review(request, by, reason)
    request.status = ErasureRequest.Status.DECLINED
    request.handled_by = by
    request.handled_at = timezone.now()
    request.reason = reason.strip()
    request.save(update_fields=["status", "handled_by", "handled_at", "reason"])
    record_event(actor=by, action="privacy.erasure_declined", target=request)
    notify(
        recipient=request.user,
        event="privacy.erasure_declined",
        template="privacy/emails/erasure_declined",
        context={"erasure": request},
        dedupe_key=f"privacy:erasure-declined:{request.pk}",
        url=reverse("privacy:my-data"),
    )
    return request


@transaction.atomic
def erase_person(*, request: ErasureRequest, by: User, reason: str) -> ErasureRequest:
    """Carry out a reviewed erasure request in one transaction: every provider erases or
    pseudonymises its data; certificates and the ledger stay, pointing at the pseudonymised
    account. The request keeps counts only."""
    request = _pending_for_review(request, by, reason)
    person = request.user
    counts: dict[str, int] = {}
    for provider in registry.providers():
        for kind, count in provider.erase(person, actor=by).items():
            counts[f"{provider.name}.{kind}"] = count
    request.status = ErasureRequest.Status.COMPLETED
    request.handled_by = by
    request.handled_at = timezone.now()
    request.reason = reason.strip()
    request.counts = counts
    request.save(update_fields=["status", "handled_by", "handled_at", "reason", "counts"])
    record_event(
        actor=by,
        action="privacy.erasure_completed",
        target=request,
        data={"person": person.pk, "counts": counts},
    )
    logger.info("Erasure request %s completed", request.pk)
    return request


# --- Retention -------------------------------------------------------------------------------


@transaction.atomic
def delete_expired_exports(*, now: datetime) -> int:
    """Delete export archives past their expiry date (the row stays, marked expired)."""
    expired = DataExport.objects.filter(
        status=DataExport.Status.READY, expires_at__lte=now
    ).select_for_update()
    names = []
    count = 0
    for export in expired:
        names.append(export.file_name)
        export.status = DataExport.Status.EXPIRED
        export.file_name = ""
        export.save(update_fields=["status", "file_name"])
        count += 1
    transaction.on_commit(lambda: [storage().delete(n) for n in names if n])
    return count


def apply_retention(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every app's retention rules (each in its own transaction); counts per kind."""
    now = now or timezone.now()
    counts = registry.run_retention(now=now)
    if any(counts.values()):
        record_event(actor=None, action="privacy.retention_applied", data=counts)
    return counts
