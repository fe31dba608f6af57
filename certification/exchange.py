"""Export a competency framework as JSON or CSV, and read those files back.

JSON: ``{"code", "version", "title", "description", "blocks": [{"code", "title",
"description", "competencies": [{"code", "label", "criteria"}]}]}``.
CSV (one row per competency, UTF-8, comma-separated): framework_code, framework_title,
block_code, block_title, competency_code, competency_label, criteria (criteria one per line,
inside the quoted cell). Importing always creates a new draft version: nothing in force changes.
"""

import csv
import io
import json
from typing import Any

from .models import CompetencyFramework

CSV_COLUMNS = [
    "framework_code",
    "framework_title",
    "block_code",
    "block_title",
    "competency_code",
    "competency_label",
    "criteria",
]


def framework_as_dict(framework: CompetencyFramework) -> dict[str, Any]:
    """The framework and its content as plain data."""
    return {
        "code": framework.code,
        "version": framework.version,
        "title": framework.title,
        "description": framework.description,
        "blocks": [
            {
                "code": block.code,
                "title": block.title,
                "description": block.description,
                "competencies": [
                    {"code": c.code, "label": c.label, "criteria": c.criteria}
                    for c in block.competencies.all()
                ],
            }
            for block in framework.blocks.prefetch_related("competencies")
        ],
    }


def export_json(framework: CompetencyFramework) -> str:
    return json.dumps(framework_as_dict(framework), ensure_ascii=False, indent=2)


def export_csv(framework: CompetencyFramework) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    data = framework_as_dict(framework)
    for block in data["blocks"]:
        for competency in block["competencies"] or [{"code": "", "label": "", "criteria": ""}]:
            writer.writerow(
                [
                    data["code"],
                    data["title"],
                    block["code"],
                    block["title"],
                    competency["code"],
                    competency["label"],
                    competency["criteria"],
                ]
            )
    return buffer.getvalue()


def parse_json(text: str) -> dict[str, Any]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("A framework file holds one JSON object.")
    return data


def parse_csv(text: str) -> dict[str, Any]:
    """Rows of the CSV export → the same structure as the JSON export."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        fieldnames, rows = reader.fieldnames, list(reader)
    except csv.Error as error:  # callers report a ValueError as "the file could not be read"
        raise ValueError(str(error)) from error
    missing = set(CSV_COLUMNS) - set(fieldnames or [])
    if missing:
        raise ValueError(f"Missing columns: {', '.join(sorted(missing))}")
    data: dict[str, Any] = {"code": "", "title": "", "blocks": []}
    blocks: dict[str, dict[str, Any]] = {}
    for row in rows:
        data["code"] = data["code"] or row["framework_code"].strip()
        data["title"] = data["title"] or row["framework_title"].strip()
        block_code = row["block_code"].strip()
        if block_code not in blocks:
            blocks[block_code] = {
                "code": block_code,
                "title": row["block_title"].strip(),
                "competencies": [],
            }
            data["blocks"].append(blocks[block_code])
        if row["competency_code"].strip():
            blocks[block_code]["competencies"].append(
                {
                    "code": row["competency_code"].strip(),
                    "label": row["competency_label"].strip(),
                    "criteria": row["criteria"],
                }
            )
    return data
