from django.urls import reverse

from tests.base import PersonasTestCase
from tests.vae.factories import make_candidacy, make_vae_certification


class PanelTests(PersonasTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework, cls.certification, cls.modules = make_vae_certification()

    def test_my_space_lists_my_candidacy(self):
        candidacy = make_candidacy(self.trainee, self.certification)
        self.login(self.trainee)
        response = self.client.get("/espace/")
        self.assertContains(response, reverse("vae:candidacy-detail", args=[candidacy.pk]))

    def test_an_assessor_gets_the_link_to_the_staff_list(self):
        self.login(self.assessor)
        response = self.client.get("/espace/")
        self.assertContains(response, reverse("vae:staff-list"))

    def test_a_coordinator_sees_the_vae_item_in_the_wagtail_menu(self):
        self.login(self.coordinator)
        response = self.client.get("/admin/")
        self.assertContains(response, reverse("vae:staff-list"))
