import pytest


@pytest.fixture(autouse=True)
def _english_source_texts(settings):
    """These tests compare with the English source texts (msgids), whatever French says: the
    site's default language is English for them, in pages, the admin and services alike."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")
    yield
    translation.deactivate()
