"""Building blocks for the domain datasets: natural keys, cached lookups, plain-language errors.

Every importable dataset names rows by stable codes and email addresses, never by database ids,
so importing the same file twice updates and never duplicates. Lookups (a session by its code, a
person by their email) are made once per import for every value in the file, not once per row.
Cell errors are raised as ValueError with a full sentence; ``NaturalKeyResource`` reports them
under the column's machine header, so the person sees which cell of which line is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.resources import ModelResource

# Words accepted for yes and no in the three languages we speak (and what spreadsheets write).
TRUE_WORDS = {"1", "true", "yes", "y", "oui", "o", "ja", "vrai", "waar", "x"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "nee", "faux", "onwaar"}


def filter_iexact_in(queryset: Any, path: str, keys: Iterable[str]) -> Any:
    """``queryset`` rows whose ``path`` equals one of ``keys`` (lower-cased), ignoring case."""
    return queryset.annotate(_natural_key=Lower(path)).filter(_natural_key__in=list(keys))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


class TextWidget(widgets.Widget):
    """Text cells: trimmed, empty stays empty (never the word "None")."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a spreadsheet turned a code like 1000 into 1000.0
        return _text(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class DecimalWidget(widgets.Widget):
    """A number with a decimal point or comma (12.5 or 12,5)."""

    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        raw = _text(value)
        if not raw:
            if self.required:
                raise ValueError(_("This cell is empty; write a number."))
            return None
        try:
            number = Decimal(raw.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": raw}) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": raw})
        return number

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class IntegerWidget(widgets.Widget):
    """A whole number, zero or more."""

    def __init__(self, *, required: bool = True) -> None:
        super().__init__()
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        raw = _text(value)
        if not raw:
            if self.required:
                raise ValueError(_("This cell is empty; write a whole number."))
            return None
        try:
            number = Decimal(raw.replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": raw})
        if number < 0:
            raise ValueError(_("“%(value)s” is negative; write 0 or more.") % {"value": raw})
        return int(number)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class BooleanWidget(widgets.Widget):
    """yes/no, true/false, 1/0, oui/non, ja/nee; exported as "yes" or "no"."""

    def __init__(self, *, default: bool | None = False) -> None:
        super().__init__()
        self.default = default

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        raw = _text(value).lower()
        if not raw:
            return self.default
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        raise ValueError(_("“%(value)s” is neither yes nor no.") % {"value": _text(value)})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return "yes" if value else "no"


class ChoiceWidget(widgets.Widget):
    """One of a model field's choices, written as its code (e.g. ``in_person``) or its label in
    the current language; exported as the code, which never changes with the language."""

    def __init__(self, choices: Iterable[tuple[str, Any]], *, required: bool = True) -> None:
        super().__init__()
        self.choices = list(choices)
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        raw = _text(value)
        if not raw:
            if self.required:
                raise ValueError(
                    _("This cell is empty; write one of: %(choices)s.")
                    % {"choices": ", ".join(code for code, _label in self.choices)}
                )
            return ""
        wanted = raw.lower()
        for code, label in self.choices:
            if wanted in (code.lower(), force_str(label).lower()):
                return code
        raise ValueError(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": raw, "choices": ", ".join(code for code, _label in self.choices)}
        )

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value or ""


def parse_datetime(value: Any) -> datetime | None:
    """An ISO date and time (2026-03-02 09:30, 2026-03-02T09:30+01:00) or a spreadsheet date;
    without an offset it is read in the site's time zone (Brussels)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        raw = _text(value)
        if not raw:
            return None
        try:
            moment = datetime.fromisoformat(raw.replace("/", "-"))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date and time; write it like 2026-03-02 09:30.")
                % {"value": raw}
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def render_datetime(value: datetime | None) -> str:
    """ISO 8601 in the site's time zone, with its offset; seconds only when there are some."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    spec = "minutes" if local.second == 0 and local.microsecond == 0 else "seconds"
    return local.isoformat(timespec=spec)


def same_second(first: datetime | None, second: datetime | None) -> bool:
    """Whether two moments are equal at the precision of a file (microseconds ignored)."""
    if first is None or second is None:
        return first is second
    return first.replace(microsecond=0) == second.replace(microsecond=0)


class DateTimeWidget(widgets.Widget):
    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> datetime | None:
        moment = parse_datetime(value)
        if moment is None and self.required:
            raise ValueError(_("This cell is empty; write a date and time like 2026-03-02 09:30."))
        return moment

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return render_datetime(value)


class DateWidget(widgets.Widget):
    """An ISO date (2026-03-02)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        raw = _text(value)
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date; write it like 2026-03-02.") % {"value": raw}
            ) from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.isoformat() if value else ""


class LookupWidget(widgets.Widget):
    """A related object named by a natural key (a code, an email address), looked up once per
    import for every value of the column (``prime``), case-insensitively.

    ``unknown`` is the sentence shown for a value that names nothing, with ``%(value)s``.
    """

    def __init__(
        self,
        model: type[models.Model],
        field: str,
        *,
        unknown: Any,
        required: bool = True,
        queryset: Callable[[], models.QuerySet] | None = None,
    ) -> None:
        super().__init__()
        self.model = model
        self.field = field
        self.unknown = unknown
        self.required = required
        self._queryset = queryset
        self.cache: dict[str, models.Model | None] = {}

    def queryset(self) -> models.QuerySet:
        return self._queryset() if self._queryset is not None else self.model._default_manager.all()

    @staticmethod
    def key(value: Any) -> str:
        return _text(value).lower()

    def prime(self, values: Iterable[Any]) -> None:
        """Fetch every object named in the column in one query (case-insensitively)."""
        wanted = {self.key(v) for v in values} - {""} - set(self.cache)
        if not wanted:
            return
        found = {}
        matches = self.queryset().annotate(_natural_key=Lower(self.field))
        for obj in matches.filter(_natural_key__in=wanted):
            found[self.key(getattr(obj, self.field))] = obj
        for key in wanted:
            self.cache[key] = found.get(key)

    def lookup(self, value: Any) -> models.Model | None:
        key = self.key(value)
        if key not in self.cache:
            match = self.queryset().filter(**{f"{self.field}__iexact": key}).first()
            self.cache[key] = match
        return self.cache[key]

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> models.Model | None:
        raw = _text(value)
        if not raw:
            if self.required:
                raise ValueError(_("This cell is empty."))
            return None
        obj = self.lookup(raw)
        if obj is None:
            raise ValueError(force_str(self.unknown) % {"value": raw})
        return obj

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(getattr(value, self.field))


class ManyLookupWidget(widgets.ManyToManyWidget):
    """Several related objects in one cell, separated by commas or semicolons."""

    def __init__(self, lookup: LookupWidget) -> None:
        super().__init__(lookup.model, field=lookup.field)
        self.lookup = lookup

    def split(self, value: Any) -> list[str]:
        return [part.strip() for part in _text(value).replace(";", ",").split(",") if part.strip()]

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[models.Model]:
        objects = []
        for part in self.split(value):
            obj = self.lookup.lookup(part)
            if obj is None:
                raise ValueError(force_str(self.lookup.unknown) % {"value": part})
            if obj not in objects:
                objects.append(obj)
        return objects

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        items = value.all() if hasattr(value, "all") else value
        return ", ".join(sorted(str(getattr(item, self.field)) for item in items))


class NaturalKeyLoader(BaseInstanceLoader):
    """Finds existing rows by their natural key, for the whole file in one or two queries.

    The resource gives ``existing(dataset)`` (natural key → instance) and ``row_key(row)``
    (the natural key a row names, or None when a cell of the key is wrong: the row is then
    treated as new and its cells report the error).
    """

    def __init__(self, resource: NaturalKeyResource, dataset: Any = None) -> None:
        super().__init__(resource, dataset)
        self.instances = resource.existing(dataset) if dataset is not None else {}

    def get_instance(self, row: dict[str, Any]) -> models.Model | None:
        try:
            key = self.resource.row_key(row)
        except (ValueError, KeyError):
            return None
        return None if key is None else self.instances.get(key)


class NaturalKeyResource(ModelResource):
    """A ModelResource whose rows are named by natural keys, with errors in plain words.

    Subclasses implement ``existing`` and ``row_key``; cells that name other objects use a
    ``LookupWidget`` (primed for the whole file before the first row is read).
    """

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        instance_loader_class = NaturalKeyLoader

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actor = None

    # --- natural keys --------------------------------------------------------------------------

    def existing(self, dataset: Any) -> dict[Hashable, models.Model]:
        raise NotImplementedError

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        raise NotImplementedError

    def cell(self, row: dict[str, Any], name: str) -> Any:
        """The cleaned value of the field ``name`` in ``row`` (ValueError when it is wrong)."""
        field = self.fields[name]
        return field.widget.clean(row.get(field.column_name), row=row)

    def column_values(self, dataset: Any, name: str) -> list[Any]:
        column = self.fields[name].column_name
        if not dataset.headers or column not in dataset.headers:
            return []
        return list(dataset[column])

    # --- the import workflow ------------------------------------------------------------------

    def required_columns(self) -> list[str]:
        """Machine headers every file must have: the natural key's columns."""
        return [self.fields[name].column_name for name in self.get_import_id_fields()]

    def file_problem(self, dataset: Any) -> str:
        """Why the whole file cannot be read (a key column is missing), or ""."""
        missing = [c for c in self.required_columns() if c not in (dataset.headers or [])]
        if missing:
            return _(
                "The file has no column %(columns)s. Export this dataset to get a file with the "
                "right columns."
            ) % {"columns": ", ".join(f"“{c}”" for c in missing)}
        return ""

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        if dataset.headers:
            dataset.headers = [_text(h) for h in dataset.headers]
        problem = self.file_problem(dataset)
        if problem:
            # Refuse the file as a whole, before any row is read: nothing is written.
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.diff_headers = self.get_diff_headers()
            self.handle_import_error(result, ValidationError(problem))
            return result
        return super().import_data(dataset, *args, **kwargs)

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        self.actor = kwargs.get("actor")
        for name, field in self.fields.items():
            widget = field.widget
            lookup = widget.lookup if isinstance(widget, ManyLookupWidget) else widget
            if isinstance(lookup, LookupWidget):
                values: list[Any] = self.column_values(dataset, name)
                if isinstance(widget, ManyLookupWidget):
                    values = [part for v in values for part in widget.split(v)]
                lookup.prime(values)

    def check(self, instance: Any) -> dict[str, str]:
        """Rules on a whole row in plain words, keyed by model field (run when every cell is
        readable)."""
        return {}

    def validate_instance(
        self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        """Add the row rules (``check``) and report errors under the file's column headers."""
        errors = dict(import_validation_errors or {})
        if not errors:
            for key, message in self.check(instance).items():
                errors.setdefault(key, []).append(ValidationError(message))
        try:
            super().validate_instance(instance, errors, validate_unique)
        except ValidationError as error:
            columns = {f.attribute: f.column_name for f in self.fields.values() if f.attribute}
            # A row rule (``check``) and the model's clean() may say the same thing: once.
            raise ValidationError(
                {
                    columns.get(key, key) if key != NON_FIELD_ERRORS else key: list(
                        dict.fromkeys(messages)
                    )
                    for key, messages in error.message_dict.items()
                }
            ) from None

    def import_field(
        self, field: Any, instance: Any, row: Any, is_m2m: bool = False, **kwargs: Any
    ) -> None:
        """A date and time equal to the recorded one at the file's precision (the second) keeps
        the recorded value: a value saved with microseconds (``timezone.now()``) is exported to
        the second, and importing that file again must find the row unchanged."""
        widget = field.widget
        if (
            isinstance(widget, DateTimeWidget)
            and field.attribute
            and field.column_name in row
            and instance.pk is not None
        ):
            recorded = getattr(instance, field.attribute, None)
            if recorded is not None and same_second(recorded, widget.clean(row[field.column_name])):
                return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def iter_queryset(self, queryset: Any) -> Any:
        # import-export pages through querysets that prefetch, which costs queries per page;
        # reading the rows in one go keeps an export at a fixed number of queries.
        yield from queryset


class ExportOnlyResource(NaturalKeyResource):
    """A dataset that is only exported: importing it is refused with a sentence that says why."""

    refusal: Any = ""

    def existing(self, dataset: Any) -> dict[Hashable, models.Model]:
        return {}

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        return None

    def required_columns(self) -> list[str]:
        return []

    def file_problem(self, dataset: Any) -> str:
        return force_str(self.refusal)


def person_name(user: Any) -> str:
    return (user.get_full_name() or user.public_name) if user is not None else ""
