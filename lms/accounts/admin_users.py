"""The Wagtail admin's user screens, adapted to Parcours.

Coordinators manage people and their roles there. Two changes from Wagtail's defaults: the
profile fields of our User are editable, and the "administrator" (superuser) switch is removed, so
nobody can grant themselves or others full access from the application (use createsuperuser).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import CreateView as WagtailCreateView
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from . import services
from .models import User
from .roles import Role

PROFILE_FIELDS = {"display_name", "preferred_language"}


def _limit_to_roles(form: forms.ModelForm) -> None:
    form.fields.pop("is_superuser", None)
    if "groups" in form.fields:
        form.fields["groups"].queryset = form.fields["groups"].queryset.filter(name__in=Role.values)
        form.fields["groups"].label = _("Roles")
        form.fields["groups"].label_from_instance = lambda group: Role(group.name).label


class ParcoursUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = (UserCreationForm.Meta.fields - {"is_superuser"}) | PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_roles(self)


class ParcoursUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = (UserEditForm.Meta.fields - {"is_superuser"}) | PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_to_roles(self)


def _role_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


class CreateView(WagtailCreateView):
    def save_instance(self):
        instance = super().save_instance()
        services.record_role_changes(
            actor=self.request.user, user=instance, before=set(), after=_role_names(instance)
        )
        return instance


class EditView(WagtailEditView):
    def save_instance(self):
        before = _role_names(self.object)
        instance = super().save_instance()
        services.record_role_changes(
            actor=self.request.user, user=instance, before=before, after=_role_names(instance)
        )
        return instance


class UserViewSet(WagtailUserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return ParcoursUserEditForm if for_update else ParcoursUserCreationForm
