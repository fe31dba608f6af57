"""An integer no column can hold matches nothing, in every lookup (never a database error)."""

from django import forms
from django.test import TestCase

from courses.models import Module
from tests.courses.factories import ModuleFactory

TOO_BIG = 99999999999999999999999999


class IntegerInLookupTests(TestCase):
    def test_out_of_range_values_match_nothing_and_the_others_still_match(self):
        module = ModuleFactory()
        self.assertEqual(list(Module.objects.filter(pk__in=[TOO_BIG])), [])
        self.assertEqual(list(Module.objects.filter(pk__in=[module.pk, TOO_BIG])), [module])
        self.assertEqual(list(Module.objects.filter(pk__in=[-TOO_BIG, module.pk])), [module])
        self.assertIn(module, Module.objects.exclude(pk__in=[TOO_BIG]))

    def test_a_multiple_choice_field_rejects_the_value_as_an_invalid_choice(self):
        ModuleFactory()
        field = forms.ModelMultipleChoiceField(queryset=Module.objects.all())
        with self.assertRaises(forms.ValidationError) as raised:
            field.clean([str(TOO_BIG)])
        self.assertEqual(raised.exception.code, "invalid_choice")
