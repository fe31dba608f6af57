"""Personal data of the account itself: profile, email addresses, sessions, admin profile."""

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _

from lms.privacy.registry import Export, PersonalData, Provider

from .models import User

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: a domain that can never receive mail


def pseudonymous_email(user: User) -> str:
    """A unique address that cannot be routed and says nothing about the person."""
    return f"erased-{user.pk}@{ERASED_DOMAIN}"


def export(user: User) -> Export:
    data: dict[str, Any] = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": user.display_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": sorted(user.role_codes),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }
    return Export(data=data)


def _delete_sessions(user: User) -> int:
    # Sessions are stored encoded; the only way to find a person's is to decode them.
    count = 0
    for session in Session.objects.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            count += 1
    return count


def erase(user: User, *, actor: User) -> dict[str, int]:
    from allauth.mfa.models import Authenticator
    from wagtail.models import ModelLogEntry, Revision
    from wagtail.users.models import UserProfile

    addresses, _deleted = EmailAddress.objects.filter(user=user).delete()
    authenticators, _deleted = Authenticator.objects.filter(user=user).delete()
    sessions = _delete_sessions(user)
    for profile in UserProfile.objects.filter(user=user):
        if profile.avatar:
            profile.avatar.delete(save=False)
        profile.delete()
    pseudonym = f"#{user.pk}"
    user_type = ContentType.objects.get_for_model(User)
    # Wagtail's admin log and revisions label the user with their name at the time.
    logs = ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        label=pseudonym, data={}
    )
    Revision.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_str=pseudonym
    )
    user.groups.clear()
    user.user_permissions.clear()
    User.objects.filter(pk=user.pk).update(
        email=pseudonymous_email(user),
        first_name="",
        last_name="",
        display_name="",
        password=make_password(None),
        is_active=False,
        is_staff=False,
        is_superuser=False,
    )
    user.refresh_from_db()
    return {
        "profile": 1,
        "email_addresses": addresses,
        "two_factor": authenticators,
        "sessions": sessions,
        "admin_logs": logs,
    }


PROVIDER = Provider(
    name="account",
    label=_("Your account"),
    order=1000,  # last: other providers still read the account while they erase
    declares=(
        PersonalData(
            models=(
                "accounts.User",
                "account.EmailAddress",
                "wagtailusers.UserProfile",
                "mfa.Authenticator",
            ),
            what=_("Your email address, your name, how we greet you, your language and roles."),
            why=_("To let you sign in, write to you and show you what your roles allow."),
            kept=_("As long as your account exists."),
            on_erasure=_(
                "Your name is blanked, your email address is replaced by a meaningless one, "
                "and the account is closed for good."
            ),
        ),
    ),
    export=export,
    erase=erase,
    staff_links=(
        "wagtailcore.Page",
        "wagtailcore.PageLogEntry",
        "wagtailcore.ModelLogEntry",
        "wagtailcore.Revision",
        "wagtailcore.Comment",
        "wagtailcore.CommentReply",
        "wagtailcore.PageSubscription",
        "wagtailcore.WorkflowState",
        "wagtailcore.TaskState",
        "wagtailcore.UploadedFile",
        "wagtailcore.APIToken",
        "wagtailadmin.EditingSession",
        "wagtailadmin.FormState",
        "wagtaildocs.Document",
        "wagtailimages.Image",
        "cms_pages.HomePage",
        "cms_pages.StandardPage",
        "cms_pages.CourseIndexPage",
        "cms_pages.CoursePage",
        "cms_pages.SessionFinderPage",
    ),
)
