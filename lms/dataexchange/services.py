"""Importing and exporting registered datasets: all or nothing, with plain-language errors.

Every import goes through ``import_dataset``: the resource runs inside one transaction that is
rolled back when any row fails (and always in a dry run), so a file with one bad row writes
nothing. The admin screens keep each upload as an ``ImportJob``: checked first (dry run), then
imported once the coordinator confirms; large files run in a Celery task that reports progress.
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import tablib
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult

from lms.accounts.models import User
from lms.audit.services import record_event
from lms.core.queueing import try_queue
from lms.notifications.models import Category
from lms.notifications.services import notify

from . import registry
from .files import FileRefused, format_for, read_dataset, write_dataset
from .models import ImportJob

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 200  # rows of each kind kept for the preview table
MAX_ROW_ERRORS = 1000  # beyond that, the file is clearly not the right one
PROGRESS_EVERY = 250  # rows between two progress reports

ProgressCallback = Callable[[int], None]


class ImportRefused(Exception):
    """An import or export that cannot start (unknown dataset, not allowed, wrong state)."""


@dataclass
class RowError:
    row: int  # 1-based position among the data rows
    line: int  # the line a spreadsheet shows (the header is line 1)
    messages: list[str]


@dataclass
class ImportSummary:
    """What an import did or, in a dry run, would do."""

    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    deleted: int = 0
    errors: int = 0
    row_errors: list[RowError] = field(default_factory=list)
    general_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    preview_rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.general_errors

    def as_counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": self.errors,
        }


# --- Turning import-export's results into plain words ---------------------------------------


def _field_label(resource: Any, key: str) -> str:
    for resource_field in resource.fields.values():
        if resource_field.attribute == key or resource_field.column_name == key:
            return str(resource_field.column_name)
    return key


def _model_label(error: ObjectDoesNotExist) -> str:
    for model in apps.get_models():
        if type(error) is getattr(model, "DoesNotExist", None):
            return str(model._meta.verbose_name)
    return _("record")


def explain_error(error: BaseException) -> str:
    """A sentence a coordinator understands, never a traceback or a database message."""
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    if isinstance(error, ObjectDoesNotExist):
        return _("No %(thing)s matches the value given on this line.") % {
            "thing": _model_label(error)
        }
    if isinstance(error, IntegrityError):
        return _(
            "This line conflicts with data already recorded (for example the same record "
            "twice). Check that it is not a duplicate."
        )
    if isinstance(error, ValueError):
        return str(error)
    return _("This line could not be saved because of an unexpected problem (%(kind)s).") % {
        "kind": type(error).__name__
    }


def _validation_messages(resource: Any, error_dict: dict[str, list[str]]) -> list[str]:
    messages = []
    for key, values in error_dict.items():
        for value in values:
            if key == NON_FIELD_ERRORS:
                messages.append(str(value))
            else:
                messages.append(
                    _("%(column)s: %(message)s")
                    % {"column": _field_label(resource, key), "message": value}
                )
    return messages


def _summarise(
    resource: Any, result: Result, dataset: tablib.Dataset, seen: list[dict[str, Any]]
) -> ImportSummary:
    totals = result.totals
    skip_notes: dict[int, str] = getattr(resource, "skip_notes", {}) or {}
    offset = 1 if dataset.headers else 0
    summary = ImportSummary(
        total=len(dataset),
        new=totals[RowResult.IMPORT_TYPE_NEW],
        updated=totals[RowResult.IMPORT_TYPE_UPDATE],
        deleted=totals[RowResult.IMPORT_TYPE_DELETE],
        skipped=len(skip_notes),
        unchanged=max(0, totals[RowResult.IMPORT_TYPE_SKIP] - len(skip_notes)),
        notes=[str(note) for note in getattr(resource, "import_notes", [])],
    )
    by_row: dict[int, list[str]] = {}
    for invalid in result.invalid_rows:
        by_row.setdefault(invalid.number, []).extend(
            _validation_messages(resource, invalid.error_dict)
        )
    for error_row in result.error_rows:
        by_row.setdefault(error_row.number, []).extend(
            explain_error(error.error) for error in error_row.errors
        )
    summary.errors = len(by_row)
    summary.row_errors = [
        RowError(row=number, line=number + offset, messages=messages)
        for number, messages in sorted(by_row.items())[:MAX_ROW_ERRORS]
    ]
    for base_error in result.base_errors:
        summary.general_errors.append(explain_error(base_error.error))
    kept: dict[str, int] = {}
    for entry in seen:
        kind = entry["type"]
        if entry["row"] in skip_notes:
            kind, entry["reason"] = "skipped", str(skip_notes[entry["row"]])
        if kept.get(kind, 0) < PREVIEW_ROWS:
            kept[kind] = kept.get(kind, 0) + 1
            summary.preview_rows.append({**entry, "type": kind, "line": entry["row"] + offset})
    return summary


_KINDS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_DELETE: "deleted",
}


def _watch_rows(resource: Any, progress: ProgressCallback | None) -> list[dict[str, Any]]:
    """Record each row's outcome (and report progress) without the resource's cooperation."""
    seen: list[dict[str, Any]] = []
    original = resource.after_import_row

    def after_import_row(row, row_result, **kwargs):  # type: ignore[no-untyped-def]
        original(row, row_result, **kwargs)
        number = kwargs.get("row_number") or len(seen) + 1
        kind = _KINDS.get(row_result.import_type)
        if kind:
            seen.append({"row": number, "type": kind, "label": row_result.object_repr or ""})
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number)

    resource.after_import_row = after_import_row
    return seen


# --- The two public entry points -------------------------------------------------------------


def get_exchange(name: str, *, actor: User | None = None, action: str = "import"):  # type: ignore[no-untyped-def]
    """The registered dataset ``name``, checking that ``actor`` (when given) may use it."""
    try:
        exchange = registry.get(name)
    except KeyError:
        raise ImportRefused(_("There is no dataset called “%(name)s”.") % {"name": name}) from None
    allowed = exchange.can_import if action == "import" else exchange.can_export
    if not allowed:
        message = (
            _("The dataset “%(name)s” cannot be imported.")
            if action == "import"
            else _("The dataset “%(name)s” cannot be exported.")
        )
        raise ImportRefused(message % {"name": name})
    if actor is not None and not actor.has_perm(exchange.permission):
        raise ImportRefused(_("You are not allowed to use this dataset."))
    return exchange


def import_dataset(
    name: str,
    dataset: tablib.Dataset,
    *,
    dry_run: bool,
    actor: User | None,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import ``dataset`` into the registered dataset ``name``; nothing is written if any row
    fails (and nothing at all in a dry run)."""
    exchange = get_exchange(name)
    resource = exchange.resource()
    seen = _watch_rows(resource, progress)
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            collect_failed_rows=True,
            rollback_on_validation_errors=True,
            actor=actor,
        )
        summary = _summarise(resource, result, dataset, seen)
        if dry_run or not summary.ok:
            # import_data already rolled back; this makes "nothing written" independent of how
            # a resource handles its own transactions.
            transaction.set_rollback(True)
    if progress is not None:
        progress(len(dataset))
    return summary


