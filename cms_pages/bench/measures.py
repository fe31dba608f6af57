"""What the bench measures, and how: warm runs of one operation, median, p95 and SQL queries.

Pages go through ``django.test.Client`` (the whole middleware stack, templates included).
Each measure runs once to warm up, once with its queries captured, then ``warmups`` untimed
runs, then ``runs`` timed runs without capture (capturing queries would add its own cost).
"""

import base64
import json
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, reset_queries, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from certification import pdf
from certification.eligibility import check_eligibility, eligibility_for_all
from certification.models import Certificate
from courses.grading.models import Assessment
from courses.models import Session
from lms.accounts.models import User

from ..models import CoursePage
from .dataset import Dataset

FLOOR_PAGE = "floor_wagtail_page"
FLOOR_JSON = "floor_json_view"
FLOOR_PDF = "floor_pdf_render"


class NotAvailable(Exception):
    """The measured feature is not in this build (its reason is reported)."""


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    floor: str | None = None
    heavy: bool = False  # fewer runs: it takes seconds, not milliseconds
    unit_rows: int = 0  # rows handled per run, for a throughput figure


@dataclass
class Outcome:
    available: bool = True
    reason: str = ""
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    runs: int = 0
    samples_ms: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = {
            "available": self.available,
            "median_ms": self.median_ms,
            "p95_ms": self.p95_ms,
            "queries": self.queries,
            "runs": self.runs,
            **self.extra,
        }
        if not self.available:
            data["reason"] = self.reason
        return data


MEASURES = [
    Measure("catalogue", "Catalogue (course index)", FLOOR_PAGE),
    Measure("session_finder", "Session finder with filters", FLOOR_PAGE),
    Measure("course_page", "Course page", FLOOR_PAGE),
    Measure("session_page", "Session page", FLOOR_PAGE),
    Measure("trainee_dashboard", "Trainee dashboard (Mon espace)", FLOOR_PAGE),
    Measure("grading_grid", "Trainer grading grid", FLOOR_PAGE),
    Measure("coordinator_report", "Coordinator report", FLOOR_PAGE),
    Measure("verification_page", "Verification page /v/<code>", FLOOR_PAGE),
    Measure("verification_api", "Verification API (one code)", FLOOR_JSON),
    Measure("verification_bulk", "Bulk verification (100 codes)", FLOOR_JSON),
    Measure("eligibility_one", "Eligibility of one person"),
    Measure("eligibility_all", "Eligibility of all trainees", heavy=True),
    Measure("certificate_pdf", "One certificate PDF", FLOOR_PDF, heavy=True),
    Measure("import_rows", "Import of user rows", heavy=True),
]
FLOORS = [
    Measure(FLOOR_PAGE, "Floor: minimal Wagtail page"),
    Measure(FLOOR_JSON, "Floor: minimal Django JSON view"),
    Measure(FLOOR_PDF, "Floor: bare xhtml2pdf render", heavy=True),
]
ALL_MEASURES = [*FLOORS, *MEASURES]
SESSION_FILTERS = "?region=namur&format=in_person&language=fr&places_left=on"


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 15 runs is the 15th slowest but one)."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)]


def run_measure(operation: Callable[[], Any], *, warmups: int, runs: int) -> Outcome:
    """Queries of one warm run, then ``warmups`` untimed runs and ``runs`` timed ones."""
    # Queries are counted on a warm run: the first request of a process fills caches (Wagtail's
    # site root, content types), which is not what each request costs.
    operation()
    # A request resets the query log as it starts: start the capture from an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        operation()
    for _ in range(warmups):
        operation()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - started) * 1000)
    return Outcome(
        median_ms=round(statistics.median(samples), 2),
        p95_ms=round(percentile(samples, 0.95), 2),
        queries=len(captured.captured_queries),
        runs=runs,
        samples_ms=[round(s, 2) for s in samples],
    )


