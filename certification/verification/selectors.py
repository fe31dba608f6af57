"""Reads of the verification app: what a code says, and who may see what."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from certification import codes
from certification.models import Certificate
from lms.accounts.models import User
from lms.accounts.roles import Role

from . import credentials
from .models import ApiKey, CredentialStatus, SigningKey, VerificationLog, VerificationSettings

NameMode = VerificationSettings.NameMode


class Outcome:
    FOUND = "found"
    UNKNOWN = "unknown"  # well formed, but no such certificate (or never existed: same answer)
    TYPO = "typo"  # right length, but the check character does not match: a mistyped symbol
    MALFORMED = "malformed"  # wrong length or symbols


# The only facts a verifier ever gets, in this order (tests compare against this list).
PUBLIC_FIELDS = (
    "code",
    "status",
    "name_as_printed",
    "name_confirmation_required",
    "title",
    "issuer",
    "issued_on",
    "valid_until",
    "revoked_on",
    "revocation_reason",
    "pdf_sha256",
    "credential_url",
)


@dataclass
class Lookup:
    typed: str
    code: str
    outcome: str
    certificate: Certificate | None = None
    name_mode: str = NameMode.FULL
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.outcome == Outcome.FOUND


def classify_code(typed: str) -> tuple[str, str | None]:
    """(normalised code, problem) with no database access: problem is TYPO, MALFORMED or None."""
    code = codes.normalise_code(typed)
    compact = code.replace("-", "")
    if len(compact) != codes.CODE_LENGTH or any(c not in codes.ALPHABET for c in compact):
        return code, Outcome.MALFORMED
    if not codes.is_well_formed(code):
        return code, Outcome.TYPO
    return code, None


def public_status(certificate: Certificate, *, today: date | None = None) -> str:
    """valid / expired / suspended / revoked, counting a passed validity date as expired even
    before the nightly job marks it."""
    today = today or timezone.localdate()
    if (
        certificate.status == Certificate.Status.VALID
        and certificate.valid_until is not None
        and certificate.valid_until < today
    ):
        return Certificate.Status.EXPIRED
    return certificate.status


def public_facts(certificate: Certificate, name_mode: str) -> dict[str, Any]:
    """What the certificate says publicly: nothing about results, health or other certificates."""
    status = public_status(certificate)
    revoked = status == Certificate.Status.REVOKED
    confirm = name_mode == NameMode.CONFIRM
    return {
        "code": certificate.code,
        "status": status,
        "name_as_printed": None if confirm else certificate.name_as_printed,
        "name_confirmation_required": confirm,
        "title": certificate.certification.title,
        "issuer": certificate.certification.issuing_body,
        "issued_on": timezone.localdate(certificate.issued_at).isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "revoked_on": (
            timezone.localdate(certificate.revoked_at).isoformat()
            if revoked and certificate.revoked_at
            else None
        ),
        "revocation_reason": certificate.revocation_reason if revoked else None,
        "pdf_sha256": certificate.pdf_sha256 or None,
        "credential_url": credentials.credential_url(certificate.code),
    }


def lookup_certificate(typed: str) -> Lookup:
    """What a typed or scanned code says. Typos and malformed codes are told without any
    database query; an unknown code and one that never existed get the same answer."""
    code, problem = classify_code(typed)
    if problem is not None:
        return Lookup(typed=typed, code=code, outcome=problem)
    certificate = (
        Certificate.objects.select_related("certification", "verification_settings")
        .filter(code=code)
        .first()
    )
    if certificate is None:
        return Lookup(typed=typed, code=code, outcome=Outcome.UNKNOWN)
    try:
        name_mode = certificate.verification_settings.name_mode
    except VerificationSettings.DoesNotExist:
        name_mode = NameMode.FULL
    return Lookup(
        typed=typed,
        code=code,
        outcome=Outcome.FOUND,
        certificate=certificate,
        name_mode=name_mode,
        facts=public_facts(certificate, name_mode),
    )


def lookup_many(typed_codes: list[str]) -> list[Lookup]:
    """Lookups for a batch, in the order given, with one query for all well-formed codes."""
    classified = [(typed, *classify_code(typed)) for typed in typed_codes]
    wanted = {code for _typed, code, problem in classified if problem is None}
    found = {
        c.code: c
        for c in Certificate.objects.select_related(
            "certification", "verification_settings"
        ).filter(code__in=wanted)
    }
    results = []
    for typed, code, problem in classified:
        if problem is not None:
            results.append(Lookup(typed=typed, code=code, outcome=problem))
            continue
        certificate = found.get(code)
        if certificate is None:
            results.append(Lookup(typed=typed, code=code, outcome=Outcome.UNKNOWN))
            continue
        try:
            name_mode = certificate.verification_settings.name_mode
        except VerificationSettings.DoesNotExist:
            name_mode = NameMode.FULL
        results.append(
            Lookup(
                typed=typed,
                code=code,
                outcome=Outcome.FOUND,
                certificate=certificate,
                name_mode=name_mode,
                facts=public_facts(certificate, name_mode),
            )
        )
    return results


def name_matches(certificate: Certificate, typed_name: str) -> bool:
    normalised = credentials.normalise_name(typed_name)
    return bool(normalised) and normalised == credentials.normalise_name(
        certificate.name_as_printed
    )


# --- The holder's screens ----------------------------------------------------------------------


def get_certificate_for_holder(user: User, code: str) -> Certificate:
    """The certificate with ``code`` if ``user`` holds it; Certificate.DoesNotExist otherwise."""
    if not user.is_authenticated:
        raise Certificate.DoesNotExist
    return Certificate.objects.select_related("certification").get(
        holder_id=user.pk, code=codes.normalise_code(code)
    )


def name_mode_for(certificate: Certificate) -> str:
    mode = (
        VerificationSettings.objects.filter(certificate=certificate)
        .values_list("name_mode", flat=True)
        .first()
    )
    return mode or NameMode.FULL


def verification_log_for_holder(certificate: Certificate) -> QuerySet[VerificationLog]:
    """Each verification of the holder's certificate, newest first (with the partner name only
    when a partner key or account was used)."""
    return (
        VerificationLog.objects.filter(certificate=certificate)
        .select_related("partner", "partner_account")
        .order_by("-checked_at", "-pk")
    )


def verification_counts_by_month(certificate: Certificate) -> list[dict[str, Any]]:
    """How many checks per month, newest month first."""
    rows = (
        VerificationLog.objects.filter(certificate=certificate)
        .annotate(month=TruncMonth("checked_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    return [{"month": row["month"], "count": row["count"]} for row in rows]


# --- Partners and keys -------------------------------------------------------------------------


def is_partner(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.PARTNER))


def active_api_key_for_hash(key_hash: str) -> ApiKey | None:
    return ApiKey.objects.filter(key_hash=key_hash, revoked_at__isnull=True).first()


def list_api_keys() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("owner", "created_by").order_by("-created_at", "-pk")


def published_keys() -> list[SigningKey]:
    """Every public key, current and retired (old credentials must keep verifying)."""
    return list(SigningKey.objects.order_by("created_at", "pk"))


def stored_credential(certificate: Certificate) -> CredentialStatus | None:
    return CredentialStatus.objects.filter(certificate=certificate).exclude(jwt="").first()


def revoked_positions(list_number: int) -> list[int]:
    return list(
        CredentialStatus.objects.filter(
            list_number=list_number, certificate__status=Certificate.Status.REVOKED
        ).values_list("index", flat=True)
    )


def status_list_exists(list_number: int) -> bool:
    return list_number == 1 or CredentialStatus.objects.filter(list_number=list_number).exists()
