"""Malformed input at every form and API endpoint: never a 500, and a refusal writes nothing.

Each target names a URL, who sends the request, and what kind of input it takes. Form fields,
and the values the page offers for them (choices, hidden values), are read from the page the
person would see, so a new field is fuzzed without editing this file; POST-only actions list
theirs. Hypothesis then sends those values mixed with random text (unicode, NUL bytes, huge
strings), numbers out of range, impossible dates, repeated fields, random file bytes and broken
JSON. A request is refused when it is not a redirect (nor a success the target names), or when
it says so with an error message; a refused request must change no row of the project's tables.

Every URL the permission matrix lets someone POST to is a target here, or sits in ``EXEMPT``
with the reason (``test_every_post_url_is_fuzzed_or_exempt``). Budget: the "fuzz-ci" profile of
tests/security/conftest.py, times each target's ``share`` (FUZZ_PROFILE=thorough for more).
"""

import functools
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections, connection, transaction
from django.test import SimpleTestCase
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from tests.base import PersonasTestCase
from tests.security.matrix import ACTORS, GET, REFUSALS
from tests.security.pageforms import SKIPPED_FIELDS, PageForms
from tests.security.test_permission_matrix import ROWS as MATRIX_ROWS
from tests.security.urlwalk import all_patterns
from tests.security.world import IsolatedFilesMixin, build_world, project_models

# FUZZ_PROFILE=ci (the default) or thorough: the profiles of tests/security/conftest.py.
FUZZ = hypothesis_settings.get_profile("fuzz-" + os.environ.get("FUZZ_PROFILE", "ci"))

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
# --- The targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    actor: str  # a column of the permission matrix
    kind: str = "form"  # form | query | json | segment | button
    args: dict[str, Any] = field(default_factory=dict)
    fields: tuple[str, ...] = ()  # besides those read from the form page
    files: tuple[str, ...] = ()  # file fields
    segment: str = ""  # for kind "segment": the URL argument to fuzz
    read_form: bool = True  # read field names from the GET page
    may_write: tuple[str, ...] = ()  # models a refused request may still touch (logs)
    done: tuple[int, ...] = ()  # statuses that mean "done" besides a redirect (a download)
    share: float = 1.0  # of the profile's examples: buttons read no field, a few suffice
    refused_actor: str = ""  # why the actor is one the matrix refuses (else the form is reached)
    url: Any = None

    @property
    def name(self) -> str:
        extra = "-".join(str(v) for v in self.args.values() if isinstance(v, str))
        return re.sub(r"\W+", "_", f"{self.key}_{extra}_{self.kind}").strip("_")

    @property
    def method(self) -> str:
        return "GET" if self.kind in ("query", "segment") else "POST"


def finder_url(world):  # type: ignore[no-untyped-def]
    return world.finder.url


def button(key: str, actor: str, **options: Any) -> Target:
    """A POST that reads no field (a confirmation button): junk fields, a few examples. What
    they check is the error path: an action refused with an error message writes nothing."""
    return Target(key, actor, kind="button", read_form=False, share=0.15, **options)


