"""Record, at sign-up, the version of the privacy notice the person was shown."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from .models import ConsentRecord
from .services import record_consent


@receiver(user_signed_up, dispatch_uid="privacy.record_notice_at_signup")
def record_privacy_notice(sender, request, user, **kwargs):  # type: ignore[no-untyped-def]
    record_consent(user=user, purpose=ConsentRecord.Purpose.PRIVACY_NOTICE)
