"""The "users" dataset: people, imported from Moodle's "Upload users" CSV as it is.

Columns read (Moodle's names): ``email`` (the natural key, compared without case), ``firstname``,
``lastname``, ``lang`` (fr, nl, en; Moodle codes such as fr_ca or en_us are shortened),
``displayname`` (Parcours' own), ``deleted`` (a row marked 1 is skipped: an import never deletes
anyone) and ``course1``/``role1``… when an app registered ``CourseColumns``. ``username``,
``password``, ``city`` and every other Moodle column are ignored, and the preview says so.

Built for volume (10,000 rows in a few seconds on PostgreSQL): every existing account is loaded in
one query, rows are written with bulk_create/bulk_update, nobody's password is hashed (new
accounts get an unusable one and choose theirs through "forgotten password"), and roles, email
addresses and audit events of new accounts are inserted in bulk at the end.
"""

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.instance_loaders import BaseInstanceLoader

from lms.audit.models import AuditEvent

from .models import Language, User
from .roles import Role

NAME_MAX = 150
LANGUAGES = {code for code, _label in Language.choices}
# Moodle course roles → what the person does in a Parcours session.
COURSE_ROLES = {
    "": Role.TRAINEE,
    "student": Role.TRAINEE,
    "etudiant": Role.TRAINEE,
    "étudiant": Role.TRAINEE,
    "teacher": Role.TRAINER,
    "editingteacher": Role.TRAINER,
}
# Headers people type in French spreadsheets, read as Moodle's.
HEADER_ALIASES = {
    "e-mail": "email",
    "courriel": "email",
    "adresse e-mail": "email",
    "prénom": "firstname",
    "prenom": "firstname",
    "first name": "firstname",
    "nom": "lastname",
    "last name": "lastname",
    "langue": "lang",
    "language": "lang",
}
COURSE_COLUMN = re.compile(r"^(course|role)(\d+)$")
FIXED_COLUMNS = {"email", "firstname", "lastname", "displayname", "lang", "deleted"}


@dataclass(frozen=True)
class CourseColumns:
    """How ``courseN``/``roleN`` columns are honoured; registered by the app that owns sessions
    (lms cannot import it). ``existing_codes`` returns which of the given codes exist;
    ``enrol`` receives (person, code, role) triples once the whole file is valid and must be
    idempotent (importing the same file twice enrols once). ``unknown_code`` is the whole
    sentence for a code that names nothing, with ``%(value)s`` (a sentence, not a label put in
    a sentence: French and Dutch agree words with the label's gender)."""

    existing_codes: Callable[[set[str]], set[str]]
    enrol: Callable[..., None]
    unknown_code: str | Promise = gettext_lazy("“%(value)s”: no session has this code.")


_course_columns: list[CourseColumns] = []


def register_course_columns(hook: CourseColumns) -> CourseColumns:
    """Let the users import read course1/role1…; registering again replaces the previous one."""
    _course_columns[:] = [hook]
    return hook


def unregister_course_columns() -> None:
    _course_columns.clear()


def course_columns() -> CourseColumns | None:
    return _course_columns[0] if _course_columns else None


def normalise_email(value: object) -> str:
    return str(value or "").strip().lower()


def moodle_language(value: object) -> str | None:
    """fr, nl or en from a Moodle code (fr_ca → fr); "" when empty; None when not offered."""
    code = str(value or "").strip().lower().replace("-", "_")
    if not code:
        return ""
    prefix = code.split("_", 1)[0]
    return prefix if prefix in LANGUAGES else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class EmailInstanceLoader(BaseInstanceLoader):
    """Every account named in the file, fetched in a few queries (not one per row)."""

    CHUNK = 500

    def __init__(self, resource: Any, dataset: Any = None) -> None:
        super().__init__(resource, dataset)
        self.by_email: dict[str, User] = {}
        if dataset is None or "email" not in (dataset.headers or []):
            return
        emails = sorted({e for e in map(normalise_email, dataset["email"]) if e})
        for start in range(0, len(emails), self.CHUNK):
            chunk = emails[start : start + self.CHUNK]
            for user in User.objects.annotate(email_ci=Lower("email")).filter(email_ci__in=chunk):
                self.by_email[user.email.lower()] = user

    def get_instance(self, row: dict[str, Any]) -> User | None:
        return self.by_email.get(normalise_email(row.get("email")))