TARGETS = [
    # Public: sign-up, log-in, password reset, language, verification, calendar feed, finder.
    Target("account_signup", "anon"),
    Target("account_login", "anon"),
    Target("account_reset_password", "anon"),
    Target("set_language", "anon", fields=("language", "next"), read_form=False, share=0.5),
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
    Target("notifications:mark-read", "trainee", read_form=False, fields=("next",), share=0.5),
    button("notifications:mark-unread", "trainee"),
    button("notifications:mark-all-read", "trainee"),
    # The trainee is enrolled already: the other trainee reaches the form.
    Target("courses:enrol", "other_trainee", args={"session_id": "upcoming"}),
    Target("courses:cancel", "trainee"),
    Target("courses:accept-offer", "trainee", read_form=False, fields=("reason",)),
    button("courses:decline-offer", "trainee"),
    button("courses:regenerate-feed", "trainee"),
    Target("verification:certificate-settings", "trainee"),
    Target("verification:bulk-check", "partner", files=("file",)),
    Target("vae:my-candidacies", "trainee"),
    Target("vae:experiences", "trainee"),
    button("vae:experience-remove", "trainee"),
    button("vae:self-assessment", "trainee"),
    Target("vae:self-assessment-block", "trainee"),
    Target("vae:evidence", "trainee", files=("file",)),
    button("vae:evidence-remove", "trainee"),
    Target("vae:lived-experience", "trainee", fields=("action",)),
    Target("vae:statement", "trainee"),
    Target(
        "vae:candidate-action",
        "trainee",
        args={"action": "appeal"},
        fields=("reason",),
        read_form=False,  # POST only: the form sits on the candidacy page
    ),
    button("privacy:export-request", "trainee"),
    button("privacy:consent-withdraw", "trainee", args={"pk": "consent"}),
    # The other trainee has not asked yet (the trainee has: the world's pending request).
    Target("privacy:erasure-request", "other_trainee", share=0.3),
    button("privacy:erasure-cancel", "trainee"),
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
    button("grading:mark-ready", "trainer", args={"assessment_id": "draft_assessment"}),
    # Nothing ready (the refusal: an error, nothing written), then results ready for release.
    button("grading:release", "trainer", args={"assessment_id": "draft_assessment"}),
    button("grading:release", "trainer", args={"assessment_id": "ready_assessment"}),
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
    button("vae:staff-close", "coordinator"),
    Target("vae:jury-sessions", "coordinator"),
    # A jury the assessor sits on and has not declared for yet.
    Target("vae:conflict-declaration", "assessor", args={"pk": "undeclared_jury_candidacy"}),
    Target("vae:jury-decision", "assessor", args={"pk": "jury_candidacy"}),
    # Coordinators' admin screens.
    Target("certification_admin:rules-edit", "coordinator", args={"pk": "certification"}),
    Target("certification_admin:issue", "coordinator", args={"pk": "certification"}),
    Target("certification_admin:ledger-record", "coordinator", args={"what": "block"}),
    Target("certification_admin:ledger-record", "coordinator", args={"what": "hours"}),
    Target("certification_admin:ledger-withdraw", "coordinator"),
    Target("certification_admin:framework-import", "coordinator", files=("file",)),
    button("certification_admin:framework-new-version", "coordinator", args={"pk": "framework"}),
    button("certification_admin:framework-activate", "coordinator", args={"pk": "framework"}),
    button("certification_admin:certificate-renew", "coordinator", args={"pk": "certificate"}),
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
    button("verification_admin:api-key-revoke", "coordinator"),
    Target("courses_sessions:add", "coordinator"),
    Target("courses_sessions:edit", "coordinator"),
    button("courses_sessions:delete", "coordinator"),
    Target("courses_sessions:duplicate", "coordinator"),
    Target("courses_sessions:publish", "coordinator", share=0.3),  # an empty form
    Target("courses_sessions:cancel", "coordinator"),
    Target("courses_sessions:complete", "coordinator", share=0.3),  # an empty form
    Target("courses_sessions:offer", "coordinator", args={"pk": "upcoming"}, share=0.3),
    Target("courses_sessions:reserve", "coordinator", args={"pk": "upcoming"}),
    Target("courses_sessions:waiting_list", "coordinator", args={"pk": "upcoming"}),
    Target("courses_courses:add", "coordinator"),
    Target("courses_courses:edit", "coordinator"),
    button("courses_courses:delete", "coordinator"),
    Target("courses_modules:add", "coordinator"),
    Target("courses_modules:edit", "coordinator"),
    button("courses_modules:delete", "coordinator"),
    Target("courses_venues:add", "coordinator"),
    Target("courses_venues:edit", "coordinator"),
    button("courses_venues:delete", "coordinator"),
    Target("courses_exemptions:add", "coordinator"),
    Target("courses_exemptions:edit", "coordinator"),
    button("courses_exemptions:delete", "coordinator"),
    Target("courses_enrolments:approve", "coordinator", share=0.3),  # an empty form
    Target("courses_enrolments:refuse", "coordinator", fields=("reason",)),
    Target("courses_enrolments:cancel", "coordinator"),
    Target("wagtailusers_users:add", "coordinator"),
    Target("wagtailusers_users:edit", "coordinator"),
    button("notifications_outbox_retry", "coordinator"),
    button("core_failed_task_retry", "coordinator", args={"failed_id": "failed_task"}),
    Target("dataexchange_import", "coordinator", args={"name": "users"}, files=("file",)),
    button("dataexchange_job_confirm", "coordinator", args={"pk": "import_job"}),
    button("dataexchange_job_cancel", "coordinator", args={"pk": "import_job"}),
    # A download of the research data set: 200 is done (it records who exported, in the audit).
    Target("reports_research", "coordinator", read_form=False, fields=("format",), done=(200,)),
    Target("privacy_erasure_review", "coordinator", args={"pk": "erasure_request"}),
    Target("audit_index", "coordinator", kind="query", fields=("q", "action", "page")),
]

