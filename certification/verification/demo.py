"""seed_demo step: how the demo certificates can be verified (after certification's step)."""

from django.conf import settings
from django.db import transaction

from certification.models import Certificate

from . import keys, services
from .models import ApiKey, VerificationSettings

DEMO_PARTNER_NAME = "Haute École de la Région (démonstration)"
# A known key, only ever created with DEBUG on (like the demo passwords).
DEMO_API_KEY = "pcv_demo-partenaire-parcours-0000000000000000000000"


def _demo_api_key(partner) -> tuple[ApiKey, str | None]:  # type: ignore[no-untyped-def]
    existing = ApiKey.objects.filter(partner_name=DEMO_PARTNER_NAME).first()
    if existing is not None:
        return existing, DEMO_API_KEY if settings.DEBUG else None
    api_key, raw_key = services.create_api_key(
        partner_name=DEMO_PARTNER_NAME,
        owner=partner,
        created_by=None,
        raw_key=DEMO_API_KEY if settings.DEBUG else None,
    )
    return api_key, raw_key if settings.DEBUG else None


@transaction.atomic
def seed(context) -> None:  # type: ignore[no-untyped-def]
    """Julie shows her name in full, Amina asks verifiers to confirm it; a partner key;
    status list positions and, when a signing key is available, the signed credentials."""
    certificates: list[Certificate] = context.objects.get("certificates") or []
    people = context.objects.get("people") or {}
    if not certificates:
        return
    modes = {"julie": VerificationSettings.NameMode.FULL}
    modes["amina"] = VerificationSettings.NameMode.CONFIRM
    by_holder = {person.pk: key for key, person in people.items()}
    for certificate in certificates:
        mode = modes.get(by_holder.get(certificate.holder_id, ""), "full")
        VerificationSettings.objects.get_or_create(
            certificate=certificate, defaults={"name_mode": mode}
        )
        services.assign_status_position(certificate=certificate)
    signed = settings.DEBUG or keys.is_configured()
    if signed:
        for certificate in certificates:
            services.issue_credential(certificate=certificate)
    api_key, raw_key = _demo_api_key(people.get("partenaire"))
    site = settings.SITE_URL
    context.report["verification"] = {
        "form": f"{site}/v/",
        "certificates": [
            {
                "code": c.code,
                "page": f"{site}/v/{c.code}",
                "api": f"{site}/api/v1/certificates/{c.code}",
                "credential": f"{site}/api/v1/certificates/{c.code}/credential",
            }
            for c in certificates
        ],
        "jwks": f"{site}/.well-known/jwks.json",
        "did": f"{site}/.well-known/did.json",
        "openapi": f"{site}/api/v1/openapi.json",
        "partner_key_prefix": api_key.prefix,
        **({"partner_api_key": raw_key} if raw_key else {}),
    }
    lines = [f"Form: {site}/v/   OpenAPI: {site}/api/v1/openapi.json"]
    lines += [
        f"{c.code}  {site}/v/{c.code}  {site}/api/v1/certificates/{c.code}" for c in certificates
    ]
    if raw_key:
        lines.append(f"Partner API key ({DEMO_PARTNER_NAME}): {raw_key}")
        lines.append(
            f"  curl -H 'Authorization: Bearer {raw_key}' -H 'Content-Type: application/json' "
            f'-d \'{{"codes": ["{certificates[0].code}"]}}\' {site}/api/v1/certificates/verify'
        )
    if not signed:
        lines.append("No signing key configured: credentials are signed on first request.")
    context.sections.append(("Certificate verification", lines))
