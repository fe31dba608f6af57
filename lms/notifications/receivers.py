"""Account events from django-allauth, turned into notifications (thin: one service call)."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver
from django.urls import reverse

from . import services


@receiver(email_confirmed, dispatch_uid="parcours_welcome_on_email_confirmed")
def welcome_on_email_confirmed(request, email_address, **kwargs):
    user = email_address.user
    services.notify(
        recipient=user,
        event="account.welcome",
        template="emails/account_welcome",
        context={},
        dedupe_key=f"account:{user.pk}:welcome",
        url=reverse("accounts:dashboard"),
    )
