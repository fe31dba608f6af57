"""Moodle's course1/role1 columns enrol trainees and appoint trainers, once."""

from django.test import TestCase
from django.utils import translation

from courses.models import Enrolment, Session
from lms.accounts.models import User
from lms.dataexchange.files import read_dataset
from lms.dataexchange.services import import_dataset
from tests.courses.factories import SessionFactory


def moodle(text: str):
    return read_dataset(text.encode("utf-8"), "csv")


class MoodleCourseColumnsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.namur = SessionFactory(code="NAM-2027-01")
        cls.liege = SessionFactory(code="LGE-2027-02")

    def file(self) -> str:
        return (
            "username,firstname,lastname,email,lang,course1,role1,course2,role2\n"
            "camille,Camille,Renard,camille@exemple.be,fr,NAM-2027-01,student,,\n"
            "noor,Noor,Peeters,noor@voorbeeld.be,nl,NAM-2027-01,student,LGE-2027-02,editingteacher\n"
        )

    def test_students_are_enrolled_and_teachers_appointed_and_a_second_import_changes_nothing(self):
        first = import_dataset("users", moodle(self.file()), dry_run=False, actor=None)
        self.assertTrue(first.ok, first.row_errors)

        camille = User.objects.get(email="camille@exemple.be")
        noor = User.objects.get(email="noor@voorbeeld.be")
        self.assertEqual(
            set(Enrolment.objects.filter(session=self.namur).values_list("trainee", "status")),
            {(camille.pk, Enrolment.Status.CONFIRMED), (noor.pk, Enrolment.Status.CONFIRMED)},
        )
        self.assertIn(noor, self.liege.trainers.all())
        self.assertTrue(noor.groups.filter(name="trainer").exists())

        second = import_dataset("users", moodle(self.file()), dry_run=False, actor=None)
        self.assertTrue(second.ok, second.row_errors)
        self.assertEqual((second.new, second.updated), (0, 0))
        self.assertEqual(Enrolment.objects.filter(session=self.namur).count(), 2)
        self.assertEqual(self.liege.trainers.filter(pk=noor.pk).count(), 1)

    def test_an_unknown_session_names_the_line_and_writes_nothing(self):
        text = "email,course1,role1\na@exemple.be,NAM-2027-01,student\nb@exemple.be,XYZ,student\n"
        summary = import_dataset("users", moodle(text), dry_run=False, actor=None)
        self.assertEqual([e.line for e in summary.row_errors], [3])
        self.assertIn("XYZ", summary.row_errors[0].messages[0])
        self.assertFalse(User.objects.exists())
        self.assertFalse(Enrolment.objects.exists())

    def test_an_unknown_session_is_one_whole_sentence_saying_what_to_write(self):
        # Never a label slotted into a sentence ("is not a known %(what)s"): French agrees
        # "connu" with the label's gender and got "un référence … connu".
        text = "email,course1,role1\nb@exemple.be,MATH101,student\n"
        with translation.override("en"):
            summary = import_dataset("users", moodle(text), dry_run=True, actor=None)
        self.assertEqual(
            summary.row_errors[0].messages,
            [
                "course1: “MATH101”: no session has this code. In course1, course2…, write the "
                "code of a Parcours session (as in Training → Sessions), not a Moodle course name."
            ],
        )

    def test_a_session_closed_to_enrolment_undoes_the_whole_import_with_the_reason(self):
        Session.objects.filter(pk=self.liege.pk).update(status=Session.Status.DRAFT)
        text = "email,course1,role1\na@exemple.be,NAM-2027-01,student\nb@exemple.be,LGE-2027-02,student\n"
        summary = import_dataset("users", moodle(text), dry_run=False, actor=None)
        self.assertFalse(summary.ok)
        self.assertIn("LGE-2027-02", " ".join(summary.general_errors))
        self.assertFalse(User.objects.exists())
        self.assertFalse(Enrolment.objects.exists())
