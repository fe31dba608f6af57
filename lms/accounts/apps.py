from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class ParcoursUsersConfig(WagtailUsersAppConfig):
    """wagtail.users with Parcours' user forms (see lms/accounts/admin_users.py)."""

    user_viewset = "lms.accounts.admin_users.UserViewSet"
