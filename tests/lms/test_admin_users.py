from django.contrib.auth.models import Group

from lms.accounts.models import User
from tests.base import PersonasTestCase


class CoordinatorManagesPeopleTests(PersonasTestCase):
    def edit_url(self, user) -> str:
        return f"/admin/users/edit/{user.pk}/"

    def test_the_edit_form_offers_roles_and_no_administrator_switch(self):
        self.login(self.coordinator)

        response = self.client.get(self.edit_url(self.trainee))

        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertNotIn("is_superuser", form.fields)
        self.assertEqual(
            set(form.fields["groups"].queryset.values_list("name", flat=True)),
            {"trainee", "trainer", "coordinator", "assessor", "partner"},
        )
        self.assertIn("preferred_language", form.fields)

    def test_a_coordinator_gives_the_trainer_role_but_cannot_make_a_superuser(self):
        self.login(self.coordinator)
        trainer_group = Group.objects.get(name="trainer")

        response = self.client.post(
            self.edit_url(self.trainee),
            {
                "email": self.trainee.email,
                "first_name": "Julie",
                "last_name": "Martin",
                "display_name": "",
                "preferred_language": "fr",
                "is_active": "on",
                "is_superuser": "on",
                "groups": [trainer_group.pk],
            },
        )

        self.assertEqual(response.status_code, 302, response.content[:3000])
        user = User.objects.get(pk=self.trainee.pk)
        self.assertTrue(user.has_role("trainer"))
        self.assertFalse(user.is_superuser)
