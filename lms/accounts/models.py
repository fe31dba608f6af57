from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .managers import UserManager
from .roles import Role


class Language(models.TextChoices):
    FRENCH = "fr", "Français"
    ENGLISH = "en", "English"
    DUTCH = "nl", "Nederlands"


class User(AbstractUser):
    """A person using Parcours. The email address is the login."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=150,
        blank=True,
        help_text=_("How we greet you on the site. Leave empty to use your first name."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name shown on screens: the display name, else the full name, else the email."""
        return self.display_name or self.get_full_name() or self.email

    @property
    def role_codes(self) -> set[str]:
        """Codes of the roles this user holds (cached on the instance)."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = set(self.groups.values_list("name", flat=True)) & set(Role.values)
        return self._role_codes

    def has_role(self, role: str) -> bool:
        return role in self.role_codes