def _get(client: Client, url: str, *, expect: int = 200, **extra: Any) -> Callable[[], Any]:
    def operation() -> Any:
        response = client.get(url, **extra)
        if response.status_code != expect:
            raise AssertionError(f"GET {url} answered {response.status_code}, not {expect}")
        return response

    return operation


def _client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def certificate_html(certificate: Certificate) -> str:
    """The same HTML ``pdf.certificate_pdf`` renders, for the bare-render floor."""
    certification = certificate.certification
    rules = getattr(certification, "rules", None)
    url = certificate.verification_url
    png = base64.b64encode(pdf.qr_png(url)).decode("ascii")
    context = {
        "certificate": certificate,
        "certification": certification,
        "signatories": rules.signatory_list if rules else [],
        "verification_url": url,
        "qr_data_uri": "data:image/png;base64," + png,
        "fonts": pdf.FONTS,
        "language": certificate.language,
    }
    with translation.override(certificate.language):
        return render_to_string("certification/pdf/certificate.html", context)


def _import_operation(rows: int) -> Callable[[], Any]:
    """Import ``rows`` new people through the data-exchange service, rolled back afterwards."""
    try:
        import tablib

        from lms.dataexchange.services import import_dataset  # type: ignore[import-not-found]
    except ImportError as missing:
        raise NotAvailable(f"lms.dataexchange.services.import_dataset: {missing}") from None
    counter = {"run": 0}

    def operation() -> Any:
        counter["run"] += 1
        dataset = tablib.Dataset(
            headers=["username", "firstname", "lastname", "email", "lang", "city"]
        )
        for i in range(rows):
            name = f"import{counter['run']}x{i}"
            dataset.append(
                [name, "Camille", f"Import-{i}", f"{name}@import.example", "fr", "Namur"]
            )
        with transaction.atomic():
            result = import_dataset("users", dataset, dry_run=False, actor=None)
            # Rolled back: every run imports into the same database.
            transaction.set_rollback(True)
        # A timing of an import that wrote nothing would be meaningless (and flatteringly fast).
        if not result.ok or result.new != rows:
            problems = [*result.general_errors]
            problems += [f"line {e.line}: {' '.join(e.messages)}" for e in result.row_errors[:3]]
            raise RuntimeError(
                f"The benchmark import did not import its {rows} new rows "
                f"(new {result.new}, updated {result.updated}, unchanged {result.unchanged}, "
                f"errors {result.errors}). " + "; ".join(problems)
            )
        return result

    return operation


