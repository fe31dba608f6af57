"""PDF rendering of certificates and transcripts with xhtml2pdf (A4 landscape / portrait).

Fonts: the Bitstream Vera TTF files shipped inside reportlab (a dependency of xhtml2pdf) are
embedded, so accents print everywhere (é, è, ç, œ, ’, «, »). The QR code is made with segno and
embedded as a PNG; the verification URL is also a link annotation on the page.
"""

import base64
import io
from pathlib import Path

import reportlab
import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from xhtml2pdf import pisa

FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
FONTS = {
    "regular": FONT_DIR / "Vera.ttf",
    "bold": FONT_DIR / "VeraBd.ttf",
    "italic": FONT_DIR / "VeraIt.ttf",
}
# Pixels per QR module in the embedded image: sharp when printed, easy to read back in tests.
QR_SCALE = 4


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (no border: the template leaves white space around it)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=QR_SCALE, border=0)
    return buffer.getvalue()


def _link_callback(uri: str, rel: str) -> str:
    # Only our own font files may be loaded from disk; everything else is inline (data: URIs).
    for path in FONTS.values():
        if uri == path.as_uri() or uri == str(path):
            return str(path)
    return uri


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document to PDF bytes, or raise RuntimeError."""
    out = io.BytesIO()
    status = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=_link_callback)
    if status.err:
        raise RuntimeError(f"xhtml2pdf could not render the document ({status.err} errors)")
    return out.getvalue()


def render_template_to_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    with translation.override(language):
        html = render_to_string(template_name, {**context, "fonts": FONTS, "language": language})
    return html_to_pdf(html)


def certificate_pdf(certificate) -> bytes:  # type: ignore[no-untyped-def]
    """The certificate document: name as printed, title, date, issuing body, signatories,
    code and a QR code to the verification URL."""
    certification = certificate.certification
    rules = getattr(certification, "rules", None)
    url = certificate.verification_url
    context = {
        "certificate": certificate,
        "certification": certification,
        "signatories": rules.signatory_list if rules else [],
        "verification_url": url,
        "qr_data_uri": "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii"),
    }
    return render_template_to_pdf(
        "certification/pdf/certificate.html", context, language=certificate.language
    )


def transcript_pdf(*, person_name: str, certification, holdings, language: str) -> bytes:  # type: ignore[no-untyped-def]
    """The competency transcript: every block and how it was acquired."""
    context = {
        "person_name": person_name,
        "certification": certification,
        "holdings": holdings,
        "now": timezone.localdate(),
    }
    return render_template_to_pdf("certification/pdf/transcript.html", context, language=language)
