"""Helpers for the end-to-end journeys: axe-core, screenshots, visits, layout checks."""

import json
import os
import re
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).parent
AXE_SOURCE = E2E_DIR / "vendor" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", E2E_DIR / "artifacts"))
BLOCKING_IMPACTS = {"serious", "critical"}
# Widths (CSS pixels) used for screenshots and layout checks.
DESKTOP = 1280
PHONE = 360
NARROW = 320
# The journeys run in French (the default, no prefix) and in Dutch (under /nl/), each with a
# browser that asks for that language.
LANGUAGES = ["fr", "nl"]
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}


def axe_check(page, *, context: str = "") -> list[dict]:
    """Runs axe-core on the page and fails listing every serious or critical violation with the
    elements concerned. Returns all violations (minor and moderate ones included)."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async () => {
            // Colours are measured once fades and slides have ended (e.g. the admin's messages).
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const finite = document.getAnimations().filter(
                a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
            await Promise.race([
                Promise.all(finite.map(a => a.finished.catch(() => null))),
                new Promise(resolve => setTimeout(resolve, 3000)),
            ]);
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 10),
            }));
        }"""
    )
    _record_axe(page.url, results)
    blocking = [v for v in results if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe: {len(blocking)} serious/critical violation(s) on {page.url} {context}"]
        for violation in blocking:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.extend(f"    {target}" for target in violation["targets"])
        pytest.fail("\n".join(lines))
    return results


def _record_axe(url: str, results: list[dict]) -> None:
    """Appends what axe found to artifacts/axe-report.jsonl (minor findings too)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS / "axe-report.jsonl").open("a", encoding="utf-8") as report:
        report.write(json.dumps({"url": url, "violations": results}, ensure_ascii=False) + "\n")


def screenshot(page, journey: str, step: str) -> Path:
    """Saves a full-page screenshot as artifacts/<journey>-<step>-<width>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    slug = re.sub(r"[^a-z0-9]+", "-", f"{journey}-{step}".lower()).strip("-")
    path = ARTIFACTS / f"{slug}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def visit(page, url: str, *, journey: str = "", step: str = ""):
    """Opens ``url``, checks it answered without error, runs axe and, when named, screenshots."""
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url} answered {response.status}"
    axe_check(page)
    if journey:
        screenshot(page, journey, step)
    return response


def checked(page, *, journey: str = "", step: str = "") -> None:
    """After a click that loaded a page: axe, and a screenshot when named."""
    page.wait_for_load_state("load")
    axe_check(page)
    if journey:
        screenshot(page, journey, step)


def no_horizontal_scroll(page) -> tuple[int, int]:
    """(scrollWidth, viewport width): content wider than the viewport means sideways scrolling."""
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def t(message: str, language: str = "fr") -> str:
    """What the person reads: ``message`` (an English msgid) in ``language``."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message)


def tn(singular: str, plural: str, count: int, language: str = "fr") -> str:
    """The plural-aware ``t``: ``singular``/``plural`` (English msgids) for ``count``, filled in."""
    from django.utils import translation

    with translation.override(language):
        return translation.ngettext(singular, plural, count) % {"counter": count}


def prefix(language: str) -> str:
    """The path prefix of ``language``: none for French, ``/nl`` for Dutch."""
    return "" if language == "fr" else f"/{language}"
