"""Sections of the coordinators' reports and rows of the research export.

lms is the lowest app, so it cannot import courses, certification or vae. Higher apps register
their report sections, the choices of the region and course filters, and their research rows
here from their AppConfig.ready(); the Reports page and the exports use whatever is registered.
"""

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.utils.functional import Promise

Text = str | Promise
T = TypeVar("T")


@dataclass(frozen=True)
class ReportFilters:
    """What the coordinator chose: a period (either bound may be open), a granularity for the
    period columns, and optionally one region and one course."""

    start: date | None = None
    end: date | None = None
    granularity: str = "month"
    region: str = ""
    course: int | None = None


@dataclass(frozen=True)
class Table:
    """One table of figures: ``columns`` are headers, the first column labels each row.

    ``chart_columns`` are the indexes of the numeric columns drawn in the bar chart. ``total``
    (optional) is a last row, shown in the table and the exports but not charted.
    """

    key: str
    title: Text
    explanation: Text
    columns: list[Text]
    rows: list[list[Any]]
    chart_columns: tuple[int, ...] = (1,)
    total: list[Any] | None = None
    note: Text = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Section:
    """A titled group of tables produced by ``build(filters)``."""

    key: str
    title: Text
    build: Callable[[ReportFilters], list[Table]]
    order: int = 100


@dataclass
class ResearchSource:
    """Rows of the research export from one app: ``rows()`` yields dicts with the keys of
    ``lms.reports.research.COLUMNS`` plus ``person`` (a database id, replaced before writing)."""

    key: str
    rows: Callable[[], Iterable[dict[str, Any]]]


@dataclass
class _Registry:
    sections: dict[str, Section] = field(default_factory=dict)
    choices: dict[str, Callable[[], list[tuple[Any, Text]]]] = field(default_factory=dict)
    research: dict[str, ResearchSource] = field(default_factory=dict)


_registry = _Registry()


def register_section(section: Section) -> Section:
    """Add (or replace, by key) a report section."""
    _registry.sections[section.key] = section
    return section


def register_choices(name: str, provider: Callable[[], list[tuple[Any, Text]]]) -> None:
    """Give the choices of the ``region`` or ``course`` filter."""
    _registry.choices[name] = provider


def register_research_source(source: ResearchSource) -> None:
    _registry.research[source.key] = source


def sections() -> list[Section]:
    return sorted(_registry.sections.values(), key=lambda s: (s.order, s.key))


def get_section(key: str) -> Section | None:
    return _registry.sections.get(key)


def choices_for(name: str) -> list[tuple[Any, Text]]:
    provider = _registry.choices.get(name)
    return list(provider()) if provider is not None else []


def research_sources() -> list[ResearchSource]:
    return [_registry.research[key] for key in sorted(_registry.research)]


# Figures several tables of one page need (the same rows of enrolments, the list of courses…)
# are computed once per page: the view opens a scope, and ``shared`` keeps each result there.
_page: ContextVar[dict[Hashable, Any] | None] = ContextVar("reports_page", default=None)


@contextmanager
def one_page() -> Iterator[None]:
    """Within this block, ``shared`` computes each key once (one request, one page)."""
    token = _page.set({})
    try:
        yield
    finally:
        _page.reset(token)


def shared(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept for the rest of the page when called within ``one_page()``."""
    store = _page.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
