"""Helpers of the permission matrix: rows, URL arguments, and how a response is classified."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.urls import reverse

# The columns of the matrix, in order. Objects in the world belong to the trainee, the trainer
# and the assessor; the "other_*" columns are the same role asking for someone else's object.
ACTORS = (
    "anon",
    "trainee",
    "other_trainee",
    "trainer",
    "other_trainer",
    "coordinator",
    "assessor",
    "other_assessor",
    "partner",
)

# What a cell may say. Everything that is not an allowed answer is a refusal: a refused POST
# must leave every row of the database as it was.
#   200 …   the status code itself
#   L       redirected to a login page (the site's, or the admin's for people without access)
#   D       Wagtail's "no permission" redirect to the admin home page
#   R       any other redirect (typically "done" after a POST, or a page that moved)
REFUSALS = {"L", "D", "400", "403", "404", "405"}

# Default objects for URL arguments, by argument name (world attribute, dotted).
DEFAULT_ARGS = {
    "session_id": "session",
    "meeting_id": "meeting",
    "assessment_id": "assessment",
    "result_id": "result",
    "enrolment_id": "enrolment",
    "notification_id": "notification",
    "outbox_id": "outbox",
    "entry_id": "ledger_entry",
    "person_id": "trainee",
    "code": "certificate.code",
    "certification_code": "certification.code",
    "token": "feed_token",
    "experience_pk": "experience",
    "evidence_pk": "evidence",
    "block_pk": "block",
}
# ``pk`` depends on the namespace.
DEFAULT_PK = {
    "vae": "candidacy",
    "courses_sessions": "session",
    "courses_enrolments": "enrolment",
    "courses_courses": "course",
    "courses_modules": "module",
    "courses_venues": "venue",
    "courses_exemptions": "exemption",
    "verification_admin": "api_key",
    "wagtailusers_users": "trainee",
}


@dataclass(frozen=True)
class Row:
    key: str
    method: str
    expect: tuple[str, ...]
    args: dict[str, Any] = field(default_factory=dict)
    url: Callable[[Any], str] | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if len(self.expect) != len(ACTORS):
            raise ValueError(f"{self.key}: {len(self.expect)} cells for {len(ACTORS)} actors")

    def build_url(self, world: Any, route_params: list[str]) -> str:
        if self.url is not None:
            return self.url(world)
        namespace = self.key.rpartition(":")[0]
        kwargs = {}
        for name in route_params:
            source = self.args.get(name) or (
                DEFAULT_PK.get(namespace) if name == "pk" else DEFAULT_ARGS.get(name)
            )
            if source is None:
                raise KeyError(f"{self.key}: no object for URL argument {name!r}")
            kwargs[name] = _resolve(world, source)
        return reverse(self.key, kwargs=kwargs)


def _resolve(world: Any, source: Any) -> Any:
    if not isinstance(source, str) or not hasattr(world, source.split(".")[0]):
        return source  # a literal ("csv", 1, …)
    value = world
    for part in source.split("."):
        value = getattr(value, part)
    return value.pk if isinstance(value, models.Model) else value


def _row(method: str, key: str, expect: str, **options: Any) -> Row:
    args = {k: v for k, v in options.items() if k not in ("url", "data")}
    return Row(
        key=key,
        method=method,
        expect=tuple(expect.split()),
        args=args,
        url=options.get("url"),
        data=options.get("data", {}),
    )


def GET(key: str, expect: str, **options: Any) -> Row:  # noqa: N802 - reads like the table
    return _row("GET", key, expect, **options)


def POST(key: str, expect: str, **options: Any) -> Row:  # noqa: N802
    return _row("POST", key, expect, **options)


def classify(response: HttpResponse) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        path = location.split("?")[0]
        if path.endswith(("/accounts/login/", "/admin/login/")):
            return "L"
        if path == reverse("wagtailadmin_home"):
            return "D"
        return "R"
    return str(response.status_code)
