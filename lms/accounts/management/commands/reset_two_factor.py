"""An operator removes a person's authenticator app and recovery codes (lost or replaced phone)."""

from django.core.management.base import BaseCommand, CommandError

from lms.accounts.models import User
from lms.accounts.two_factor import reset_two_factor


class Command(BaseCommand):
    help = (
        "Reset the two-factor authentication of one account (lost phone): its authenticator app "
        "and recovery codes are removed, the reset is written to the audit trail and the person "
        "is told by email. Check who is asking before you run it."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="Email address of the account to reset.")
        parser.add_argument(
            "--reason",
            required=True,
            help='Why, for the audit trail (e.g. "phone lost, identity checked by phone call").',
        )
        parser.add_argument(
            "--by", dest="actor_email", help="Email address of the operator doing the reset."
        )

    def handle(self, *args, email: str, reason: str, actor_email: str | None = None, **options):
        if not reason.strip():
            raise CommandError("Give a reason (--reason) for the audit trail.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account uses the address {email}.")
        actor = None
        if actor_email:
            actor = User.objects.filter(email__iexact=actor_email.strip()).first()
            if actor is None:
                raise CommandError(f"No account uses the address {actor_email} (--by).")
        removed = reset_two_factor(user=user, actor=actor, reason=reason)
        if removed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Two-factor authentication reset for account #{user.pk}: the person signs "
                    "in with their password and sets up a new authenticator app."
                )
            )
        else:
            self.stdout.write(f"Account #{user.pk} had no two-factor authentication: nothing done.")
