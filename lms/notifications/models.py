"""In-app notifications, email preferences and the transactional email outbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Why a person receives a message. Only the optional categories can be switched off."""

    ESSENTIAL = "essential", _("Essential: my account, my enrolments, my certificates, my VAE file")
    REMINDERS = "reminders", _("Reminders a few days before a meeting or a deadline")
    UPDATES = "updates", _("News about my training: results released, changes")
    STAFF = "staff", _("Work notices for staff: imports finished, files to review")


OPTIONAL_CATEGORIES = [Category.REMINDERS, Category.UPDATES, Category.STAFF]


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message in a person's in-app list, written in their language when it was created."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=80)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.ESSENTIAL
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """A person's choice to stop (or resume) one optional category of emails."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_preference_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category}: {'on' if self.enabled else 'off'}"


class OutboxEmail(models.Model):
    """An email recorded in the same transaction as the action that causes it.

    It is delivered after commit by a task, or by the periodic sweep if the broker was down, and
    never twice: delivery first claims the row (pending → sending) with a conditional update.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (the person switched these emails off)")

    dedupe_key = models.CharField(max_length=200, unique=True)
    event = models.CharField(_("event"), max_length=80)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_emails",
    )
    to_address = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=250)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    # [{"filename": ..., "content": <text>, "mimetype": ...}], e.g. an .ics invitation.
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # After a failed attempt, the sweep tries again only once this time has passed (backoff).
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} → #{self.recipient_id} ({self.get_status_display()})"
