"""What each app holds about a person, and how to export and erase it (after Moodle's Privacy API).

lms is the lowest app, so it cannot import courses, certification or vae. Each app registers a
provider here from its AppConfig.ready(). The privacy page lists what providers declare, the
"download my data" task calls every ``export``, and an erasure confirmed by a coordinator calls
every ``erase`` inside one transaction. A test checks that every model with a foreign key to the
user model is declared by some provider, so a new model cannot be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.functional import Promise

Text = str | Promise


@dataclass(frozen=True)
class Attachment:
    """A file for the export ZIP: its name inside the archive and a way to read its bytes."""

    name: str
    read: Callable[[], bytes]


@dataclass
class Export:
    """What a provider returns for one person: JSON-able data and files."""

    data: dict[str, Any] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class PersonalData:
    """One kind of personal data, as shown on the privacy page."""

    models: tuple[str, ...]  # "app_label.ModelName" of every model holding it
    what: Text
    why: Text
    kept: Text | Callable[[], Text]  # a callable when the period comes from settings
    on_erasure: Text

    @property
    def kept_text(self) -> Text:
        return self.kept() if callable(self.kept) else self.kept


@dataclass(frozen=True)
class Provider:
    """One app's declaration and its export, erasure and retention functions."""

    name: str  # file name in the export ZIP, e.g. "courses"
    label: Text
    declares: tuple[PersonalData, ...]
    export: Callable[[Any], Export]
    erase: Callable[..., dict[str, int]]  # erase(user, *, actor) -> counts per kind
    retention: Callable[..., dict[str, int]] | None = None  # retention(*, now) -> counts
    # Models that point at a user only as staff who acted (a trainer, a coordinator): no
    # personal data of that user beyond the link to the pseudonymised row.
    staff_links: tuple[str, ...] = ()
    order: int = 100


_registry: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add an app's provider; registering the same name again replaces it."""
    _registry[provider.name] = provider
    return provider


def providers() -> list[Provider]:
    """Every provider, in order (lower apps first, the account itself last on erasure)."""
    return sorted(_registry.values(), key=lambda p: (p.order, p.name))


def declared_models() -> set[str]:
    """Labels ("app_label.ModelName") of every model some provider declares or lists as staff."""
    labels: set[str] = set()
    for provider in providers():
        labels.update(provider.staff_links)
        for item in provider.declares:
            labels.update(item.models)
    return labels


def run_retention(*, now: datetime) -> dict[str, int]:
    """Apply every provider's retention rules; counts keyed "provider.kind"."""
    counts: dict[str, int] = {}
    for provider in providers():
        if provider.retention is not None:
            for kind, count in provider.retention(now=now).items():
                counts[f"{provider.name}.{kind}"] = count
    return counts