def export_dataset(name: str, queryset: QuerySet[Any] | None = None) -> tablib.Dataset:
    """Every row of the registered dataset ``name`` (or of ``queryset``) as a table."""
    exchange = get_exchange(name, action="export")
    return exchange.resource().export(queryset)


def read_file(content: bytes, filename: str, fmt: str | None = None) -> tablib.Dataset:
    """A table from a file's bytes; the format comes from the name unless ``fmt`` says it."""
    return read_dataset(content, format_for(filename, fmt))


def write_file(dataset: tablib.Dataset, fmt: str) -> bytes:
    """A file's bytes for ``dataset`` in ``fmt`` (csv, xlsx or json)."""
    return write_dataset(dataset, format_for(f"export.{fmt}"))


@transaction.atomic
def export_file(*, name: str, fmt: str, actor: User | None) -> tuple[bytes, str]:
    """Export a dataset to a file (bytes and file name); the export goes to the audit trail."""
    exchange = get_exchange(name, actor=actor, action="export")
    dataset = export_dataset(exchange.name)
    content = write_file(dataset, fmt)
    record_event(
        actor=actor,
        action="dataexchange.exported",
        summary=f"{exchange.name} ({fmt})",
        data={"dataset": exchange.name, "format": fmt, "rows": len(dataset)},
    )
    return content, f"{exchange.name}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def template_file(*, name: str, fmt: str) -> tuple[bytes, str]:
    """A file to fill in: the dataset's sample when it has one, else its column headers."""
    exchange = get_exchange(name)
    sample = registry.sample_path(exchange.name)
    if sample is not None:
        dataset = read_dataset(sample.read_bytes(), "csv")
    else:
        resource = exchange.resource()
        dataset = tablib.Dataset(headers=resource.get_export_headers())
    return write_file(dataset, format_for(f"t.{fmt}")), f"{exchange.name}-modele.{fmt}"


