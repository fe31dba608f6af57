"""The users dataset: Moodle's "Upload users" CSV imports as it is, twice changes nothing."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.test import TestCase

from lms.accounts.models import User
from lms.accounts.resources import (
    CourseColumns,
    course_columns,
    register_course_columns,
    unregister_course_columns,
)
from lms.audit.models import AuditEvent
from lms.dataexchange.files import read_dataset
from lms.dataexchange.registry import sample_path
from lms.dataexchange.services import import_dataset
from tests.lms.factories import UserFactory

MOODLE_CSV = (
    "username,password,firstname,lastname,email,lang,city,country,institution,course1,role1\n"
    "camille,Secret1!,Camille,Renard,Camille.Renard@Exemple.be,fr_ca,Namur,BE,En Route,,\n"
    "lotte,Secret1!,Lotte,Vermeulen,lotte@voorbeeld.be,nl,Gent,BE,SMES,,\n"
    "elodie,Secret1!,Élodie,François,elodie@exemple.be,de,Liège,BE,,,\n"
)


def moodle(text: str = MOODLE_CSV):
    return read_dataset(text.encode("utf-8"), "csv")


def counts():
    return (
        User.objects.count(),
        EmailAddress.objects.count(),
        User.groups.through.objects.count(),
        AuditEvent.objects.count(),
    )


class MoodleUsersImportTests(TestCase):
    def test_a_moodle_upload_users_file_imports_without_editing(self):
        summary = import_dataset("users", moodle(), dry_run=False, actor=None)

        self.assertTrue(summary.ok, summary.row_errors)
        self.assertEqual((summary.new, summary.updated, summary.errors), (3, 0, 0))
        camille = User.objects.get(email="camille.renard@exemple.be")
        self.assertEqual((camille.first_name, camille.last_name), ("Camille", "Renard"))
        self.assertEqual(camille.preferred_language, "fr")
        self.assertEqual(User.objects.get(email="lotte@voorbeeld.be").preferred_language, "nl")
        # "de" is not offered: a new person gets French, and the preview says so.
        self.assertEqual(User.objects.get(email="elodie@exemple.be").preferred_language, "fr")
        self.assertTrue(any("de" in note for note in summary.notes))
        # Nobody can sign in with a password from the file (or any password) yet.
        self.assertFalse(camille.has_usable_password())
        self.assertFalse(camille.check_password("Secret1!"))
        self.assertTrue(camille.has_role("trainee"))
        self.assertTrue(EmailAddress.objects.filter(user=camille, verified=True).exists())
        self.assertTrue(
            AuditEvent.objects.filter(action="role.given", target_id=str(camille.pk)).exists()
        )

    def test_importing_the_same_file_twice_changes_nothing_the_second_time(self):
        import_dataset("users", moodle(), dry_run=False, actor=None)
        before = counts()
        first = User.objects.get(email="lotte@voorbeeld.be")

        again = import_dataset("users", moodle(), dry_run=False, actor=None)

        self.assertEqual((again.new, again.updated, again.unchanged), (0, 0, 3))
        self.assertEqual(counts(), before)
        self.assertEqual(User.objects.get(email="lotte@voorbeeld.be").password, first.password)

    def test_the_email_is_compared_without_case_and_updates_the_existing_person(self):
        existing = UserFactory(email="lotte@voorbeeld.be", first_name="L.", last_name="V.")

        summary = import_dataset("users", moodle(), dry_run=False, actor=None)

        self.assertEqual((summary.new, summary.updated), (2, 1))
        existing.refresh_from_db()
        self.assertEqual((existing.first_name, existing.last_name), ("Lotte", "Vermeulen"))
        self.assertTrue(existing.has_usable_password())  # an import never touches a password
        self.assertEqual(User.objects.filter(email__iexact="lotte@voorbeeld.be").count(), 1)

    def test_an_empty_cell_keeps_what_is_recorded(self):
        existing = UserFactory(email="lotte@voorbeeld.be", first_name="Lotte", last_name="V")

        import_dataset(
            "users",
            moodle("email,firstname,lastname\nlotte@voorbeeld.be,,Vermeulen\n"),
            dry_run=False,
            actor=None,
        )

        existing.refresh_from_db()
        self.assertEqual((existing.first_name, existing.last_name), ("Lotte", "Vermeulen"))

    def test_one_bad_row_writes_nothing_and_names_the_line_and_the_reason_in_french(self):
        text = MOODLE_CSV + "bad,x,Jean,Dupont,pas-une-adresse,fr,Mons,BE,,,\n"

        summary = import_dataset("users", moodle(text), dry_run=False, actor=None)

        self.assertFalse(summary.ok)
        self.assertEqual(User.objects.count(), 0)
        self.assertEqual(EmailAddress.objects.count(), 0)
        self.assertEqual(summary.errors, 1)
        error = summary.row_errors[0]
        self.assertEqual(error.line, 5)  # the header is line 1
        self.assertIn("email", error.messages[0])
        self.assertIn("n’est pas une adresse e-mail valide", error.messages[0])

    def test_the_same_address_twice_in_a_file_is_an_error_naming_the_first_line(self):
        text = "email,firstname\nanne@exemple.be,Anne\nANNE@exemple.be,Annie\n"

        summary = import_dataset("users", moodle(text), dry_run=False, actor=None)

        self.assertEqual(User.objects.count(), 0)
        self.assertEqual([e.line for e in summary.row_errors], [3])
        self.assertIn("2", summary.row_errors[0].messages[0])

    def test_a_file_without_an_email_column_is_refused_with_a_general_error(self):
        summary = import_dataset(
            "users", moodle("username,firstname\ncamille,Camille\n"), dry_run=False, actor=None
        )

        self.assertFalse(summary.ok)
        self.assertTrue(any("email" in message for message in summary.general_errors))
        self.assertEqual(User.objects.count(), 0)

    def test_a_dry_run_reports_without_writing(self):
        summary = import_dataset("users", moodle(), dry_run=True, actor=None)

        self.assertEqual(summary.new, 3)
        self.assertEqual(counts(), (0, 0, 0, 0))
        self.assertEqual([row["type"] for row in summary.preview_rows], ["new"] * 3)
        self.assertEqual([row["line"] for row in summary.preview_rows], [2, 3, 4])

    def test_a_row_marked_deleted_is_skipped_never_deleted(self):
        UserFactory(email="lotte@voorbeeld.be")

        summary = import_dataset(
            "users",
            moodle("email,deleted\nlotte@voorbeeld.be,1\n"),
            dry_run=False,
            actor=None,
        )

        self.assertEqual((summary.skipped, summary.unchanged), (1, 0))
        self.assertTrue(User.objects.filter(email="lotte@voorbeeld.be", is_active=True).exists())

    def test_french_headers_and_semicolons_from_excel_are_understood(self):
        content = "Prénom;Nom;E-mail\nJérôme;Gaëtan;jerome@exemple.be\n".encode("cp1252")

        summary = import_dataset("users", read_dataset(content, "csv"), dry_run=False, actor=None)

        self.assertTrue(summary.ok, summary.row_errors)
        self.assertEqual(User.objects.get(email="jerome@exemple.be").last_name, "Gaëtan")

    def test_the_sample_offered_as_a_template_imports_as_it_is(self):
        dataset = read_dataset(sample_path("users").read_bytes(), "csv")

        summary = import_dataset("users", dataset, dry_run=False, actor=None)

        self.assertTrue(summary.ok, summary.row_errors)
        self.assertEqual(summary.new, len(dataset))
        self.assertTrue(User.objects.filter(first_name="Élodie", last_name="François").exists())


class CourseColumnsTests(TestCase):
    """courseN/roleN are honoured only through the hook the sessions' app registers."""

    def setUp(self):
        self.enrolled = []
        previous = course_columns()
        self.addCleanup(lambda: register_course_columns(previous) if previous else None)
        register_course_columns(
            CourseColumns(
                existing_codes=lambda codes: codes & {"NAM-1", "BXL-2"},
                enrol=lambda *, enrolments, actor: self.enrolled.extend(
                    (user.email, code, role) for user, code, role in enrolments
                ),
            )
        )
        self.addCleanup(unregister_course_columns)

    def test_known_codes_are_passed_on_with_the_role_once_the_file_is_valid(self):
        text = (
            "email,course1,role1,course2,role2\n"
            "camille@exemple.be,NAM-1,student,BXL-2,editingteacher\n"
        )

        summary = import_dataset("users", moodle(text), dry_run=False, actor=None)

        self.assertTrue(summary.ok, summary.row_errors)
        self.assertEqual(
            self.enrolled,
            [
                ("camille@exemple.be", "NAM-1", "trainee"),
                ("camille@exemple.be", "BXL-2", "trainer"),
            ],
        )

    def test_an_unknown_code_or_role_is_an_error_and_nothing_is_passed_on(self):
        text = "email,course1,role1\na@exemple.be,NAM-1,manager\nb@exemple.be,XXX,student\n"

        summary = import_dataset("users", moodle(text), dry_run=False, actor=None)

        self.assertEqual([e.line for e in summary.row_errors], [2, 3])
        self.assertIn("manager", summary.row_errors[0].messages[0])
        self.assertIn("XXX", summary.row_errors[1].messages[0])
        self.assertEqual(self.enrolled, [])
        self.assertEqual(User.objects.count(), 0)

    def test_a_dry_run_passes_nothing_on(self):
        import_dataset(
            "users", moodle("email,course1\na@exemple.be,NAM-1\n"), dry_run=True, actor=None
        )

        self.assertEqual(self.enrolled, [])

    def test_without_a_hook_course_columns_are_ignored_with_a_note(self):
        unregister_course_columns()

        summary = import_dataset(
            "users",
            moodle("email,course1,role1\na@exemple.be,ANY,student\n"),
            dry_run=False,
            actor=None,
        )

        self.assertTrue(summary.ok)
        self.assertTrue(any("course1" in note for note in summary.notes))
        self.assertTrue(Group.objects.get(name="trainee").user_set.filter(email="a@exemple.be"))
