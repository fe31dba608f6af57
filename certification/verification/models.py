"""Verification: the holder's choices, the verification log, partner API keys, signing keys and
each certificate's signed credential with its place in a status list."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certification.models import Certificate


class VerificationSettings(models.Model):
    """How the holder wants their name shown to people who verify their certificate."""

    class NameMode(models.TextChoices):
        FULL = "full", _("Show my name as printed")
        CONFIRM = "confirm", _("Only confirm the name the verifier types")

    certificate = models.OneToOneField(
        Certificate,
        on_delete=models.CASCADE,
        related_name="verification_settings",
        verbose_name=_("certificate"),
    )
    name_mode = models.CharField(
        _("name shown"), max_length=10, choices=NameMode.choices, default=NameMode.FULL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("verification settings")
        verbose_name_plural = _("verification settings")

    def __str__(self) -> str:
        return f"{self.certificate.code}: {self.name_mode}"


class ApiKey(models.Model):
    """A partner organisation's key for the bulk API. Only a SHA-256 of the key is stored; the
    full key is shown once, when it is created."""

    partner_name = models.CharField(_("partner organisation"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="verification_api_keys",
        verbose_name=_("partner account"),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner_name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class VerificationLog(models.Model):
    """One verification of a certificate. Deliberately no IP address and no user agent: the
    holder sees when and how often, and a partner's name only when a partner account or key
    was used."""

    class Channel(models.TextChoices):
        PAGE = "page", _("Verification page")
        API = "api", _("API")
        BULK = "bulk", _("Bulk check by a partner")

    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.CASCADE,
        related_name="verification_logs",
        verbose_name=_("certificate"),
    )
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    partner = models.ForeignKey(
        ApiKey,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner key"),
    )
    partner_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner account"),
    )

    class Meta:
        verbose_name = _("verification")
        verbose_name_plural = _("verification log")
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.channel} {self.checked_at:%Y-%m-%d}"


class SigningKey(models.Model):
    """A public Ed25519 key of the issuer. The private key never enters the database: it comes
    from configuration. Retired keys stay published so old credentials keep verifying."""

    kid = models.CharField(_("key id"), max_length=64, unique=True)
    public_jwk = models.JSONField(_("public key (JWK)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_signing_key"
            )
        ]

    def __str__(self) -> str:
        return self.kid


class CredentialStatus(models.Model):
    """A certificate's signed credential (kept as issued, so the PDF attachment and the API
    serve the same bytes) and its random position in a status list."""

    certificate = models.OneToOneField(
        Certificate,
        on_delete=models.CASCADE,
        related_name="credential_status",
        verbose_name=_("certificate"),
    )
    list_number = models.PositiveIntegerField(_("status list"), default=1)
    index = models.PositiveIntegerField(_("position in the list"))
    jwt = models.TextField(_("signed credential (VC-JWT)"), blank=True)
    kid = models.CharField(_("signed with key"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("credential status")
        verbose_name_plural = _("credential statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["list_number", "index"], name="credential_status_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.list_number}#{self.index}"
