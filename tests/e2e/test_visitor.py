"""A visitor finds a session by region, signs up, verifies the email, signs in and enrols."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from courses.models import Enrolment

from .data import catalogue
from .helpers import checked, t, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Un-mot-de-passe-solide-42"


def confirmation_path(message) -> str:
    """The path of the verification link in an email (the host is the live server's)."""
    match = re.search(r"https?://[^/\s]+(/\S*accounts/confirm-email/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def find_and_enrol(page, *, language: str, email: str) -> None:
    prefix = "" if language == "fr" else f"/{language}"
    journey = f"visitor-{language}"
    finder, liege, namur = catalogue()

    # The finder, filtered by region.
    visit(page, f"{prefix}/sessions/", journey=journey, step="1-finder")
    page.locator("#id_region").select_option("liege")
    page.get_by_role("button", name=t("Show sessions", language)).click()
    checked(page, journey=journey, step="2-finder-liege")
    results = page.locator("ul.link-list")
    expect(results.locator(".session-row")).to_have_count(1)
    expect(results).to_contain_text("Liège")
    expect(results).not_to_contain_text("Namur")

    # The session page, then "Enrol": the visitor is asked to sign in first.
    results.get_by_role("link", name=liege.title).click()
    checked(page, journey=journey, step="3-session")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Liège")
    page.get_by_role("button", name=t("Enrol in this session", language)).click()
    checked(page, journey=journey, step="4-sign-in")

    # No account yet: sign up (the "next" address survives the detour).
    page.get_by_role("main").locator("a[href*='/accounts/signup/']").click()
    checked(page, journey=journey, step="5-sign-up")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.locator("input[name=display_name]").fill("Camille")
    page.get_by_role("main").locator("button[type=submit]").click()
    checked(page, journey=journey, step="6-verify-your-email")
    assert "/accounts/confirm-email/" in page.url

    # The link from the email, which is written in the visitor's language.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert t("Please Confirm Your Email Address", language) in message.subject, message.subject
    go_to = t("To confirm this is correct, go to %(activate_url)s", language)
    assert go_to.split("%(")[0].strip() in message.body, message.body
    visit(page, confirmation_path(message), journey=journey, step="7-confirm-email")
    page.get_by_role("main").locator("button[type=submit]").click()

    # Confirming signs the visitor in and leads back to the session they chose (the "next"
    # address survived sign-up and verification), which asks to confirm the enrolment.
    checked(page, journey=journey, step="8-enrol")
    expect(page.get_by_role("button", name=t("Sign out", language))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Liège")
    confirm = page.get_by_role("button", name=t("Confirm my enrolment", language))
    expect(confirm).to_be_visible()
    confirm.click()
    checked(page, journey=journey, step="9-my-training")
    expect(page.get_by_role("main")).to_contain_text(
        t("Your place is confirmed. We sent you an email with the dates.", language)
    )
    training = page.get_by_role("region", name=t("My training", language))
    expect(training).to_contain_text(liege.title)
    expect(training).to_contain_text(t("Confirmed", language))

    # "Mon espace" shows it too.
    page.get_by_role("navigation", name=t("Main menu", language)).get_by_role(
        "link", name=t("My space", language)
    ).click()
    checked(page, journey=journey, step="10-my-space")
    expect(page.get_by_role("main")).to_contain_text(liege.title)
    assert Enrolment.objects.get(trainee__email=email).status == Enrolment.Status.CONFIRMED


def test_a_visitor_finds_a_session_by_region_signs_up_and_enrols_in_french(page):
    find_and_enrol(page, language="fr", email="camille@example.org")


def test_the_same_journey_in_dutch(new_context):
    page = new_context(locale="nl-BE").new_page()
    find_and_enrol(page, language="nl", email="camille.nl@example.org")
