"""End-to-end tests: a real Chromium (Debian's, headless) driven by Playwright for Python against
Django's live test server, with axe-core checking every page the journeys visit.

Run them with ``make e2e`` (``pytest -m e2e tests/e2e``); ``make test`` leaves them out.
"""

import os
from pathlib import Path

import pytest

from .helpers import DESKTOP, E2E_DIR, NARROW, PHONE

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    """Everything under tests/e2e is an e2e test, even if a module forgets its mark."""
    for item in items:
        if Path(str(item.fspath)).is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(make e2e does it when run as root), or point E2E_CHROMIUM at a Chromium binary."
        )
    from playwright.sync_api import expect, sync_playwright

    # Generous waits: CI machines can be busy; a passing step never waits for them.
    expect.set_options(timeout=15_000)

    # Playwright's sync API keeps an event loop in the main thread; the ORM calls a test makes
    # between two browser steps are still synchronous, so Django's async guard is lifted, for
    # the e2e tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser, live_server, settings):
    """A factory of browser contexts on the live server: ``new_context(width=360)``.

    Contexts keep the site's Content Security Policy (axe is evaluated through the DevTools
    protocol, which the policy does not govern), so a blocked script would show up here."""
    settings.SITE_URL = live_server.url
    contexts = []

    def make(width: int = DESKTOP, height: int = 900, **options):
        options.setdefault("locale", "fr-BE")
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop page (1280 px wide)."""
    return new_context(width=DESKTOP).new_page()


@pytest.fixture
def phone_page(new_context):
    """A phone page (360 px wide, touch, zoomed like a phone)."""
    return new_context(width=PHONE, height=740, is_mobile=True, has_touch=True).new_page()


@pytest.fixture
def narrow_page(new_context):
    """The narrowest page WCAG asks for (320 px, reflow criterion 1.4.10)."""
    return new_context(width=NARROW, height=640).new_page()


@pytest.fixture
def login_as(live_server):
    """Signs ``user`` in inside a browser context with a session made by Django's test client,
    as staff will need a second factor that a journey should not have to type."""
    from django.conf import settings as django_settings
    from django.test import Client

    def login(context, user) -> None:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return login