# --- Import jobs started from the admin ------------------------------------------------------


def storage():  # type: ignore[no-untyped-def]
    return storages["private"]


def max_upload_bytes() -> int:
    return int(getattr(settings, "DATAEXCHANGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def background_threshold() -> int:
    return int(getattr(settings, "DATAEXCHANGE_BACKGROUND_ROWS", 1000))


def _progress_key(job_id: int) -> str:
    return f"dataexchange:job:{job_id}:processed"


def job_progress(job: ImportJob) -> int:
    """Rows processed so far; live from the shared cache while a task runs."""
    if job.is_running:
        live = cache.get(_progress_key(job.pk))
        if live is not None:
            return min(int(live), job.total_rows)
    return job.processed_rows


def _job_dataset(job: ImportJob) -> tablib.Dataset:
    with storage().open(job.stored_name, "rb") as handle:
        return read_dataset(handle.read(), job.file_format)


@transaction.atomic
def create_import_job(
    *, name: str, filename: str, content: bytes, actor: User, fmt: str | None = None
) -> ImportJob:
    """Keep an uploaded file privately as a new job, once it reads as a table."""
    exchange = get_exchange(name, actor=actor)
    limit = max_upload_bytes()
    if len(content) > limit:
        raise FileRefused(
            _("This file is too large (the limit is %(limit)s). Split it into several files.")
            % {"limit": filesizeformat(limit)}
        )
    file_format = format_for(filename, fmt)
    dataset = read_dataset(content, file_format)
    if not len(dataset):
        raise FileRefused(_("This file has column names but no rows to import."))
    stored_name = storage().save(
        f"dataexchange/imports/{secrets.token_hex(20)}.{file_format}", ContentFile(content)
    )
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                exchange=exchange.name,
                created_by=actor,
                original_name=(filename or "import")[-200:],
                stored_name=stored_name,
                file_format=file_format,
                total_rows=len(dataset),
            )
    except Exception:
        storage().delete(stored_name)
        raise
    return job


def _runs_in_background(job: ImportJob) -> bool:
    return job.total_rows > background_threshold()


@transaction.atomic
def start_check(*, job: ImportJob) -> ImportJob:
    """Check (dry run) a job's file: now for a small file, in a background task for a large one."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.UPLOADED).update(
        status=ImportJob.Status.CHECKING, processed_rows=0
    )
    if updated and _runs_in_background(job):
        from .tasks import check_import_job_task

        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(check_import_job_task, check_import_job, job_id))
    elif updated:
        try:
            check_import_job(job_id=job.pk)
        except Exception as error:  # noqa: BLE001 - the job says it stopped, never spins
            job_crashed(job_id=job.pk, error=error)
    job.refresh_from_db()
    return job


def _enqueue(task: Any, run: Callable[..., Any], job_id: int) -> None:
    """Hand a job to a worker; if the broker is down, do the work here rather than leave the
    job spinning (slower for the coordinator, but the file is checked or imported)."""
    if not try_queue(task, job_id):
        run(job_id=job_id)


def _reporter(job_id: int) -> ProgressCallback:
    def report(processed: int) -> None:
        cache.set(_progress_key(job_id), processed, timeout=6 * 3600)

    return report


def _language_of(user: User | None) -> str:
    """The language the person reads the admin in (their Wagtail profile), else their own."""
    if user is None:
        return settings.LANGUAGE_CODE
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    admin_language = profile.preferred_language if profile else ""
    return admin_language or user.preferred_language or settings.LANGUAGE_CODE


def _store_summary(job: ImportJob, summary: ImportSummary) -> None:
    job.new_count = summary.new
    job.updated_count = summary.updated
    job.unchanged_count = summary.unchanged
    job.skipped_count = summary.skipped
    job.error_count = summary.errors
    job.row_errors = [asdict(error) for error in summary.row_errors]
    job.general_errors = summary.general_errors
    job.notes = summary.notes
    job.processed_rows = summary.total


def _import_job_file(job: ImportJob, *, dry_run: bool) -> ImportSummary:
    """Read a job's stored file and check or import it, in its author's language."""
    with translation.override(_language_of(job.created_by)):
        try:
            dataset = _job_dataset(job)
        except FileRefused as refused:
            return ImportSummary(general_errors=[str(refused)])
        return import_dataset(
            job.exchange,
            dataset,
            dry_run=dry_run,
            actor=job.created_by,
            progress=_reporter(job.pk),
        )


def check_import_job(*, job_id: int) -> ImportJob | None:
    """Run the dry run of a job being checked and store what it found (idempotent)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJob.Status.CHECKING:
            return job
        summary = _import_job_file(job, dry_run=True)
        _store_summary(job, summary)
        job.preview_rows = summary.preview_rows
        job.status = ImportJob.Status.PREVIEWED
        job.checked_at = timezone.now()
        job.save()
    cache.delete(_progress_key(job_id))
    return job


@transaction.atomic
def confirm_import_job(*, job: ImportJob, actor: User) -> ImportJob:
    """The coordinator confirms a checked file: import it now or in a background task."""
    get_exchange(job.exchange, actor=actor)
    if not job.can_confirm:
        raise ImportRefused(
            _("This file cannot be imported: fix the errors listed and upload it again.")
        )
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.IMPORTING, processed_rows=0, started_at=timezone.now()
    )
    if updated and _runs_in_background(job):
        from .tasks import run_import_job_task

        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(run_import_job_task, run_import_job, job_id))
    elif updated:
        try:
            run_import_job(job_id=job.pk)
        except Exception as error:  # noqa: BLE001 - the job says it stopped, never spins
            job_crashed(job_id=job.pk, error=error)
    job.refresh_from_db()
    return job


