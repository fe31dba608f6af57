"""Malformed input at every form and API endpoint: never a 500, and a refusal writes nothing.

Each target names a URL, who sends the request, and what kind of input it takes. Form fields
are read from the page the person would see (so a new field is fuzzed without editing this
file); POST-only actions list theirs. Hypothesis then sends random text (unicode, NUL bytes,
huge strings), numbers out of range, impossible dates, repeated fields, random file bytes and
broken JSON. Budget: the "ci" profile of tests/security/conftest.py (FUZZ_PROFILE=thorough for
more).
"""

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from tests.base import PersonasTestCase
from tests.security.matrix import ACTORS, GET
from tests.security.urlwalk import all_patterns
from tests.security.world import IsolatedFilesMixin, build_world, snapshot

FUZZ = hypothesis_settings.get_profile(os.environ.get("FUZZ_PROFILE", "ci"))

# --- What malformed input looks like ------------------------------------------------------------

SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "-1",
        "0",
        "-2147483649",
        "99999999999999999999999999",
        "1e309",
        "NaN",
        "-inf",
        "1.5",
        "2024-02-30",
        "31/12/9999",
        "0000-00-00",
        "9999-12-31T25:61",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "[]",
        "{}",
        "null",
        "true",
        "\u202eévil\u200b",
        "🙂" * 5,
        "A" * 100_000,
    ]
)
VALUE = st.one_of(
    SPECIAL,
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    st.dates().map(str),
)
FIELD_VALUE = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))
FILE_NAME = st.one_of(
    st.sampled_from(["notes.csv", "notes.xlsx", "piece.pdf", "photo.jpg", "a.exe", ".csv", "x"]),
    # Any text a browser could send as a file name: it must keep a base name (Django's test
    # client itself refuses "x/" or ".."), the server copes with the rest.
    st.text(min_size=1, max_size=40).filter(
        lambda s: os.path.basename(s).strip("\\. ") and os.path.basename(s) not in {".", ".."}
    ),
)
FILE_BYTES = st.one_of(
    st.binary(max_size=3000),
    st.binary(max_size=500).map(lambda b: b"%PDF-1.4\n" + b),
    st.binary(max_size=500).map(lambda b: b"PK\x03\x04" + b),
    st.lists(st.lists(VALUE, max_size=5), max_size=20).map(
        lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")
    ),
    st.text(max_size=500).map(lambda t: t.encode("latin-1", "replace")),
    st.text(max_size=500).map(lambda t: t.encode("utf-16", "surrogatepass")),
)
CONTENT_TYPE = st.sampled_from(
    ["text/csv", "application/pdf", "application/octet-stream", "image/jpeg", "", "text/html"]
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | VALUE,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(VALUE, inner, max_size=4),
    max_leaves=20,
)
SEGMENT = st.one_of(
    SPECIAL.filter(lambda s: s and "/" not in s),
    st.text(min_size=1, max_size=80).filter(lambda s: "/" not in s),
)


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type or None)


UPLOAD = st.builds(upload, FILE_NAME, FILE_BYTES, CONTENT_TYPE)