# POST URLs of the permission matrix that are not targets, and why. A POST row that some actor
# gets through (anything but 405 or a log-in redirect for all) must be a target or listed here.
_COPY = "Wagtail's copy view: the add form prefilled from a record, fuzzed as {}:add"
EXEMPT = {
    "courses_enrolments:add": "redirects everyone to the list: enrolments change through services",
    "courses_enrolments:edit": "redirects everyone to the list: enrolments change through services",
    "courses_enrolments:delete": "redirects everyone to the list: enrolments change through "
    "services",
    "courses_modules:copy": _COPY.format("courses_modules"),
    "courses_venues:copy": _COPY.format("courses_venues"),
    "wagtailusers_users:copy": _COPY.format("wagtailusers_users"),
    "wagtailusers_users:delete": "refused to every actor (Wagtail's own check): nobody reaches it",
}

# --- What the page offers ---------------------------------------------------------------------


def field_strategy(offered: list[str]):  # type: ignore[no-untyped-def]
    """Malformed values, or (half the time) values the page offers, so that forms get valid
    often enough to reach the services behind them."""
    if not offered:
        return FIELD_VALUE
    choice = st.sampled_from(offered)
    several = st.lists(choice, min_size=2, max_size=3, unique=True)
    return st.one_of(FIELD_VALUE, choice, several if len(offered) > 1 else choice, choice)


# --- A fast fingerprint of the database ---------------------------------------------------------


@functools.cache
def _tables() -> dict[str, list[str]]:
    """The tables of each project model: its own, its concrete parents', its many-to-many
    links'. Read as raw rows (no field conversion, no decryption), which is what was written."""
    tables = {}
    for model in project_models():
        names = [model._meta.db_table]
        names += [parent._meta.db_table for parent in model._meta.get_parent_list()]
        names += [
            f.remote_field.through._meta.db_table
            for f in model._meta.local_many_to_many
            if f.remote_field.through._meta.auto_created
        ]
        tables[model._meta.label] = names
    return tables


def fingerprint() -> dict[str, int]:
    """Like ``world.snapshot`` (equal before and after: the request wrote nothing), but some
    fifteen times faster: it is taken twice for every POST example."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for label, tables in _tables().items():
            rows = []
            for table in tables:
                cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608
                # PostgreSQL gives binary columns as memoryview, whose repr is an address.
                rows += [
                    tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                    for row in cursor.fetchall()
                ]
            found[label] = hash(repr(rows))
    return found


# --- The test case ----------------------------------------------------------------------------


class FuzzTestCase(IsolatedFilesMixin, HypothesisTestCase, PersonasTestCase):
    """One test per target (so parallel workers share them); each example runs in its own
    savepoint (Hypothesis' Django test case)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.world = build_world(cls)
        for actor in ACTORS:
            if actor != "anon":
                setattr(cls.world, actor, getattr(cls, actor))
        cls.routes = {p.key: p.route for p in all_patterns()}
        cls._pages: dict[str, tuple[dict[str, list[str]], dict[str, Any]]] = {}

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

    def form_page(self, target: Target) -> tuple[dict[str, list[str]], dict[str, Any]]:
        """(field name → values the page offers, what the page would send untouched), read
        once per target."""
        if target.name not in self._pages:
            names: dict[str, set[str]] = {name: set() for name in target.fields + target.files}
            defaults: dict[str, Any] = {}
            if target.read_form and target.kind in ("form", "query"):
                self.sign_in(target)
                response = self.client.get(self.url_for(target))
                self.assertEqual(response.status_code, 200, f"{target.key}: the form page")
                page = PageForms()
                page.feed(response.content.decode())
                for name, offered in page.values.items():
                    names.setdefault(name, set()).update(offered)
                defaults = page.as_sent()
            offered_values = {
                name: sorted(offered)
                for name, offered in names.items()
                if name not in SKIPPED_FIELDS
            }
            self._pages[target.name] = (offered_values, defaults)
        return self._pages[target.name]

    def send(self, target: Target, draw) -> None:  # type: ignore[no-untyped-def]
        """One malformed request; fails on a 500, or on a refusal that wrote something."""
        fields, defaults = self.form_page(target)
        self.client.raise_request_exception = False
        self.sign_in(target)
        cache.clear()  # rate limits would hide the view behind a 429
        headers: dict[str, str] = {}
        if target.kind == "segment":
            url = self.url_for(target, **{target.segment: draw(SEGMENT)})
        else:
            url = self.url_for(target)
        method = target.method
        data: Any = {}
        if target.kind in ("form", "query", "button"):
            # Either the form as the page fills it with a few fields spoiled (or left out), so
            # that edits get through to the services, or only fields chosen at random.
            names = sorted(fields)
            spoil_page = bool(defaults) and draw(st.booleans())
            if spoil_page:
                data = dict(defaults)
            chosen = (
                draw(
                    st.lists(
                        st.sampled_from(names), unique=True, max_size=3 if spoil_page else None
                    )
                )
                if names
                else []
            )
            for name in chosen:
                if name in target.files:
                    data[name] = draw(UPLOAD)
                elif spoil_page and draw(st.integers(0, 4)) == 0:
                    data.pop(name, None)
                else:
                    data[name] = draw(field_strategy(fields[name]))
            data.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), VALUE, max_size=2)))
        before = fingerprint() if method == "POST" else None
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
            after = fingerprint() if before is not None else None
            transaction.set_rollback(True)
        _close(response)
        if response.status_code >= 500:
            problem = getattr(response, "exc_info", None)
            self.fail(f"{method} {url} -> {response.status_code}: {problem and problem[1]!r}")
        if before is None:
            return
        if target.kind == "json":
            refused = response.status_code != 200
        else:
            done = 300 <= response.status_code < 400 or response.status_code in target.done
            refused = not done or _said_error(response)
        if refused:
            changed = [
                label
                for label in before
                if before[label] != after[label] and label not in target.may_write
            ]
            self.assertEqual(
                changed, [], f"{method} {url} was refused ({response.status_code}) but wrote"
            )