def run_import_job(*, job_id: int) -> ImportJob | None:
    """Import a confirmed job's file, all or nothing, then tell its author (idempotent: the job
    row is locked and a second run finds it finished)."""
    with transaction.atomic():
        job = (
            # Lock only the job row: PostgreSQL refuses FOR UPDATE on an outer join.
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != ImportJob.Status.IMPORTING:
            return job
        summary = _import_job_file(job, dry_run=False)
        _store_summary(job, summary)
        job.status = ImportJob.Status.DONE if summary.ok else ImportJob.Status.FAILED
        job.finished_at = timezone.now()
        job.save()
        record_event(
            actor=job.created_by,
            action="dataexchange.imported" if summary.ok else "dataexchange.import_failed",
            target=job,
            summary=f"{job.exchange}: {job.original_name}"[:300],
            data={"dataset": job.exchange, "format": job.file_format, **summary.as_counts()},
        )
        _notify_finished(job)
    cache.delete(_progress_key(job_id))
    return job


def mark_job_failed(*, job_id: int, reason: str) -> None:
    """A task stopped unexpectedly (time limit, crash): the job says so instead of spinning."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or not job.is_running:
            return
        importing = job.status == ImportJob.Status.IMPORTING
        job.status = ImportJob.Status.FAILED
        job.general_errors = [reason]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "general_errors", "finished_at"])
        if importing:
            record_event(
                actor=job.created_by,
                action="dataexchange.import_failed",
                target=job,
                summary=job.exchange,
                data={"dataset": job.exchange, "stopped": True},
            )
            _notify_finished(job)
    cache.delete(_progress_key(job_id))


def job_crashed(*, job_id: int, error: BaseException) -> None:
    """An unexpected error (a bug in a resource, a lost file): nothing was written (the import
    runs in one transaction) and the job says so. Only the error's type is logged: its text may
    quote the data."""
    logger.error("Import job %s stopped by %s.", job_id, type(error).__name__)
    mark_job_failed(
        job_id=job_id,
        reason=_(
            "The file could not be processed because of an unexpected problem, and nothing was "
            "written. Please tell the team that looks after Parcours, giving import number "
            "%(number)s."
        )
        % {"number": job_id},
    )


@transaction.atomic
def cancel_import_job(*, job: ImportJob, actor: User) -> ImportJob:
    """Drop a checked file that will not be imported; the stored file is deleted."""
    get_exchange(job.exchange, actor=actor)
    updated = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.PREVIEWED]
    ).update(
        status=ImportJob.Status.CANCELLED,
        finished_at=timezone.now(),
        file_deleted_at=timezone.now(),
    )
    if not updated:
        raise ImportRefused(_("This import can no longer be cancelled."))
    stored_name = job.stored_name
    transaction.on_commit(lambda: storage().delete(stored_name))
    job.refresh_from_db()
    return job


def keep_files_days() -> int:
    return int(getattr(settings, "DATAEXCHANGE_KEEP_FILES_DAYS", 30))


def purge_import_files(*, older_than: timedelta | None = None) -> int:
    """Delete uploaded files of imports that ended long enough ago; the job and its counts stay.
    Returns how many files were deleted (a second run finds none left)."""
    if older_than is None:
        older_than = timedelta(days=keep_files_days())
    ended = [ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.CANCELLED]
    jobs = ImportJob.objects.filter(
        status__in=ended,
        file_deleted_at__isnull=True,
        finished_at__lt=timezone.now() - older_than,
    ).values_list("pk", "stored_name")
    purged = 0
    for pk, stored_name in list(jobs):
        storage().delete(stored_name)
        purged += ImportJob.objects.filter(pk=pk, file_deleted_at__isnull=True).update(
            file_deleted_at=timezone.now()
        )
    return purged


@transaction.atomic
def record_job_file_download(*, job: ImportJob, actor: User) -> None:
    """An uploaded file holds personal data: each download goes to the audit trail."""
    record_event(
        actor=actor,
        action="dataexchange.file_downloaded",
        target=job,
        summary=job.exchange,
        data={"dataset": job.exchange},
    )


def _notify_finished(job: ImportJob) -> None:
    if job.created_by is None:
        return
    # The label stays lazy: notify() renders it in the recipient's language, not the worker's.
    label = registry.get(job.exchange).label if job.exchange in registry.names() else job.exchange
    notify(
        recipient=job.created_by,
        event="dataexchange.import_finished",
        template="emails/import_finished",
        context={"job": job, "dataset_label": label},
        dedupe_key=f"dataexchange.import.{job.pk}.finished",
        category=Category.STAFF,
        url=reverse("dataexchange_job", args=[job.pk]),
    )
