"""Ratios, targets, the printed table and the JSON of a bench run.

Every ratio is taken within one run: a page against its floor measured minutes apart on the
same machine, and the large scale against the small one. The targets are reported, never
asserted: a busy machine must not make a test fail.
"""

from typing import Any

from .measures import ALL_MEASURES, FLOOR_JSON, FLOOR_PAGE, FLOOR_PDF, MEASURES, Outcome

QUERY_LIMIT = 20
GROWTH_LIMIT = 1.5
FLOOR_LIMITS = {FLOOR_PAGE: 4.0, FLOOR_JSON: 3.0, FLOOR_PDF: 1.3}
ELIGIBILITY_ALL_LIMIT_MS = 60_000
IMPORT_ROWS_PER_SECOND = 2_000
# Measures that are not pages: their query count is not held to the per-page limit.
NOT_PAGES = {"eligibility_one", "eligibility_all", "certificate_pdf", "import_rows"}


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if not numerator or not denominator:
        return None
    return round(numerator / denominator, 2)


def build_report(
    *, phases: list[dict[str, Any]], outcomes: dict[str, dict[str, Outcome]], meta: dict
) -> dict[str, Any]:
    """The JSON document: per measure and phase median, p95, queries and ratios; then targets."""
    names = [phase["name"] for phase in phases]
    first, last = names[0], names[-1]
    measures: dict[str, Any] = {}
    for measure in ALL_MEASURES:
        entry: dict[str, Any] = {"label": measure.label, "floor": measure.floor}
        for name in names:
            outcome = outcomes[name][measure.key]
            data = outcome.as_dict()
            if measure.floor:
                data["ratio_to_floor"] = _ratio(
                    outcome.median_ms, outcomes[name][measure.floor].median_ms
                )
            entry[name] = data
        small, large = outcomes[first][measure.key], outcomes[last][measure.key]
        entry["ratio_large_small"] = (
            _ratio(large.median_ms, small.median_ms) if len(names) > 1 else None
        )
        # The same ratio with each median divided by its floor first: what is left when the
        # machine itself got faster or slower between the two scales.
        entry["ratio_large_small_floor_adjusted"] = (
            _ratio(entry[last].get("ratio_to_floor"), entry[first].get("ratio_to_floor"))
            if len(names) > 1 and measure.floor
            else None
        )
        entry["queries_flat"] = (
            small.queries == large.queries if small.available and large.available else None
        )
        measures[measure.key] = entry
    return {
        **meta,
        "phases": phases,
        "measures": measures,
        "targets": evaluate_targets(measures, first=first, last=last, several=len(names) > 1),
    }


def evaluate_targets(
    measures: dict[str, Any], *, first: str, last: str, several: bool
) -> list[dict[str, Any]]:
    """Each target of the issue with the measured value and whether it is met (None: unknown)."""
    targets: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: Any, met: bool | None) -> None:
        targets.append({"target": name, "value": value, "limit": limit, "met": met})

    for measure in MEASURES:
        entry = measures[measure.key]
        large = entry[last]
        if not large["available"]:
            add(f"{measure.key}: available", False, True, None)
            continue
        if measure.key not in NOT_PAGES:
            add(
                f"{measure.key}: SQL queries at most {QUERY_LIMIT}",
                large["queries"],
                QUERY_LIMIT,
                large["queries"] <= QUERY_LIMIT,
            )
            if several:
                add(
                    f"{measure.key}: same SQL queries at both scales",
                    [entry[first]["queries"], large["queries"]],
                    "equal",
                    entry["queries_flat"],
                )
                ratio = entry["ratio_large_small"]
                add(
                    f"{measure.key}: large/small median at most {GROWTH_LIMIT}",
                    ratio,
                    GROWTH_LIMIT,
                    None if ratio is None else ratio <= GROWTH_LIMIT,
                )
        if measure.floor:
            ratio = large.get("ratio_to_floor")
            limit = FLOOR_LIMITS[measure.floor]
            add(
                f"{measure.key}: at most {limit}x {measure.floor}",
                ratio,
                limit,
                None if ratio is None else ratio <= limit,
            )
    eligibility = measures["eligibility_all"][last]
    if eligibility["available"]:
        add(
            "eligibility_all: under 60 s",
            eligibility["median_ms"],
            ELIGIBILITY_ALL_LIMIT_MS,
            eligibility["median_ms"] < ELIGIBILITY_ALL_LIMIT_MS,
        )
    imported = measures["import_rows"][last]
    if imported["available"]:
        add(
            f"import_rows: at least {IMPORT_ROWS_PER_SECOND} rows/s",
            imported["rows_per_second"],
            IMPORT_ROWS_PER_SECOND,
            imported["rows_per_second"] >= IMPORT_ROWS_PER_SECOND,
        )
    return targets


def _cell(value: Any, fmt: str = "{:.1f}") -> str:
    if value is None:
        return "—"
    return fmt.format(value)


def format_table(report: dict[str, Any]) -> str:
    """A Markdown table: one line per measure, both scales side by side."""
    names = [phase["name"] for phase in report["phases"]]
    header = ["measure"]
    for name in names:
        header += [f"{name} median ms", f"{name} p95 ms", f"{name} queries", f"{name} ×floor"]
    if len(names) > 1:
        header += ["large/small", "large/small ÷ floor's"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for key, entry in report["measures"].items():
        row = [f"{entry['label']} (`{key}`)"]
        for name in names:
            data = entry[name]
            if not data["available"]:
                row += ["not available", "", "", ""]
                continue
            row += [
                _cell(data["median_ms"]),
                _cell(data["p95_ms"]),
                _cell(data["queries"], "{}"),
                _cell(data.get("ratio_to_floor"), "{:.2f}"),
            ]
        if len(names) > 1:
            row.append(_cell(entry["ratio_large_small"], "{:.2f}"))
            row.append(_cell(entry["ratio_large_small_floor_adjusted"], "{:.2f}"))
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def format_targets(report: dict[str, Any]) -> str:
    marks = {True: "met", False: "MISSED", None: "unknown"}
    return "\n".join(
        f"  {marks[t['met']]:<8} {t['target']}: {t['value']} (limit {t['limit']})"
        for t in report["targets"]
    )
