"""The anonymised research dataset asked for by the parliament.

One row per training enrolment and per VAE candidacy (sources registered by courses and vae).
No name, email, free text or exact date leaves the database:

- no column links two rows to the same person (no pseudonym): with a pseudonym, someone in two
  groups of K people each is unique by the pair of groups. Person ids are read to count distinct
  people per group, then removed before any row leaves this module;
- dates are coarsened to the month (YYYY-MM); hours attended to a bucket;
- quasi-identifiers are ``route``, ``region``, ``course``, ``certification`` and ``month`` (a VAE
  row has no course: its certification is what tells it apart). Any combination of them shared
  by fewer than K distinct people is generalised step by step: first the month becomes the
  year, then the region becomes "*" (any); a combination still below K after both steps is
  dropped. The count of generalised and dropped rows is returned (and audited), never the rows.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from lms.accounts.models import User
from lms.audit.services import record_event

from .exports import csv_bytes, xlsx_bytes
from .registry import research_sources

# Columns of the file, in order. Sources also give ``person`` (an id), used only for counting.
COLUMNS = [
    "route",
    "region",
    "course",
    "certification",
    "month",
    "status",
    "attended_hours",
    "assessed",
    "certified",
]
QUASI_IDENTIFIERS = ("route", "region", "course", "certification", "month")
ANY = "*"
# Buckets of attended hours: the lower bound of each, in hours.
HOUR_BUCKETS = (0, 1, 12, 24, 48, 84)


def k_threshold() -> int:
    return int(getattr(settings, "REPORTS_RESEARCH_K", 5))


def hours_bucket(hours: float | Decimal | None) -> str:
    """'0', '1-11', '12-23', '24-47', '48-83', '84+' (hours attended, whole hours)."""
    if hours is None:
        return ""
    value = float(hours)
    if value < HOUR_BUCKETS[1]:
        return "0"
    for low, high in zip(HOUR_BUCKETS[1:], HOUR_BUCKETS[2:], strict=False):
        if value < high:
            return f"{low}-{high - 1}"
    return f"{HOUR_BUCKETS[-1]}+"


@dataclass(frozen=True)
class Dataset:
    rows: list[dict[str, Any]]
    generalised: int
    dropped: int

    def as_lists(self) -> list[list[Any]]:
        return [[row[column] for column in COLUMNS] for row in self.rows]


def _people_per_group(rows: Iterable[dict[str, Any]]) -> Counter:
    people: dict[tuple, set] = defaultdict(set)
    for row in rows:
        people[tuple(row[q] for q in QUASI_IDENTIFIERS)].add(row["person"])
    return Counter({key: len(value) for key, value in people.items()})


def suppress_small_groups(rows: list[dict[str, Any]], k: int) -> tuple[list[dict], int, int]:
    """Generalise, then drop, rows whose quasi-identifier combination has fewer than ``k``
    distinct people (see the module docstring). Returns (rows, generalised, dropped)."""
    kept: list[dict[str, Any]] = []
    pending = rows
    generalised = 0
    steps = (
        lambda row: {**row, "month": row["month"][:4]},
        lambda row: {**row, "region": ANY},
    )
    for step in (None, *steps):
        if step is not None:
            pending = [step(row) for row in pending]
        sizes = _people_per_group(pending)
        small: list[dict[str, Any]] = []
        for row in pending:
            key = tuple(row[q] for q in QUASI_IDENTIFIERS)
            (kept if sizes[key] >= k else small).append(row)
        if step is not None:
            generalised += len(pending) - len(small)
        pending = small
    return kept, generalised, len(pending)


def build_dataset(*, k: int | None = None) -> Dataset:
    """Every registered source's rows, with small groups suppressed and nothing that links two
    rows to one person."""
    rows = []
    for source in research_sources():
        for row in source.rows():
            rows.append({"person": row["person"], **{c: row.get(c, "") for c in COLUMNS}})
    kept, generalised, dropped = suppress_small_groups(rows, k or k_threshold())
    # The person id is dropped here; rows are sorted by content, so their order says nothing
    # about who they belong to either.
    published = [{column: row[column] for column in COLUMNS} for row in kept]
    published.sort(key=lambda row: tuple(str(row[c]) for c in COLUMNS))
    return Dataset(rows=published, generalised=generalised, dropped=dropped)


@transaction.atomic
def export_research_dataset(*, by: User | None, fmt: str, channel: str) -> tuple[bytes, Dataset]:
    """The research file as bytes (``fmt``: "csv" or "xlsx"), with an audit event."""
    dataset = build_dataset()
    if fmt == "xlsx":
        content = xlsx_bytes(COLUMNS, dataset.as_lists(), sheet="research")
    else:
        content = csv_bytes(COLUMNS, dataset.as_lists())
    record_event(
        actor=by,
        action="reports.research_exported",
        summary=f"Research dataset exported ({fmt}, {len(dataset.rows)} rows) via {channel}",
        data={
            "format": fmt,
            "channel": channel,
            "rows": len(dataset.rows),
            "generalised": dataset.generalised,
            "dropped": dataset.dropped,
            "k": k_threshold(),
        },
    )
    return content, dataset