def _said_error(response) -> bool:  # type: ignore[no-untyped-def]
    """Whether the view refused with an error message (then redirected, typically)."""
    request = getattr(response, "wsgi_request", None)
    if request is None or not hasattr(request, "_messages"):
        return False
    return any(m.level >= message_levels.ERROR for m in get_messages(request))


def _close(response) -> None:  # type: ignore[no-untyped-def]
    """Close a file response as a WSGI server would, but without the request_finished handler
    that closes the connection (inside a transaction, on PostgreSQL)."""
    if not getattr(response, "streaming", False):
        return
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


# Requests the whole file may send under the "ci" profile.
CI_BUDGET = 1600


def _examples(target: Target, profile: str | None = None) -> int:
    chosen = hypothesis_settings.get_profile(f"fuzz-{profile}") if profile else FUZZ
    return max(2, round(chosen.max_examples * target.share))


def _make_test(target: Target):  # type: ignore[no-untyped-def]
    examples = _examples(target)

    @hypothesis_settings(FUZZ, max_examples=examples)
    @given(draw=st.data())
    def test(self, draw):  # type: ignore[no-untyped-def]
        self.send(target, draw.draw)

    test.__name__ = f"test_{target.name}"
    test.__doc__ = f"{target.key} ({target.kind}) as {target.actor}, {examples} examples"
    return test


for _target in TARGETS:
    setattr(FuzzTestCase, f"test_{_target.name}", _make_test(_target))


class FuzzCoverageTests(SimpleTestCase):
    """The fuzz suite keeps up with the permission matrix."""

    def test_every_post_url_is_fuzzed_or_exempt(self):
        posts = {row.key: row for row in MATRIX_ROWS if row.method == "POST"}
        reachable = {
            key for key, row in posts.items() if any(c not in ("405", "L") for c in row.expect)
        }
        fuzzed = {t.key for t in TARGETS if t.method == "POST"}
        self.assertEqual(
            sorted(reachable - fuzzed - set(EXEMPT)),
            [],
            "POST URLs neither fuzzed nor exempt: add a Target (or a button) to TARGETS, or a "
            "reason to EXEMPT",
        )
        self.assertEqual(sorted(set(EXEMPT) & fuzzed), [], "both fuzzed and exempt")
        self.assertEqual(
            sorted(set(EXEMPT) - reachable), [], "exempt URLs that nobody can POST to any more"
        )

    def test_each_target_reaches_its_form(self):
        """The actor of a POST target is one the matrix lets through, unless the target says
        why not: fuzzing a permission wall tests the wall, not the form."""
        cells = {
            (row.key, row.method): dict(zip(ACTORS, row.expect, strict=True)) for row in MATRIX_ROWS
        }
        walls = []
        for target in TARGETS:
            expected = cells.get((target.key, target.method), {}).get(target.actor)
            if expected in REFUSALS and not target.refused_actor:
                walls.append(f"{target.key} as {target.actor}: {expected}")
            if expected not in REFUSALS and target.refused_actor:
                walls.append(f"{target.key} as {target.actor}: {expected}, refused_actor is stale")
        self.assertEqual(walls, [])

    def test_the_ci_budget_holds(self):
        """About 1,500 requests keep the file near 2¼ minutes on two workers (README): a new
        target takes its share, or the budget is raised knowingly."""
        examples = sum(_examples(target, "ci") for target in TARGETS)
        self.assertLessEqual(examples, CI_BUDGET)

    def test_target_names_are_unique(self):
        names = [t.name for t in TARGETS]
        self.assertEqual(sorted({n for n in names if names.count(n) > 1}), [])
