"""What seed_demo steps share: objects made by earlier steps and the report to print."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class DemoContext:
    # Objects created by earlier steps, by name (e.g. "people", "framework").
    objects: dict[str, Any] = field(default_factory=dict)
    # JSON-serialisable facts for --json (e.g. "logins", "certificates").
    report: dict[str, Any] = field(default_factory=dict)
    # Extra sections printed after the logins: (title, lines).
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
