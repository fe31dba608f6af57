"""Reflow at 320 px and at 200 % zoom, the skip link and visible focus, readable text, the
print style, and the finder and enrolment working without JavaScript."""

import pytest
from playwright.sync_api import expect

from courses.models import Enrolment
from lms.accounts.roles import Role
from tests.lms.factories import UserFactory

from .data import catalogue
from .helpers import (
    LANGUAGES,
    LOCALES,
    NARROW,
    PHONE,
    axe_check,
    no_horizontal_scroll,
    prefix,
    screenshot,
    t,
    visit,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def key_pages(session_pk: int) -> dict[str, str]:
    return {
        "home": "/",
        "finder": "/sessions/",
        "session": f"/sessions/{session_pk}/",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "verify-form": "/v/",
        "home-nl": "/nl/",
        "finder-nl": "/nl/sessions/",
    }


def test_key_pages_reflow_at_320_px_and_at_200_percent_zoom(new_context):
    _finder, liege, _namur = catalogue()
    narrow = new_context(width=NARROW, height=640).new_page()
    phone = new_context(width=PHONE, height=740, is_mobile=True, has_touch=True).new_page()
    # 200 % zoom of a 1280 px window: a 640 CSS px layout viewport drawn at twice the density.
    zoomed = new_context(width=640, height=450, device_scale_factor=2).new_page()
    for name, url in key_pages(liege.pk).items():
        narrow.goto(url)
        scroll_width, width = no_horizontal_scroll(narrow)
        assert scroll_width <= NARROW, f"{name} scrolls sideways at 320 px ({scroll_width} px)"
        visit(phone, url, journey="phone", step=name)
        zoomed.goto(url)
        screenshot(zoomed, "zoom-200", name)
        scroll_width, width = no_horizontal_scroll(zoomed)
        assert scroll_width <= width, f"{name} scrolls sideways at 200 % ({scroll_width} px)"
        expect(zoomed.get_by_role("heading", level=1)).to_be_visible()
    # At 200 %, the finder still filters.
    visit(zoomed, "/sessions/")
    zoomed.locator("#id_region").select_option("liege")
    zoomed.get_by_role("button", name=t("Show sessions")).click()
    expect(zoomed.locator(".session-row")).to_have_count(1)


def test_the_skip_link_shows_on_focus_and_leads_to_the_content(page):
    catalogue()
    visit(page, "/sessions/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # Then the next Tab stop is inside the content, with a visible focus ring.
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.evaluate("e => !!e.closest('main')")
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") != "none"


def test_body_text_is_at_least_16_px_and_session_pages_print_cleanly(page):
    _finder, liege, _namur = catalogue()
    visit(page, f"/sessions/{liege.pk}/")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name=t("Main menu"))).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=t("Enrol in this session"))).to_be_hidden()
    screenshot(page, "print", "session")
    page.pdf(path=str(screenshot(page, "print", "session").with_suffix(".pdf")))


@pytest.mark.parametrize("language", LANGUAGES)
def test_errors_are_tied_to_their_fields(new_context, language):
    page = new_context(locale=LOCALES[language]).new_page()
    visit(page, f"{prefix(language)}/accounts/signup/")
    page.locator("input[name=email]").fill("pas-une-adresse@example.org")
    page.locator("input[name=password1]").fill("Un-mot-de-passe-solide-42")
    page.locator("input[name=password2]").fill("Un-autre-mot-de-passe-99")
    page.get_by_role("main").locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    axe_check(page)
    screenshot(page, f"errors-{language}", "sign-up")
    invalid = page.locator("[aria-invalid=true]")
    expect(invalid.first).to_be_visible()
    described = invalid.first.get_attribute("aria-describedby") or ""
    texts = [page.locator(f"#{ref}").inner_text() for ref in described.split()]
    assert any(text.strip() for text in texts), described


def test_the_finder_and_enrolment_work_without_javascript(new_context, login_as):
    _finder, liege, _namur = catalogue()
    trainee = UserFactory(email="sans-js@example.org", role=Role.TRAINEE)
    context = new_context(java_script_enabled=False)
    login_as(context, trainee)
    page = context.new_page()
    page.goto("/sessions/")
    page.locator("#id_region").select_option("liege")
    page.get_by_role("button", name=t("Show sessions")).click()
    expect(page.locator(".session-row")).to_have_count(1)
    page.locator(".session-row").get_by_role("link").click()
    page.get_by_role("button", name=t("Enrol in this session")).click()
    expect(page.get_by_role("main")).to_contain_text(
        t("Your place is confirmed. We sent you an email with the dates.")
    )
    screenshot(page, "no-js", "enrolled")
    assert Enrolment.objects.get(trainee=trainee).status == Enrolment.Status.CONFIRMED
