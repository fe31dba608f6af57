"""The anonymised research dataset asked for by the parliament.

One row per training enrolment and per VAE candidacy (sources registered by courses and vae).
No name, email, free text or exact date leaves the database:

- ``person`` is a pseudonym (P001, P002…) drawn at random for each file: the same person has the
  same pseudonym within one file (so rows can be linked), never across files, and it is neither
  a database id nor derived from any personal field;
- dates are coarsened to the month (YYYY-MM); hours attended to a bucket;
- quasi-identifiers are ``route``, ``region``, ``course`` and ``month``. Any combination of them
  shared by fewer than K distinct people is generalised step by step: first the month becomes
  the year, then the region becomes "*" (any); a combination still below K after both steps is
  dropped. The count of generalised and dropped rows is returned (and audited), never the rows.
"""

import secrets
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

# Columns of the file, in order (``person`` is the pseudonym).
COLUMNS = [
    "person",
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
QUASI_IDENTIFIERS = ("route", "region", "course", "month")
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
    """Every registered source's rows, pseudonymised and with small groups suppressed."""
    rows = [dict(row) for source in research_sources() for row in source.rows()]
    # A fresh random order for each file: the pseudonyms say nothing about ids or sign-up order.
    people = list({row["person"] for row in rows})
    secrets.SystemRandom().shuffle(people)
    width = max(3, len(str(len(people))))
    pseudonyms = {person: f"P{index:0{width}d}" for index, person in enumerate(people, start=1)}
    for row in rows:
        row["person"] = pseudonyms[row["person"]]
        for column in COLUMNS:
            row.setdefault(column, "")
    kept, generalised, dropped = suppress_small_groups(rows, k or k_threshold())
    kept.sort(key=lambda row: tuple(str(row[c]) for c in ("route", "month", "course", "person")))
    return Dataset(rows=kept, generalised=generalised, dropped=dropped)


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