# --- The targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    actor: str  # a column of the permission matrix
    kind: str = "form"  # form | query | json | segment
    args: dict[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # besides those read from the form page
    files: tuple[str, ...] = ()  # file fields
    segment: str = ""  # for kind "segment": the URL argument to fuzz
    read_form: bool = True  # read field names from the GET page
    may_write: tuple[str, ...] = ()  # models a refused request may still touch (logs)
    url: Any = None

    @property
    def name(self) -> str:
        extra = "-".join(str(v) for v in self.args.values() if isinstance(v, str))
        return re.sub(r"\W+", "_", f"{self.key}_{extra}_{self.kind}").strip("_")


def finder_url(world):  # type: ignore[no-untyped-def]
    return world.finder.url


TARGETS = [
    # Public: sign-up, log-in, password reset, language, verification, calendar feed, finder.
    Target("account_signup", "anon"),
    Target("account_login", "anon"),
    Target("account_reset_password", "anon"),
    Target("set_language", "anon", fields=("language", "next"), read_form=False),
    Target("verification-form", "anon", kind="query", fields=("code",)),
    Target("verification-page", "anon", kind="segment", segment="code"),
    Target("verification-api-detail", "anon", kind="segment", segment="code"),
    Target("verification-api-credential", "anon", kind="segment", segment="code"),
    Target("verification-api-batch", "anon", kind="json", may_write=("verification.ApiKey",)),
    Target("courses:calendar-feed", "anon", kind="segment", segment="token"),
    Target("page:finder", "anon", kind="query", url=finder_url, fields=("page", "q")),
    # The trainee's space.
    Target("accounts:profile", "trainee"),
    Target("certification:printed-name", "trainee"),
    Target("notifications:preferences", "trainee"),
    Target("notifications:list", "trainee", kind="query", fields=("page",)),
    Target("courses:enrol", "other_trainee", args={"session_id": "upcoming"}),
    Target("courses:cancel", "trainee"),
    Target("courses:accept-offer", "trainee", read_form=False, fields=("reason",)),
    Target("verification:certificate-settings", "trainee"),
    Target("verification:bulk-check", "partner", files=("file",)),
    Target("vae:my-candidacies", "trainee"),
    Target("vae:experiences", "trainee"),
    Target("vae:self-assessment-block", "trainee"),
    Target("vae:evidence", "trainee", files=("file",)),
    Target("vae:lived-experience", "trainee", fields=("action",)),
    Target("vae:statement", "trainee"),
    Target(
        "vae:candidate-action",
        "trainee",
        args={"action": "appeal"},
        fields=("reason",),
        read_form=False,  # POST only: the form sits on the candidacy page
    ),
    # The trainer's space.
    Target("grading:grid", "trainer", args={"assessment_id": "draft_assessment"}),
    Target("grading:attendance", "trainer"),
    Target("grading:assessment-create", "trainer"),
    Target("grading:make-up", "trainer", fields=("absence", "make_up_meeting", "note")),
    Target(
        "grading:import",
        "trainer",
        args={"assessment_id": "draft_assessment"},
        files=("file",),
        fields=("format", "payload", "confirm"),
    ),
    Target("grading:change-result", "trainer"),
    Target("grading:ask-repeat", "trainer"),
    # VAE staff.
    Target("vae:staff-list", "coordinator", kind="query"),
    Target(
        "vae:staff-admissibility",
        "coordinator",
        read_form=False,
        fields=("outcome", "reasons", "missing_pieces"),
    ),
    Target("vae:staff-counsellor", "coordinator", read_form=False, fields=("counsellor",)),
    Target("vae:staff-schedule", "coordinator", read_form=False, fields=("session",)),
    Target("vae:jury-sessions", "coordinator"),
    Target(
        "vae:conflict-declaration",
        "assessor",
        args={"pk": "jury_candidacy"},
        read_form=False,  # the chair has declared already: the page is gone
        fields=("has_conflict", "note"),
    ),
    Target("vae:jury-decision", "assessor", args={"pk": "jury_candidacy"}),
    # Coordinators' admin screens.
    Target("certification_admin:rules-edit", "coordinator", args={"pk": "certification"}),
    Target("certification_admin:issue", "coordinator", args={"pk": "certification"}),
    Target("certification_admin:ledger-record", "coordinator", args={"what": "block"}),
    Target("certification_admin:ledger-record", "coordinator", args={"what": "hours"}),
    Target("certification_admin:ledger-withdraw", "coordinator"),
    Target("certification_admin:framework-import", "coordinator", files=("file",)),
    Target(
        "certification_admin:certificate-status",
        "coordinator",
        args={"pk": "certificate", "action": "suspend"},
    ),
    Target("certification_admin:certificate-list", "coordinator", kind="query"),
    Target(
        "verification_admin:api-key-create",
        "coordinator",
        # A valid form shows the new key once (200, never a redirect: the key is not stored).
        may_write=("verification.ApiKey", "audit.AuditEvent"),
    ),
    Target("courses_sessions:add", "coordinator"),
    Target("courses_sessions:duplicate", "coordinator"),
    Target("courses_sessions:reserve", "coordinator", args={"pk": "upcoming"}),
    Target("courses_sessions:waiting_list", "coordinator", args={"pk": "upcoming"}),
    Target("courses_venues:add", "coordinator"),
    Target("courses_exemptions:add", "coordinator"),
    Target("courses_enrolments:refuse", "coordinator", fields=("reason",)),
    Target("wagtailusers_users:add", "coordinator"),
    Target("audit_index", "coordinator", kind="query", fields=("q", "action", "page")),
]

_FIELD_NAME = re.compile(r"<(?:input|select|textarea)\b[^>]*?\bname=\"([^\"]+)\"", re.S)
_SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


class FuzzTestCase(IsolatedFilesMixin, HypothesisTestCase, PersonasTestCase):
    """Each example runs in its own savepoint (Hypothesis' Django test case)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.world = build_world(cls)
        for actor in ACTORS:
            if actor != "anon":
                setattr(cls.world, actor, getattr(cls, actor))
        cls.routes = {p.key: p.route for p in all_patterns()}
        cls._fields: dict[str, list[str]] = {}

    def url_for(self, target: Target, **segment: str) -> str:
        if target.url is not None:
            return target.url(self.world)
        from django.urls import reverse

        params = re.findall(r"<(?:\w+:)?(\w+)>", self.routes[target.key])
        row = GET(target.key, " ".join("?" * len(ACTORS)), **target.args)
        if not segment:
            return row.build_url(self.world, params)
        kwargs = {}
        for name in params:
            kwargs[name] = segment.get(name, "x")
        return reverse(target.key, kwargs=kwargs)

    def sign_in(self, target: Target) -> None:
        self.client.logout()
        if target.actor != "anon":
            self.login(getattr(self, target.actor))

    def field_names(self, target: Target) -> list[str]:
        if target.name not in self._fields:
            names = set(target.fields) | set(target.files)
            if target.read_form and target.kind in ("form", "query"):
                self.sign_in(target)
                response = self.client.get(self.url_for(target))
                self.assertEqual(response.status_code, 200, f"{target.key}: the form page")
                names |= set(_FIELD_NAME.findall(response.content.decode()))
            self._fields[target.name] = sorted(names - _SKIPPED_FIELDS)
        return self._fields[target.name]

    def send(self, target: Target, draw) -> None:  # type: ignore[no-untyped-def]
        """One malformed request; fails on a 500, or on a refusal that wrote something."""
        names = self.field_names(target)
        self.client.raise_request_exception = False
        self.sign_in(target)
        cache.clear()  # rate limits would hide the view behind a 429
        headers: dict[str, str] = {}
        if target.kind == "segment":
            url, method = self.url_for(target, **{target.segment: draw(SEGMENT)}), "GET"
        else:
            url = self.url_for(target)
            method = "GET" if target.kind == "query" else "POST"
        data: Any = {}
        if target.kind in ("form", "query"):
            chosen = draw(st.lists(st.sampled_from(names), unique=True)) if names else []
            data = {name: draw(FIELD_VALUE) for name in chosen if name not in target.files}
            data.update({name: draw(UPLOAD) for name in chosen if name in target.files})
            data.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), VALUE, max_size=2)))
        before = snapshot() if method == "POST" else None
        with transaction.atomic():
            if target.kind == "json":
                headers["Authorization"] = "Bearer " + draw(
                    st.sampled_from([self.world.raw_api_key, "pk_nope", ""])
                )
                body = draw(
                    st.one_of(
                        JSON_VALUE.map(lambda v: json.dumps(v).encode()),
                        st.lists(SEGMENT, max_size=120).map(
                            lambda codes: json.dumps({"codes": codes}).encode()
                        ),
                        st.binary(max_size=300),
                    )
                )
                response = self.client.post(
                    url,
                    body,
                    content_type=draw(CONTENT_TYPE) or "application/json",
                    headers=headers,
                )
            elif method == "GET":
                response = self.client.get(url, data)
            else:
                response = self.client.post(url, data)
            after = snapshot() if before is not None else None
            transaction.set_rollback(True)
        if response.status_code >= 500:
            problem = getattr(response, "exc_info", None)
            self.fail(f"{method} {url} -> {response.status_code}: {problem and problem[1]!r}")
        refused = not (300 <= response.status_code < 400)
        if target.kind == "json":
            refused = response.status_code != 200
        if refused and before is not None:
            changed = [
                label
                for label in before
                if before[label] != after[label] and label not in target.may_write
            ]
            self.assertEqual(changed, [], f"{method} {url} was refused but wrote")


def _make_test(target: Target):  # type: ignore[no-untyped-def]
    @FUZZ
    @given(draw=st.data())
    def test(self, draw):  # type: ignore[no-untyped-def]
        self.send(target, draw.draw)

    test.__name__ = f"test_{target.name}"
    test.__doc__ = f"{target.key} ({target.kind}) as {target.actor}"
    return test


for _target in TARGETS:
    setattr(FuzzTestCase, f"test_{_target.name}", _make_test(_target))
