import pytest


@pytest.fixture(autouse=True)
def _english_source_texts():
    """These tests compare with the English source texts (msgids), whatever French says:
    reverse() builds /en/ URLs and services speak English. (Never change LANGUAGE_CODE in a
    test: Django caches URL prefixes per language for the whole process.)"""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
