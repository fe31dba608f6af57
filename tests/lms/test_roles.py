from django.contrib.auth.models import Group
from django.test import TestCase

from lms.accounts import services
from lms.accounts.roles import Role
from tests.base import PersonasTestCase
from tests.lms.factories import UserFactory


class RoleGroupsTests(TestCase):
    def test_the_migration_creates_one_group_per_role(self):
        names = set(Group.objects.values_list("name", flat=True))

        self.assertTrue({"trainee", "trainer", "coordinator", "assessor", "partner"} <= names)

    def test_only_coordinators_hold_the_admin_access_permission(self):
        holders = Group.objects.filter(
            permissions__codename="access_admin",
            permissions__content_type__app_label="wagtailadmin",
        )

        self.assertEqual(list(holders.values_list("name", flat=True)), ["coordinator"])

    def test_assigning_a_role_twice_keeps_one_membership(self):
        user = UserFactory()

        services.assign_role(user=user, role=Role.TRAINER)
        services.assign_role(user=user, role=Role.TRAINER)

        self.assertEqual(user.groups.filter(name="trainer").count(), 1)
        self.assertTrue(user.has_role(Role.TRAINER))

    def test_removing_a_role_takes_it_away(self):
        user = UserFactory(role=Role.PARTNER)

        services.remove_role(user=user, role=Role.PARTNER)

        self.assertFalse(user.has_role(Role.PARTNER))


class AdminAccessTests(PersonasTestCase):
    def test_a_coordinator_reaches_the_wagtail_admin(self):
        self.login(self.coordinator)

        response = self.client.get("/admin/")

        self.assertEqual(response.status_code, 200)

    def test_a_coordinator_may_edit_pages(self):
        self.login(self.coordinator)

        response = self.client.get("/admin/pages/")

        self.assertEqual(response.status_code, 200)

    def test_trainees_trainers_and_partners_are_kept_out_of_the_admin(self):
        for person in (self.trainee, self.trainer, self.partner, self.assessor, self.outsider):
            with self.subTest(person=person.email):
                self.login(person)
                response = self.client.get("/admin/")
                self.assertEqual(response.status_code, 302)
                self.assertIn("/accounts/login/", response["Location"])
