"""Admin panels shared by the apps."""

from django.core.exceptions import ValidationError
from django.forms.models import BaseModelFormSet
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin import panels


class ChildFormSet(BaseChildFormSet):
    """django-modelcluster's formset for the rows of an inline panel, refusing a row whose
    hidden id is missing or unreadable with a message on the form, where modelcluster raises
    (a server error): only a tampered or broken request sends one."""

    tampered_message = _(
        "Some rows of this form were changed outside the page. Reload the page and make your "
        "changes again."
    )

    def _construct_form(self, i, **kwargs):  # type: ignore[no-untyped-def]
        if self.is_bound and i < self.initial_form_count():
            pk_field = self.model._meta.pk
            raw = self.data.get(f"{self.add_prefix(i)}-{pk_field.name}")
            try:
                readable = raw is not None and (raw == "" or pk_field.to_python(raw) is not None)
            except ValidationError:
                readable = False
            if not readable:
                self._tampered = True
                # Built as a new row, never saved: clean() refuses the whole formset.
                kwargs["instance"] = self.model()
                return super(BaseModelFormSet, self)._construct_form(i, **kwargs)
        return super()._construct_form(i, **kwargs)

    def clean(self) -> None:
        super().clean()
        if getattr(self, "_tampered", False):
            raise ValidationError(self.tampered_message, code="tampered")


class InlinePanel(panels.InlinePanel):
    """Wagtail's inline panel, with ``ChildFormSet``."""

    def get_form_options(self):  # type: ignore[no-untyped-def]
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = ChildFormSet
        return options
