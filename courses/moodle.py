"""Moodle's ``courseN``/``roleN`` columns in the users import: a session code and a role.

``student`` enrols the person in the session with the same rules as on screen (confirmed,
awaiting approval or waiting list, with the email); ``teacher``/``editingteacher`` adds them to
the session's trainers. Importing the same file again changes nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.models import User
from lms.accounts.resources import CourseColumns, register_course_columns
from lms.accounts.roles import Role
from lms.accounts.services import assign_role

from . import services
from .models import Enrolment, Session


def existing_codes(codes: set[str]) -> set[str]:
    return set(Session.objects.filter(code__in=codes).values_list("code", flat=True))


def enrol(*, enrolments: list[tuple[User, str, str]], actor: User | None) -> None:
    """Enrol or appoint each person once the whole file is valid (inside the import's
    transaction: a refusal here undoes the whole import, with the reason)."""
    sessions = {
        s.code: s
        for s in Session.objects.select_related("course").filter(
            code__in={code for _user, code, _role in enrolments}
        )
    }
    for user, code, role in enrolments:
        session = sessions[code]
        if role == Role.TRAINER:
            if not session.trainers.filter(pk=user.pk).exists():
                session.trainers.add(user)
            if not user.groups.filter(name=Role.TRAINER).exists():
                assign_role(user=user, role=Role.TRAINER, actor=actor)
            continue
        if Enrolment.objects.active().filter(session=session, trainee=user).exists():
            continue
        try:
            services.enrol_trainee(session=session, trainee=user, by=actor)
        except ValidationError as error:
            raise ValidationError(
                _("%(person)s cannot be enrolled in %(code)s: %(reason)s")
                % {"person": user.email, "code": code, "reason": " ".join(error.messages)}
            ) from error


def register() -> None:
    register_course_columns(
        CourseColumns(
            existing_codes=existing_codes,
            enrol=enrol,
            unknown_code=gettext_lazy(
                "“%(value)s”: no session has this code. In course1, course2…, write the code "
                "of a Parcours session (as in Training → Sessions), not a Moodle course name."
            ),
        )
    )
