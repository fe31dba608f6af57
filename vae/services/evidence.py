"""Evidence files: checked on their content, stored privately under random names."""

import hashlib
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.audit.services import record_event

from .. import transitions
from ..evidence_types import EXTENSIONS, detect_type
from ..models import AdmissibilityDecision, Candidacy, Evidence, LivedExperienceNarrative
from .candidacies import VaeError, _editable


class EvidenceRefused(VaeError):
    """An upload was refused; nothing was stored."""


def max_evidence_bytes() -> int:
    return int(getattr(settings, "VAE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def storage():  # type: ignore[no-untyped-def]
    return storages["private"]


def _read_checked(upload: UploadedFile) -> tuple[bytes, str]:
    """The file's bytes and real type, or EvidenceRefused with a kind message."""
    limit = max_evidence_bytes()
    if upload.size is not None and upload.size > limit:
        raise EvidenceRefused(
            _("This file is too large (the limit is %(limit)s). Try a smaller scan or a PDF.")
            % {"limit": filesizeformat(limit)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise EvidenceRefused(
            _("This file is too large (the limit is %(limit)s). Try a smaller scan or a PDF.")
            % {"limit": filesizeformat(limit)}
        )
    if not data:
        raise EvidenceRefused(_("This file is empty. Please choose another one."))
    content_type = detect_type(data)
    if content_type is None:
        raise EvidenceRefused(
            _(
                "We could not accept this file: its content is not a PDF, a photo (JPEG or PNG) "
                "or a text document (DOCX or ODT), whatever its name says. Please save it in "
                "one of these formats and try again."
            )
        )
    return data, content_type


@transaction.atomic
def upload_evidence(
    *,
    candidacy: Candidacy,
    by: User,
    upload: UploadedFile,
    description: str = "",
    kind: str = Evidence.Kind.ATTESTATION,
) -> Evidence:
    """Check an upload on its content and store it privately; a refused file leaves nothing."""
    candidacy = _editable(candidacy, by=by)
    data, content_type = _read_checked(upload)
    name = f"vae/evidence/{secrets.token_hex(20)}{EXTENSIONS[content_type]}"
    stored_name = storage().save(name, ContentFile(data))
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                candidacy=candidacy,
                original_name=(upload.name or "document")[-200:],
                stored_name=stored_name,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                description=description[:200],
                kind=kind if kind in Evidence.Kind.values else Evidence.Kind.OTHER,
                uploaded_by=by,
            )
    except Exception:
        storage().delete(stored_name)
        raise
    # If the surrounding transaction rolls back later, the stored file would be orphaned:
    # the retention sweep removes files without a row.
    return evidence


@transaction.atomic
def delete_evidence(*, evidence: Evidence, by: User) -> None:
    """The candidate removes a piece of evidence while the file is editable."""
    _editable(evidence.candidacy, by=by)
    stored_name = evidence.stored_name
    evidence.delete()
    transaction.on_commit(lambda: storage().delete(stored_name))


@transaction.atomic
def record_evidence_download(*, evidence: Evidence, by: User) -> None:
    """Write an evidence download to the audit trail (called by the download view)."""
    record_event(
        actor=by,
        action="vae.evidence_downloaded",
        target=evidence,
        summary=f"VAE-{evidence.candidacy_id:05d}",
        data={"candidacy": evidence.candidacy_id},
    )


def _delete_files(names: list[str]) -> None:
    for name in names:
        storage().delete(name)


@transaction.atomic
def apply_retention(*, now=None) -> int:  # type: ignore[no-untyped-def]
    """Erase evidence files and lived-experience narratives of candidacies finished more than
    VAE_RETENTION_DAYS ago (decisions and the ledger stay: certification needs them).
    Returns the number of candidacies purged; idempotent."""
    now = now or timezone.now()
    days = int(getattr(settings, "VAE_RETENTION_DAYS", 730))
    finished = Candidacy.objects.filter(
        status__in=transitions.TERMINAL | {Candidacy.Status.LAPSED},
        finished_at__lte=now - timedelta(days=days),
    )
    count = 0
    for candidacy in finished:
        names = list(candidacy.evidence.values_list("stored_name", flat=True))
        narratives = LivedExperienceNarrative.objects.filter(candidacy=candidacy)
        if not names and not narratives.exists():
            continue
        candidacy.evidence.all().delete()
        narratives.delete()
        transaction.on_commit(partial(_delete_files, names))
        record_event(actor=None, action="vae.retention_applied", target=candidacy)
        count += 1
    return count


@transaction.atomic
def delete_identity_documents() -> int:
    """Delete identity documents of candidacies whose admissibility is decided (admissible or
    not): they only served that check. Returns how many files; idempotent."""
    decided = AdmissibilityDecision.objects.filter(
        outcome__in=[
            AdmissibilityDecision.Outcome.ADMISSIBLE,
            AdmissibilityDecision.Outcome.NOT_ADMISSIBLE,
        ]
    ).values("candidacy")
    documents = Evidence.objects.filter(kind=Evidence.Kind.IDENTITY, candidacy__in=decided)
    names = list(documents.values_list("stored_name", flat=True))
    for candidacy_id in set(documents.values_list("candidacy_id", flat=True)):
        record_event(
            actor=None,
            action="vae.identity_documents_deleted",
            target=Candidacy(pk=candidacy_id),
            data={"candidacy": candidacy_id},
        )
    documents.delete()
    transaction.on_commit(partial(_delete_files, names))
    return len(names)


def draft_retention_days() -> int:
    return int(getattr(settings, "VAE_DRAFT_RETENTION_DAYS", 365))


@transaction.atomic
def delete_abandoned_drafts(*, now=None) -> int:  # type: ignore[no-untyped-def]
    """Delete candidacies never sent (drafts, or drafts that lapsed) with no activity for
    VAE_DRAFT_RETENTION_DAYS: nobody decided anything on them, so nothing needs keeping.
    Returns how many were deleted; idempotent."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=draft_retention_days())
    abandoned = Candidacy.objects.filter(last_activity_at__lte=cutoff, submitted_at__isnull=True)
    abandoned = abandoned.filter(status=Candidacy.Status.DRAFT) | abandoned.filter(
        status=Candidacy.Status.LAPSED, previous_status=Candidacy.Status.DRAFT
    )
    count = 0
    for candidacy in abandoned.select_for_update():
        names = list(candidacy.evidence.values_list("stored_name", flat=True))
        candidacy_id = candidacy.pk
        candidacy.delete()
        transaction.on_commit(partial(_delete_files, names))
        record_event(
            actor=None,
            action="vae.draft_deleted",
            data={"candidacy": candidacy_id, "reason": "retention"},
        )
        count += 1
    return count
