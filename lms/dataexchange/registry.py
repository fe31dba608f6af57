"""The datasets coordinators and operators can import and export.

lms is the lowest app, so it cannot import the resources of courses or certification. Each app
registers its django-import-export resources here from its AppConfig.ready(); the staff screens and
the ``import_data`` / ``export_data`` commands read this registry.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from import_export.resources import Resource


@dataclass(frozen=True)
class Exchange:
    """One dataset: its command-line name, its label, its resource and what it allows."""

    name: str
    label: str | Promise
    resource: type[Resource]
    permission: str
    can_import: bool = True
    can_export: bool = True
    help_text: str | Promise = ""


_registry: dict[str, Exchange] = {}


def register(exchange: Exchange) -> Exchange:
    """Make a dataset available; registering the same name twice keeps the last one."""
    _registry[exchange.name] = exchange
    return exchange


def get(name: str) -> Exchange:
    """The dataset called ``name``; KeyError when there is none."""
    return _registry[name]


def all_exchanges() -> list[Exchange]:
    """Every registered dataset, in registration order."""
    return list(_registry.values())


def names() -> list[str]:
    """The names of every registered dataset."""
    return list(_registry)


SAMPLES_DIR = Path(__file__).resolve().parent / "samples"


def sample_path(name: str) -> Path | None:
    """The sample CSV offered as a template for ``name`` (``samples/<name>.csv``), if any."""
    path = SAMPLES_DIR / f"{name}.csv"
    return path if path.is_file() else None
