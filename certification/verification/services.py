"""Write paths of the verification app (the only ones; see STYLE.md)."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc.jwk import OKPKey

from certification.models import Certificate
from lms.accounts.models import User
from lms.audit.services import record_event

from . import credentials, keys
from .models import ApiKey, CredentialStatus, SigningKey, VerificationLog, VerificationSettings

KEY_PREFIX = "pcv_"


def hash_api_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


@transaction.atomic
def set_name_mode(
    *, certificate: Certificate, holder: User, name_mode: str
) -> VerificationSettings:
    """The holder chooses how verifiers see their name: in full, or only confirmed."""
    if certificate.holder_id != holder.pk:
        raise ValidationError(_("Only the holder can change this."))
    if name_mode not in VerificationSettings.NameMode.values:
        raise ValidationError(_("Choose one of the options."))
    chosen, _created = VerificationSettings.objects.update_or_create(
        certificate=certificate, defaults={"name_mode": name_mode}
    )
    return chosen


def _log_without_waiting_for_the_disk() -> None:
    """On PostgreSQL, this transaction's commit does not wait for the write-ahead log to reach
    the disk (``synchronous_commit = off``, for this transaction only): a verification answers
    without an fsync. A server crash may lose the last fraction of a second of log lines, never
    corrupt them or touch other data. Every verification writes one, so it is the API's cost."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic
def record_verification(
    *,
    certificate: Certificate,
    channel: str,
    api_key: ApiKey | None = None,
    partner_account: User | None = None,
) -> VerificationLog:
    """Write one line in the holder's verification log (no IP address, no user agent)."""
    _log_without_waiting_for_the_disk()
    return VerificationLog.objects.create(
        certificate=certificate,
        channel=channel,
        partner=api_key,
        partner_account=partner_account
        if partner_account is not None and partner_account.is_authenticated
        else None,
    )


@transaction.atomic
def record_verifications(
    *,
    certificates: list[Certificate],
    channel: str,
    api_key: ApiKey | None = None,
    partner_account: User | None = None,
) -> list[VerificationLog]:
    """One log line per certificate of a batch, in a single insert (a batch holds up to 100)."""
    _log_without_waiting_for_the_disk()
    account = (
        partner_account
        if partner_account is not None and partner_account.is_authenticated
        else None
    )
    return VerificationLog.objects.bulk_create(
        VerificationLog(
            certificate=certificate, channel=channel, partner=api_key, partner_account=account
        )
        for certificate in certificates
    )


@transaction.atomic
def create_api_key(
    *,
    partner_name: str,
    created_by: User | None,
    owner: User | None = None,
    raw_key: str | None = None,
) -> tuple[ApiKey, str]:
    """A new partner key; returns it with the full secret, which is never stored nor shown again.

    ``raw_key`` is for the demo only (a known key, with DEBUG on); otherwise it is random.
    """
    partner_name = partner_name.strip()
    if not partner_name:
        raise ValidationError(_("Give the partner organisation's name."))
    raw_key = raw_key or f"{KEY_PREFIX}{secrets.token_urlsafe(32)}"  # 32 random bytes
    api_key = ApiKey.objects.create(
        partner_name=partner_name,
        owner=owner,
        prefix=raw_key[: len(KEY_PREFIX) + 8],
        key_hash=hash_api_key(raw_key),
        created_by=created_by,
    )
    record_event(
        actor=created_by,
        action="verification.api_key_created",
        target=api_key,
        summary=f"API key {api_key.prefix}… for {partner_name}",
    )
    return api_key, raw_key


@transaction.atomic
def revoke_api_key(*, api_key: ApiKey, by: User | None) -> ApiKey:
    """Revoke a key for good (idempotent)."""
    locked = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        record_event(
            actor=by,
            action="verification.api_key_revoked",
            target=locked,
            summary=f"API key {locked.prefix}… revoked",
        )
    return locked


@transaction.atomic
def use_api_key(*, raw_key: str) -> ApiKey | None:
    """The active key matching ``raw_key`` (marked as used now), or None."""
    if not raw_key.startswith(KEY_PREFIX):
        return None
    api_key = ApiKey.objects.filter(key_hash=hash_api_key(raw_key), revoked_at__isnull=True).first()
    if api_key is not None:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
    return api_key


@transaction.atomic
def register_signing_key(*, private_key: OKPKey) -> SigningKey:
    """Publish the public half of the configured key and make it current; the previous current
    key is retired but stays published. Idempotent."""
    kid = keys.thumbprint(private_key)
    current = SigningKey.objects.select_for_update().filter(is_current=True).first()
    if current is not None and current.kid == kid:
        return current
    if current is not None:
        current.is_current = False
        current.retired_at = timezone.now()
        current.save(update_fields=["is_current", "retired_at"])
    signing_key, created = SigningKey.objects.get_or_create(
        kid=kid, defaults={"public_jwk": keys.public_jwk(private_key), "is_current": True}
    )
    if not created:
        signing_key.is_current = True
        signing_key.retired_at = None
        signing_key.save(update_fields=["is_current", "retired_at"])
    return signing_key


def current_private_key() -> OKPKey:
    """The configured private key, its public half published (raises keys.SigningKeyMissing)."""
    private_key = keys.load_private_key()
    if not SigningKey.objects.filter(kid=keys.thumbprint(private_key), is_current=True).exists():
        register_signing_key(private_key=private_key)
    return private_key


def _open_list_number() -> int:
    latest = CredentialStatus.objects.aggregate(Max("list_number"))["list_number__max"] or 1
    used = (
        CredentialStatus.objects.filter(list_number=latest)
        .aggregate(count=Count("pk"))
        .get("count")
        or 0
    )
    return latest + 1 if used >= credentials.STATUS_LIST_FILL else latest


@transaction.atomic
def assign_status_position(*, certificate: Certificate) -> CredentialStatus:
    """Give the certificate a random, unused position in the open status list (idempotent)."""
    existing = CredentialStatus.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    list_number = _open_list_number()
    for _attempt in range(50):
        index = secrets.randbelow(credentials.STATUS_LIST_SIZE)
        try:
            with transaction.atomic():
                return CredentialStatus.objects.create(
                    certificate=certificate, list_number=list_number, index=index
                )
        except IntegrityError:
            existing = CredentialStatus.objects.filter(certificate=certificate).first()
            if existing is not None:
                return existing  # a concurrent caller assigned it
    raise RuntimeError("No free status list position found")


@transaction.atomic
def issue_credential(*, certificate: Certificate) -> CredentialStatus:
    """Sign the certificate's OpenBadgeCredential ONCE and keep it, so the API and the PDF
    attachment are the same bytes. Raises keys.SigningKeyMissing when no key is configured."""
    status = assign_status_position(certificate=certificate)
    status = CredentialStatus.objects.select_for_update().get(pk=status.pk)
    if status.jwt:
        return status
    private_key = current_private_key()
    certificate = Certificate.objects.select_related("certification").get(pk=certificate.pk)
    payload = credentials.build_credential(
        certificate, list_number=status.list_number, index=status.index
    )
    status.jwt = credentials.sign(payload, private_key)
    status.kid = keys.thumbprint(private_key)
    status.signed_at = timezone.now()
    status.save(update_fields=["jwt", "kid", "signed_at"])
    return status
