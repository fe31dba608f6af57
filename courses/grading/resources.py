"""Bulk grading: a CSV/XLSX template per assessment and the reading of a filled-in template.

Files are written and read with django-import-export's formats (tablib underneath). Each line
is checked in plain words; nothing is written unless every line is right (services.grade is
all or nothing).
"""

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

from lms.accounts.models import User
from lms.audit.services import record_event

from . import selectors, services
from .models import Assessment, Level

FORMATS = {"csv": CSV(), "xlsx": XLSX()}
EMAIL = "trainee_email"
FEEDBACK = "feedback"
SCORE = "score"


def headers(assessment: Assessment) -> list[str]:
    columns = [EMAIL, "name"]
    for criterion in assessment.criteria.select_related("competency"):
        columns += [f"{criterion.code} level", f"{criterion.code} justification"]
    return [*columns, FEEDBACK, SCORE]


def template_dataset(assessment: Assessment) -> tablib.Dataset:
    """One line per participant, with what is already graded filled in."""
    criteria, rows = selectors.grading_grid(assessment)
    dataset = tablib.Dataset(headers=headers(assessment))
    for row in rows:
        line: list[object] = [row.trainee.email, row.trainee.get_full_name()]
        for criterion in criteria:
            judgement = row.judgements.get(criterion.pk)
            line += [judgement.level, judgement.justification] if judgement else ["", ""]
        result = row.result
        line += [
            result.feedback if result else "",
            result.score if result and result.score is not None else "",
        ]
        dataset.append(line)
    return dataset


def export_template(assessment: Assessment, fmt: str, *, by: User) -> bytes:
    """The template file; the export is written to the audit trail (it holds grades)."""
    content = FORMATS[fmt].export_data(template_dataset(assessment))
    record_event(
        actor=by,
        action="grades.template_exported",
        target=assessment,
        summary=fmt,
    )
    return content.encode("utf-8") if isinstance(content, str) else content


def _level(raw: str) -> str | None:
    """Accept the code (acquired) or the label in any of our languages (Acquis, Acquired)."""
    value = (raw or "").strip().lower()
    if not value:
        return ""
    for code, label in Level.choices:
        if value in (code, code.replace("_", " "), str(label).lower()):
            return code
    french = {"pas encore": "not_yet", "acquis": "acquired", "maîtrisé": "mastered"}
    return french.get(value)


@dataclass
class ImportPreview:
    grades: dict[int, services.Grade] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_file(content: bytes, fmt: str) -> tablib.Dataset:
    format_ = FORMATS[fmt]
    data = content if format_.is_binary() else content.decode("utf-8-sig")
    return format_.create_dataset(data)


def preview_import(assessment: Assessment, content: bytes, fmt: str) -> ImportPreview:
    """Check a filled-in template without writing anything; errors name the line and person."""
    preview = ImportPreview()
    try:
        dataset = read_file(content, fmt)
    except Exception:  # noqa: BLE001 - any unreadable file gets the same kind message
        preview.errors.append(_("This file cannot be read. Use the template of this assessment."))
        return preview
    criteria = list(assessment.criteria.select_related("competency"))
    missing = [h for h in headers(assessment) if h != "name" and h not in (dataset.headers or [])]
    if missing:
        preview.errors.append(
            _("Columns are missing: %(columns)s. Download the template again.")
            % {"columns": ", ".join(missing)}
        )
        return preview
    trainees = {t.email.lower(): t for t in selectors.participants(assessment.session)}
    for number, row in enumerate(dataset.dict, start=2):
        email = str(row.get(EMAIL) or "").strip().lower()
        if not email:
            continue
        trainee = trainees.get(email)
        if trainee is None:
            preview.errors.append(
                _("Line %(line)s: %(email)s does not take part in this session.")
                % {"line": number, "email": email}
            )
            continue
        if trainee.pk in preview.grades:
            preview.errors.append(
                _("Line %(line)s: %(email)s appears twice.") % {"line": number, "email": email}
            )
            continue
        judgements = {}
        for criterion in criteria:
            raw = str(row.get(f"{criterion.code} level") or "")
            level = _level(raw)
            if level is None:
                preview.errors.append(
                    _(
                        "Line %(line)s, %(criterion)s: “%(value)s” is not a level; write "
                        "not_yet, acquired or mastered."
                    )
                    % {"line": number, "criterion": criterion.code, "value": raw}
                )
                continue
            why = str(row.get(f"{criterion.code} justification") or "").strip()
            if level and not why:
                preview.errors.append(
                    _("Line %(line)s, %(criterion)s: explain the level of %(name)s in a few words.")
                    % {
                        "line": number,
                        "criterion": criterion.code,
                        "name": trainee.get_full_name() or trainee.public_name,
                    }
                )
                continue
            judgements[criterion.pk] = (level, why)
        score = row.get(SCORE)
        preview.grades[trainee.pk] = services.Grade(
            judgements=judgements,
            feedback=str(row.get(FEEDBACK) or ""),
            score="" if score is None else str(score),
        )
        preview.names[trainee.pk] = trainee.get_full_name() or trainee.public_name
    if preview.errors:
        return preview
    # Run the real service in a transaction that is always rolled back: the dry run reports
    # exactly what applying would refuse.
    try:
        with transaction.atomic():
            services.grade(assessment=assessment, grades=preview.grades, by=None, imported=False)
            transaction.set_rollback(True)
    except ValidationError as error:
        preview.errors.extend(error.messages)
    return preview
