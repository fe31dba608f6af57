"""Certificates in each state, made through the certification services (never by hand)."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from certification import services as certification_services
from certification.models import CompetencyFramework
from certification.verification import keys
from tests.certification.factories import CertificationFactory, RulesFactory, make_framework
from tests.certification.helpers import make_eligible

# One private key for the whole test run (tests run with DEBUG off: nothing is generated).
TEST_PRIVATE_KEY_PEM = keys.private_key_to_pem(keys.generate_private_key()).decode()


def with_signing_key(pem: str = TEST_PRIVATE_KEY_PEM):
    return override_settings(CREDENTIAL_SIGNING_KEY=pem, CREDENTIAL_SIGNING_KEY_FILE="")


def issue(person, *, rendered: bool = True, **rules):
    """A valid certificate for ``person`` on a fresh certification (its PDF rendered)."""
    framework = CompetencyFramework.objects.filter(code="pair-aidance-test").first()
    framework = framework or make_framework()
    certification = CertificationFactory(framework_code=framework.code)
    RulesFactory(certification=certification, **rules)
    make_eligible(person, framework)
    certificate = certification_services.issue_certificate(
        person=person, certification=certification
    )
    if rendered:
        certificate = certification_services.render_certificate_pdf(certificate=certificate)
    return certificate


def revoked(person, *, by, reason="Stage non conforme."):
    return certification_services.revoke_certificate(
        certificate=issue(person), by=by, reason=reason
    )


def suspended(person, *, by):
    return certification_services.suspend_certificate(
        certificate=issue(person), by=by, reason="Vérification en cours."
    )


def expired(person):
    certificate = issue(person, validity_months=24)
    certification_services.expire_certificates(today=timezone.localdate() + timedelta(days=800))
    certificate.refresh_from_db()
    return certificate


def with_typo(code: str) -> str:
    """The same code with its first symbol changed: a single mistyped character."""
    first = code[0]
    replacement = "7" if first != "7" else "8"
    return replacement + code[1:]
