"""Panels of the signed-in person's space ("Mon espace").

lms is the lowest app, so it cannot import courses or certification. Higher apps register their
panels here from their AppConfig.ready(); the dashboard renders whichever panels apply.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template_name: str
    context: dict[str, Any]


PanelFactory = Callable[[HttpRequest], Panel | None]

_registry: list[tuple[int, PanelFactory]] = []


def register_panel(factory: PanelFactory, *, order: int = 100) -> PanelFactory:
    """Add a panel to every person's space; ``factory`` returns None when it does not apply."""
    if all(existing is not factory for _, existing in _registry):
        _registry.append((order, factory))
        _registry.sort(key=lambda item: item[0])
    return factory


def panels_for(request: HttpRequest) -> list[Panel]:
    """The panels that apply to this request's user, in order."""
    return [panel for _, factory in _registry if (panel := factory(request)) is not None]
