from django.utils import translation

from tests.base import PersonasTestCase


class EnglishPersonasTestCase(PersonasTestCase):
    """Personas reading English (browser and services), so tests match the English source texts
    whatever the French catalogue says."""

    def setUp(self):
        super().setUp()
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        translation.activate("en")
        self.addCleanup(translation.deactivate)