class UserResource(resources.ModelResource):
    username = fields.Field(column_name="username", readonly=True)
    email = fields.Field(attribute="email", column_name="email")
    firstname = fields.Field(attribute="first_name", column_name="firstname")
    lastname = fields.Field(attribute="last_name", column_name="lastname")
    displayname = fields.Field(attribute="display_name", column_name="displayname")
    lang = fields.Field(attribute="preferred_language", column_name="lang")
    roles = fields.Field(column_name="roles", readonly=True)
    date_joined = fields.Field(attribute="date_joined", column_name="date_joined", readonly=True)

    TRACKED = ("first_name", "last_name", "display_name", "preferred_language")
    BATCH = 2000

    class Meta:
        model = User
        fields = (
            "username",
            "email",
            "firstname",
            "lastname",
            "displayname",
            "lang",
            "roles",
            "date_joined",
        )
        import_id_fields = ("email",)
        instance_loader_class = EmailInstanceLoader
        use_bulk = True
        batch_size = 2000
        skip_diff = True
        clean_model_instances = False  # validated in import_instance, without a query per row

    # --- export ---------------------------------------------------------------------------

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return User.objects.prefetch_related("groups").order_by("email")

    def dehydrate_username(self, user: User) -> str:
        # Moodle needs a lowercase username; the email is what people sign in with here.
        return user.email.lower()

    def dehydrate_roles(self, user: User) -> str:
        codes = {group.name for group in user.groups.all()} & set(Role.values)
        return ",".join(sorted(codes))

    # --- import ---------------------------------------------------------------------------

    def get_bulk_update_fields(self) -> list[str]:
        return list(self.TRACKED)

    def _check_import_id_fields(self, headers: Any) -> None:
        """Checked in before_import with a message in plain words."""

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.actor = kwargs.get("actor")
        self.skip_notes: dict[int, str] = {}
        self.import_notes: list[str] = []
        self._seen: dict[str, int] = {}
        self._created: list[User] = []
        self._enrolments: list[tuple[User, str, str]] = []
        self._unsupported_languages: set[str] = set()
        self._row_number = 0
        headers = [
            HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in dataset.headers
        ]
        dataset.headers = headers
        self._course_numbers = sorted(
            {int(m.group(2)) for h in headers if (m := COURSE_COLUMN.match(h))}
        )
        self._hook = course_columns()
        self._known_codes: set[str] = set()
        if self._course_numbers and self._hook is not None:
            codes = {
                _text(value)
                for n in self._course_numbers
                if f"course{n}" in headers
                for value in dataset[f"course{n}"]
            } - {""}
            self._known_codes = set(self._hook.existing_codes(codes)) if codes else set()
        self._write_notes(headers)
        if "email" not in headers:
            raise ValidationError(
                _(
                    "The column “email” is missing. The first line must name the columns, "
                    "for example: username, firstname, lastname, email."
                )
            )

    def _write_notes(self, headers: list[str]) -> None:
        if "username" in headers:
            self.import_notes.append(
                _("The username column is not used: people sign in with their email address.")
            )
        if "password" in headers:
            self.import_notes.append(
                _(
                    "Passwords in the file are never imported: new people choose theirs with "
                    "“Forgotten password”."
                )
            )
        if self._course_numbers and self._hook is None:
            self.import_notes.append(
                _(
                    "The course columns (course1, role1…) were not used: enrol people in "
                    "sessions from the Training menu."
                )
            )
        ignored = [
            h
            for h in headers
            if h
            and h not in FIXED_COLUMNS
            and h not in {"username", "password"}
            and not COURSE_COLUMN.match(h)
        ]
        if ignored:
            self.import_notes.append(
                _("These columns are not used by Parcours and were ignored: %(columns)s.")
                % {"columns": ", ".join(ignored)}
            )

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        self._row_number = kwargs.get("row_number", self._row_number + 1)

    def after_init_instance(self, instance: User, new: bool, row: Any, **kwargs: Any) -> None:
        if not new:
            instance._import_snapshot = tuple(getattr(instance, a) for a in self.TRACKED)  # type: ignore[attr-defined]

    def import_instance(self, instance: User, row: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        email = normalise_email(row.get("email"))
        if not email:
            errors["email"] = [_("The email address is missing.")]
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = [
                    _("“%(value)s” is not a valid email address.") % {"value": email}
                ]
            else:
                first = self._seen.setdefault(email, self._row_number)
                if first != self._row_number:
                    errors["email"] = [
                        _("This address is already on line %(line)s of the file.")
                        % {"line": first + 1}
                    ]
        if instance.pk is None:
            instance.email = email
        for column, attribute in (
            ("firstname", "first_name"),
            ("lastname", "last_name"),
            ("displayname", "display_name"),
        ):
            value = _text(row.get(column))
            if len(value) > NAME_MAX:
                errors[column] = [
                    _("This is too long (%(count)s characters; at most %(max)s).")
                    % {"count": len(value), "max": NAME_MAX}
                ]
            elif value:  # an empty cell keeps what is recorded
                setattr(instance, attribute, value)
        if "lang" in row:
            language = moodle_language(row.get("lang"))
            if language:
                instance.preferred_language = language
            elif language is None:
                self._unsupported_languages.add(_text(row.get("lang")))
        self._read_courses(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def _read_courses(self, user: User, row: dict[str, Any], errors: dict[str, list[str]]) -> None:
        if self._hook is None:
            return
        for n in self._course_numbers:
            code = _text(row.get(f"course{n}"))
            if not code:
                continue
            role_name = _text(row.get(f"role{n}")).lower()
            role = COURSE_ROLES.get(role_name)
            if code not in self._known_codes:
                errors[f"course{n}"] = [str(self._hook.unknown_code) % {"value": code}]
            elif role is None:
                errors[f"role{n}"] = [
                    _("“%(role)s” is not a role we can give by import: write student or teacher.")
                    % {"role": role_name}
                ]
            else:
                self._enrolments.append((user, code, role.value))

    def skip_row(
        self, instance: User, original: Any, row: Any, import_validation_errors: Any = None
    ) -> bool:
        if import_validation_errors:
            return False
        if _text(row.get("deleted")) in {"1", "true", "yes", "oui"}:
            self.skip_notes[self._row_number] = _(
                "Marked as deleted in the file: an import never deletes anyone."
            )
            return True
        if instance.pk is None:
            return False
        snapshot = getattr(instance, "_import_snapshot", None)
        return snapshot == tuple(getattr(instance, a) for a in self.TRACKED)

    def before_save_instance(self, instance: User, row: Any, **kwargs: Any) -> None:
        if instance.pk is None:
            # No hashing per row: an unusable password ("!" + random, as Django's own);
            # people choose theirs by email.
            instance.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
            self._created.append(instance)

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        if self._unsupported_languages:
            self.import_notes.append(
                _(
                    "Parcours does not offer these languages: %(codes)s. New people get "
                    "French (they can change it in their space); others keep theirs."
                )
                % {"codes": ", ".join(sorted(self._unsupported_languages))}
            )
        if kwargs.get("dry_run", True) or result.has_errors() or result.has_validation_errors():
            return
        self._welcome(self._created)
        if self._hook is not None and self._enrolments:
            self._hook.enrol(enrolments=self._enrolments, actor=self.actor)

    def _welcome(self, users: Iterable[User]) -> None:
        """New accounts: the trainee role, a verified email address (the training body vouches
        for it and only its owner can set a password) and the role in the audit trail.

        Written with INSERT … SELECT from the accounts just created: three statements per 2,000
        people instead of 30,000 model instances (the import must reach 2,000 rows a second).
        """
        ids = [user.pk for user in users if user.pk is not None]
        if not ids:
            return
        trainee = Group.objects.get(name=Role.TRAINEE.value)
        actor = self.actor if self.actor is not None and self.actor.is_authenticated else None
        q = connection.ops.quote_name
        membership = User.groups.through._meta
        address = EmailAddress._meta
        audit = AuditEvent._meta

        def column(meta: Any, name: str) -> str:
            return q(meta.get_field(name).column)

        def prep(meta: Any, name: str, value: Any) -> Any:
            return meta.get_field(name).get_db_prep_value(value, connection)

        user_table, user_id, user_email = q(User._meta.db_table), q("id"), q("email")
        statements = [
            (
                # Only quoted table and column names from the models; values are parameters.
                f"INSERT INTO {q(membership.db_table)} "  # noqa: S608
                f"({column(membership, 'user')}, {column(membership, 'group')}) "
                f"SELECT {user_id}, %s FROM {user_table} WHERE {user_id} IN ({{ids}})",
                [trainee.pk],
            ),
            (
                f"INSERT INTO {q(address.db_table)} ({column(address, 'user')}, "  # noqa: S608
                f"{column(address, 'email')}, {column(address, 'verified')}, "
                f"{column(address, 'primary')}) "
                f"SELECT {user_id}, {user_email}, %s, %s FROM {user_table} "
                f"WHERE {user_id} IN ({{ids}})",
                [True, True],
            ),
            (
                # The same rows record_event() writes, one per new person.
                f"INSERT INTO {q(audit.db_table)} ({column(audit, 'occurred_at')}, "  # noqa: S608
                f"{column(audit, 'actor')}, {column(audit, 'action')}, "
                f"{column(audit, 'target_type')}, {column(audit, 'target_id')}, "
                f"{column(audit, 'summary')}, {column(audit, 'data')}) "
                f"SELECT %s, %s, %s, %s, CAST({user_id} AS VARCHAR(64)), %s, %s "
                f"FROM {user_table} WHERE {user_id} IN ({{ids}})",
                [
                    prep(audit, "occurred_at", timezone.now()),
                    actor.pk if actor is not None else None,
                    "role.given",
                    User._meta.label_lower,
                    "import",
                    prep(audit, "data", {"role": Role.TRAINEE.value}),
                ],
            ),
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(ids), self.BATCH):
                chunk = ids[start : start + self.BATCH]
                for sql, params in statements:
                    cursor.execute(
                        sql.format(ids=", ".join(["%s"] * len(chunk))), [*params, *chunk]
                    )