class Scenario:
    """The objects each measure needs, chosen once in the built dataset."""

    def __init__(self, dataset: Dataset, *, import_rows: int):
        fixtures = dataset.fixtures
        assert fixtures is not None  # noqa: S101
        self.fx = fixtures
        self.import_rows = import_rows
        trainee_ids = dataset.trainee_ids
        self.trainee = User.objects.get(pk=trainee_ids[0])
        certificate = (
            Certificate.objects.select_related("certification__rules")
            .filter(holder=self.trainee)
            .first()
        )
        if certificate is None:  # the dataset gives the first trainee a certificate
            raise RuntimeError("The bench dataset has no certificate for its first trainee.")
        self.certificate: Certificate = certificate
        self.codes = list(Certificate.objects.order_by("pk").values_list("code", flat=True)[:100])
        # The first session is over (graded), the fourth is to come (see dataset._is_past).
        self.assessment = (
            Assessment.objects.filter(session__code="bench-s000000")
            .select_related("session")
            .first()
        )
        self.trainer = self.assessment.session.trainers.first() if self.assessment else None
        self.session = Session.objects.get(code="bench-s000003")
        self.course_page = CoursePage.objects.order_by("path").first()

    def operations(self) -> dict[str, Callable[[], Callable[[], Any]]]:
        """Measure key → a factory of its operation (a factory may raise NotAvailable)."""
        fx = self.fx
        anonymous = Client()
        finder_url = fx.finder.url

        def coordinator_report() -> Callable[[], Any]:
            try:
                url = reverse("reports_index")
            except NoReverseMatch:
                raise NotAvailable("no URL named reports_index in this build") from None
            return _get(_client_for(fx.coordinator), url)

        def bulk() -> Callable[[], Any]:
            codes = (self.codes * 100)[:100]
            body = json.dumps({"codes": codes})
            client = Client()

            def operation() -> Any:
                response = client.post(
                    "/api/v1/certificates/verify",
                    body,
                    content_type="application/json",
                    headers={"authorization": f"Bearer {fx.api_key}"},
                )
                if response.status_code != 200:
                    raise AssertionError(f"bulk verification answered {response.status_code}")
                return response

            return operation

        def certificate_pdf() -> Callable[[], Any]:
            return lambda: pdf.certificate_pdf(self.certificate)

        def pdf_floor() -> Callable[[], Any]:
            html = certificate_html(self.certificate)
            return lambda: pdf.html_to_pdf(html)

        def grid() -> Callable[[], Any]:
            if self.assessment is None:
                raise NotAvailable("no graded session at this scale")
            url = reverse("grading:grid", args=[self.assessment.pk])
            return _get(_client_for(self.trainer), url)

        code = self.certificate.code
        return {
            FLOOR_PAGE: lambda: _get(anonymous, fx.floor_page.url),
            FLOOR_JSON: lambda: _get(anonymous, "/__bench__/json/"),
            FLOOR_PDF: pdf_floor,
            "catalogue": lambda: _get(anonymous, fx.catalogue.url),
            "session_finder": lambda: _get(anonymous, finder_url + SESSION_FILTERS),
            "course_page": lambda: _get(anonymous, self.course_page.url),
            "session_page": lambda: _get(anonymous, f"{finder_url}{self.session.pk}/"),
            "trainee_dashboard": lambda: _get(
                _client_for(self.trainee), reverse("accounts:dashboard")
            ),
            "grading_grid": grid,
            "coordinator_report": coordinator_report,
            "verification_page": lambda: _get(anonymous, f"/v/{code}"),
            "verification_api": lambda: _get(anonymous, f"/api/v1/certificates/{code}"),
            "verification_bulk": bulk,
            "eligibility_one": lambda: lambda: check_eligibility(self.trainee, fx.certification),
            "eligibility_all": lambda: lambda: eligibility_for_all(fx.certification),
            "certificate_pdf": certificate_pdf,
            "import_rows": lambda: _import_operation(self.import_rows),
        }


def measure_all(
    scenario: Scenario, *, warmups: int, runs: int, heavy_runs: int, log=print
) -> dict[str, Outcome]:
    """Every floor and measure, in order, on the current database."""
    factories = scenario.operations()
    outcomes: dict[str, Outcome] = {}
    for measure in ALL_MEASURES:
        try:
            operation = factories[measure.key]()
            if measure.heavy:
                outcome = run_measure(operation, warmups=1, runs=heavy_runs)
            else:
                outcome = run_measure(operation, warmups=warmups, runs=runs)
        except NotAvailable as missing:
            outcome = Outcome(available=False, reason=str(missing))
        except Exception as error:  # noqa: BLE001 - the report says what broke, the run goes on
            outcome = Outcome(available=False, reason=f"failed: {type(error).__name__}: {error}")
        if measure.key == "import_rows" and outcome.median_ms:
            outcome.extra["rows"] = scenario.import_rows
            outcome.extra["rows_per_second"] = round(
                scenario.import_rows / (outcome.median_ms / 1000), 1
            )
        outcomes[measure.key] = outcome
        shown = (
            f"{outcome.median_ms:>10.1f} ms  {outcome.queries:>4} queries"
            if outcome.available
            else f"not available ({outcome.reason})"
        )
        log(f"  {measure.label:<40} {shown}")
    return outcomes
