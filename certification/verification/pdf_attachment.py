"""The signed credential travels inside the certificate PDF as an embedded file.

Certification renders the PDF once and stores it with its SHA-256; the finisher below runs on
the rendered bytes first, so the stored file, its hash on the verification page and the
credential served by the API all agree.
"""

import io
import logging

from pypdf import PdfReader, PdfWriter

from certification.models import Certificate

from . import keys

logger = logging.getLogger(__name__)

ATTACHMENT_NAME = "open-badge-credential.jwt"


def attach_credential(pdf_bytes: bytes, jwt: str) -> bytes:
    """``pdf_bytes`` with ``jwt`` embedded as the file ATTACHMENT_NAME."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    writer.add_attachment(ATTACHMENT_NAME, jwt.encode("ascii"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def attached_credential(pdf_bytes: bytes) -> str | None:
    """The credential embedded in a PDF, or None."""
    contents = PdfReader(io.BytesIO(pdf_bytes)).attachments.get(ATTACHMENT_NAME)
    return contents[0].decode("ascii") if contents else None


def finish_certificate_pdf(certificate: Certificate, pdf_bytes: bytes) -> bytes:
    """Hook for certification's PDF rendering: sign (once) and embed the credential.

    Without a signing key (production misconfigured, see check verification.W001) the PDF is
    stored without it rather than not at all.
    """
    from . import services

    try:
        stored = services.issue_credential(certificate=certificate)
    except keys.SigningKeyMissing:
        logger.warning("Certificate %s PDF stored without its credential: no key", certificate.pk)
        return pdf_bytes
    return attach_credential(pdf_bytes, stored.jwt)
