"""Reads of a person's notifications and preferences."""

from django.db.models import QuerySet

from lms.accounts.models import User

from .models import OPTIONAL_CATEGORIES, EmailPreference, Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The person's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).only(
        "pk", "title", "body", "url", "created_at", "read_at", "event"
    )


def unread_count(*, user: User) -> int:
    """How many of the person's notifications are unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def enabled_optional_categories(*, user: User) -> list[str]:
    """Optional email categories the person receives (all, unless switched off)."""
    disabled = set(
        EmailPreference.objects.filter(user=user, enabled=False).values_list("category", flat=True)
    )
    return [category.value for category in OPTIONAL_CATEGORIES if category not in disabled]
