from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataExchangeConfig(AppConfig):
    name = "lms.dataexchange"
    label = "dataexchange"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        # The users dataset lives in lms like this app; higher apps register theirs themselves.
        from lms.accounts.resources import UserResource

        from . import checks  # noqa: F401 - registers the system check
        from .registry import Exchange, register

        register(
            Exchange(
                name="users",
                label=_("People (accounts)"),
                resource=UserResource,
                permission="accounts.change_user",
                help_text=_(
                    "Accepts Moodle's “Upload users” CSV as it is (username, firstname, "
                    "lastname, email, lang…). The email address identifies each person: "
                    "importing the same file again changes nothing. New people get the trainee "
                    "role and choose their password with “Forgotten password”."
                ),
            )
        )
