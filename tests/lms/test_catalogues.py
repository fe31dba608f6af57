"""The message catalogues are complete: French, Dutch and English, nothing fuzzy, nothing left
untranslated, and every placeholder of a message kept in its translation."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def catalogue(language: str):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as file:
        return read_po(file, locale=language)


def test_the_three_languages_have_a_catalogue():
    assert set(LANGUAGES) == {"fr", "en", "nl"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    untranslated, fuzzy = [], []
    for message in catalogue(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == [], (
        f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    )
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(language):
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalogue(language).check()
    ]
    assert problems == []
