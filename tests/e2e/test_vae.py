"""A VAE candidate opens a candidacy, goes through the five steps and sends it."""

import pytest
from playwright.sync_api import expect

from lms.accounts.roles import Role
from tests.lms.factories import UserFactory
from tests.vae.factories import PDF_BYTES, make_vae_certification
from vae.models import Candidacy

from .helpers import LANGUAGES, LOCALES, checked, prefix, screenshot, t, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_candidate_goes_through_the_five_steps_and_sends_the_candidacy(
    new_context, login_as, language
):
    framework, certification, _modules = make_vae_certification()
    candidate = UserFactory(
        email="lea@example.org", first_name="Léa", role=Role.TRAINEE, preferred_language=language
    )
    page = new_context(locale=LOCALES[language]).new_page()
    login_as(page.context, candidate)
    journey = f"vae-{language}"

    # Open a candidacy.
    visit(page, f"{prefix(language)}/vae/", journey=journey, step="0-start")
    page.locator("#id_certification").select_option(str(certification.pk))
    page.get_by_role("button", name=t("Open my candidacy", language)).click()
    checked(page, journey=journey, step="1-experiences")
    expect(page.locator("progress")).to_be_visible()

    # Step 1: an experience.
    page.locator("#id_kind").select_option(index=1)
    page.locator("#id_role").fill("Animatrice d'un groupe de parole")
    page.locator("#id_started_on").fill("2019-03-01")
    page.locator("#id_hours").fill("300")
    page.get_by_role("button", name=t("Save this experience", language)).click()
    checked(page)
    expect(page.get_by_role("main")).to_contain_text("Animatrice d'un groupe de parole")
    next_step = page.get_by_role("link", name=t("Next step:", language))

    # Step 2: self-assessment, one page per block.
    next_step.click()
    checked(page, journey=journey, step="2-self-assessment")
    for block in framework.blocks.order_by("position"):
        heading = page.get_by_role("heading", level=2, name=f"{block.code} {block.title}")
        expect(heading).to_be_visible()
        for radio in page.locator("input[type=radio][value=yes]").all():
            radio.check()
        page.locator("textarea").first.fill("J'ai animé un groupe d'entraide pendant cinq ans.")
        page.get_by_role("main").locator("form button[type=submit]").click()
        checked(page)

    # Step 3: a document.
    screenshot(page, journey, "3-evidence")
    page.locator("input[type=file]").set_input_files(
        {"name": "attestation.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name=t("Add this document", language)).click()
    checked(page)
    expect(page.get_by_role("main")).to_contain_text("attestation.pdf")

    # Step 4: lived experience (optional, with consent).
    next_step.click()
    checked(page, journey=journey, step="4-lived-experience")
    page.get_by_role("button", name=t("I agree", language)).click()
    checked(page)
    page.locator("textarea").fill("Mon propre chemin de rétablissement m'a appris à écouter.")
    page.get_by_role("button", name=t("Save", language)).click()
    checked(page)

    # Step 5: the sworn statement, refused without the box ticked, then sent.
    if page.locator("input[name=sworn]").count() == 0:
        next_step.click()
        checked(page)
    screenshot(page, journey, "5-statement")
    page.get_by_role("button", name=t("Send my candidacy", language)).click()
    checked(page, journey=journey, step="5-statement-refused")
    expect(page.get_by_role("checkbox")).not_to_be_checked()
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=t("Send my candidacy", language)).click()
    checked(page, journey=journey, step="6-sent")
    main = page.get_by_role("main")
    expect(main).to_contain_text(t("Sent. You will receive an email at each step.", language))
    expect(main).to_contain_text(t(Candidacy.Status.SUBMITTED.label, language))
    assert Candidacy.objects.get(candidate=candidate).status == Candidacy.Status.SUBMITTED
