"""What the forms of a page offer and send, read from its HTML (for the fuzz suite)."""

from html.parser import HTMLParser
from typing import Any

SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


class PageForms(HTMLParser):
    """Field names of a page, the values it offers for each (options, hidden values, radio
    buttons) and what a browser would send untouched (``defaults``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, set[str]] = {}
        self.defaults: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name")
        if tag in ("input", "select", "textarea") and name:
            offered = self.values.setdefault(name, set())
            kind = (found.get("type") or "text").lower()
            value = found.get("value") or ""
            if tag == "input" and kind in ("checkbox", "radio"):
                offered.add(found.get("value") or "on")
                if "checked" in found:
                    self.defaults.setdefault(name, []).append(found.get("value") or "on")
            elif tag == "input" and kind not in ("submit", "button", "image", "reset", "file"):
                offered.add(value)
                self.defaults.setdefault(name, []).append(value)
            elif tag == "input" and "value" in found:
                offered.add(value)
            elif tag == "select":
                self._select, self._first_option = (name, "multiple" in found), None
            elif tag == "textarea":
                self._textarea = name
                self.defaults.setdefault(name, []).append("")
        elif tag == "option" and self._select and found.get("value") is not None:
            name, _multiple = self._select
            self.values[name].add(found["value"] or "")
            if self._first_option is None:
                self._first_option = found["value"] or ""
            if "selected" in found:
                self.defaults.setdefault(name, []).append(found["value"] or "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.defaults[self._textarea][-1] += data

    def as_sent(self) -> dict[str, Any]:
        return {
            name: values if len(values) > 1 else values[0]
            for name, values in self.defaults.items()
            if name not in SKIPPED_FIELDS
        }

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            name, multiple = self._select
            if not multiple and name not in self.defaults and self._first_option is not None:
                self.defaults[name] = [self._first_option]
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def untouched_form(html: str) -> dict[str, Any]:
    """What a browser would send for the forms of ``html`` if nobody typed anything."""
    page = PageForms()
    page.feed(html)
    return page.as_sent()
