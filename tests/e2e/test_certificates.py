"""A coordinator issues a certificate; its holder downloads the PDF; a partner follows the
verification link printed (and QR-encoded) in that PDF."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from certification import services
from certification.models import Certificate
from lms.accounts.roles import Role
from tests.certification.helpers import make_certification, make_eligible
from tests.lms.factories import UserFactory

from .helpers import LANGUAGES, LOCALES, axe_check, checked, prefix, screenshot, t, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def holder_and_certification(language: str = "fr"):
    holder = UserFactory(
        email="julie@example.org",
        first_name="Julie",
        last_name="Lambert",
        role=Role.TRAINEE,
        preferred_language=language,
    )
    framework, certification = make_certification()
    make_eligible(holder, framework)
    return holder, certification


def issued_certificate(language: str = "fr"):
    """A certificate issued to a holder who reads ``language`` (so its PDF is in it too)."""
    holder, certification = holder_and_certification(language)
    certificate = services.issue_certificate(person=holder, certification=certification)
    return holder, Certificate.objects.get(pk=certificate.pk)


def pdf_links(content: bytes) -> list[str]:
    """The URIs of the link annotations in a PDF (the verification link under the QR code)."""
    links = []
    for pdf_page in PdfReader(io.BytesIO(content)).pages:
        for annotation in pdf_page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if action.get("/URI"):
                links.append(str(action["/URI"]))
    return links


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_coordinator_issues_a_certificate_from_the_eligible_list(new_context, login_as, language):
    holder, certification = holder_and_certification()
    coordinator = UserFactory(
        email="sophie@example.org", role=Role.COORDINATOR, preferred_language=language
    )
    page = new_context(locale=LOCALES[language]).new_page()
    login_as(page.context, coordinator)
    journey = f"coordinator-{language}"

    visit(
        page,
        reverse("certification_admin:issue", args=[certification.pk]),
        journey=journey,
        step="1-eligible",
    )
    eligible = page.get_by_role("table")
    expect(eligible).to_contain_text("Julie Lambert")
    expect(eligible.get_by_role("checkbox", name="Julie Lambert")).to_be_checked()
    page.get_by_role("button", name=t("Issue the ticked certificates", language)).click()
    checked(page, journey=journey, step="2-issued")
    expect(
        page.get_by_text(t("Nobody is waiting for this certificate right now.", language))
    ).to_be_visible()

    certificate = Certificate.objects.get(holder=holder)
    visit(page, reverse("certification_admin:certificate-list"), journey=journey, step="3-list")
    row = page.get_by_role("row").filter(has_text=certificate.code)
    expect(row).to_contain_text("Julie Lambert")
    row.get_by_role("link").first.click()
    checked(page, journey=journey, step="4-certificate")
    expect(page.get_by_role("main")).to_contain_text(certificate.code)
    expect(page.get_by_role("main")).to_contain_text(t("Valid", language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_holder_downloads_the_pdf_of_the_certificate(new_context, login_as, language):
    holder, certificate = issued_certificate(language)
    page = new_context(locale=LOCALES[language]).new_page()
    login_as(page.context, holder)

    visit(
        page,
        f"{prefix(language)}/certification/",
        journey=f"holder-{language}",
        step="1-my-certificates",
    )
    card = page.get_by_role("article").filter(has_text=certificate.code)
    expect(card).to_contain_text(certificate.certification.title)
    expect(card).to_contain_text(t("Valid", language))
    link = card.get_by_role("link", name="PDF")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"certificat-{certificate.code}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert certificate.code in text
    assert t("is awarded to", language) in text, text

    # The same address answers with a PDF content type, as a browser sees it.
    response = page.context.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == content


@pytest.mark.parametrize("locale,language", [("fr-BE", "fr"), ("nl-BE", "nl")])
def test_a_partner_follows_the_link_in_the_pdf_and_sees_a_valid_certificate(
    new_context, login_as, locale, language
):
    holder, certificate = issued_certificate()
    owner = new_context()
    login_as(owner, holder)
    response = owner.request.get(f"/certification/certificats/{certificate.code}/pdf/")
    assert response.ok
    links = pdf_links(response.body())
    assert certificate.verification_url in links, links
    assert links[0].endswith(f"/v/{certificate.code}")

    # The partner, anonymous, in their own browser language.
    partner = new_context(locale=locale).new_page()
    visit(partner, certificate.verification_url, journey=f"partner-{language}", step="verify")
    status = partner.get_by_role("status")
    expect(status).to_contain_text(t("Valid certificate", language))
    expect(status).to_contain_text(
        t("This certificate was issued by us and is valid today.", language)
    )
    expect(partner.get_by_role("main")).to_contain_text(certificate.certification.title)
    axe_check(partner)
    screenshot(partner, f"partner-{language}", "verify")

    # Without the QR code, the partner types the code printed under it into the code box.
    visit(partner, "/v/", journey=f"partner-{language}", step="code-box")
    expect(partner.get_by_role("heading", level=1)).to_have_text(
        t("Verify a certificate", language)
    )
    code_box = partner.get_by_label(t("Verification code", language))
    code_box.fill(certificate.code.lower())
    code_box.press("Enter")
    partner.wait_for_url(f"**/v/{certificate.code}")
    expect(partner.get_by_role("status")).to_contain_text(t("Valid certificate", language))
