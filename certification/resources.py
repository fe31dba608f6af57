"""Import and export of competency frameworks; export of the ledger and of certificates.

Frameworks: one row per competency, named by framework code, version, block code and competency
code. Rows only ever write into a draft version (a new version number creates the draft): a
version in force or retired never changes, as on screen. The ledger and certificates are
export-only: the ledger is append-only and written by results, jury decisions and coordinators'
decisions; certificates are issued, revoked and renewed by their services, never by a file.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets
from import_export.fields import Field

from lms.dataexchange.natural import (
    DateTimeWidget,
    DateWidget,
    ExportOnlyResource,
    IntegerWidget,
    LookupWidget,
    NaturalKeyResource,
    TextWidget,
    filter_iexact_in,
)

from .models import Certificate, Competency, CompetencyBlock, CompetencyFramework, LedgerEntry

Status = CompetencyFramework.Status


class BlockInRowWidget(widgets.Widget):
    """The block a row names by its ``framework``, ``version`` and ``block`` cells. A new version
    number creates a draft version; a new block code adds the block to a draft version."""

    def __init__(self) -> None:
        super().__init__()
        self.frameworks: dict[tuple[str, int], CompetencyFramework] = {}
        self.blocks: dict[tuple[int, str], CompetencyBlock] = {}

    def prime(self, codes: list[Any]) -> None:
        wanted = {LookupWidget.key(c) for c in codes} - {""}
        for framework in filter_iexact_in(CompetencyFramework.objects.all(), "code", wanted):
            self.frameworks[(framework.code.lower(), framework.version)] = framework
        for block in filter_iexact_in(CompetencyBlock.objects.all(), "framework__code", wanted):
            self.blocks[(block.framework_id, block.code.lower())] = block

    def framework_for(self, row: dict[str, Any], *, create: bool) -> CompetencyFramework | None:
        code = str(row.get("framework") or "").strip()
        if not code:
            raise ValueError(_("The framework cell is empty; write the framework's code."))
        version = IntegerWidget().clean(row.get("version")) or 0
        framework = self.frameworks.get((code.lower(), version))
        if framework is None and create:
            if version < 1:
                raise ValueError(_("A version number starts at 1."))
            framework = CompetencyFramework(
                code=code,
                version=version,
                title=str(row.get("framework_title") or "").strip() or code,
                status=Status.DRAFT,
            )
            try:
                framework.full_clean(exclude=["status"])
            except Exception as error:  # noqa: BLE001 - reported in the row, in plain words
                raise ValueError(
                    _("“%(code)s” cannot be a framework code: use letters, digits and dashes.")
                    % {"code": code}
                ) from error
            framework.save()
            self.frameworks[(code.lower(), version)] = framework
        return framework

    def block_for(self, row: dict[str, Any], *, create: bool) -> CompetencyBlock | None:
        framework = self.framework_for(row, create=create)
        code = str(row.get("block") or "").strip()
        if not code:
            raise ValueError(_("The block cell is empty; write the block's code, e.g. B1."))
        if framework is None:
            return None
        block = self.blocks.get((framework.pk, code.lower()))
        if block is None and create:
            if framework.status != Status.DRAFT:
                raise ValueError(
                    _(
                        "Version %(version)s of %(code)s is in force or retired and cannot "
                        "change: give a new version number to import a draft."
                    )
                    % {"version": framework.version, "code": framework.code}
                )
            top = framework.blocks.aggregate(top=Max("position"))["top"]
            block = CompetencyBlock.objects.create(
                framework=framework,
                code=code,
                title=str(row.get("block_title") or "").strip() or code,
                position=0 if top is None else top + 1,
            )
            self.blocks[(framework.pk, code.lower())] = block
        return block

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> CompetencyBlock | None:
        return self.block_for(row or {}, create=True)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.code if value is not None else ""


class FrameworkResource(NaturalKeyResource):
    """Competency frameworks, one row per competency (titles of frameworks and blocks are used
    when a new version or block is created)."""

    framework = Field("block__framework__code", "framework", readonly=True)
    version = Field("block__framework__version", "version", readonly=True)
    framework_title = Field("block__framework__title", "framework_title", readonly=True)
    block = Field("block", "block", BlockInRowWidget())
    block_title = Field("block__title", "block_title", readonly=True)
    code = Field("code", "code", TextWidget())
    label = Field("label", "label", TextWidget())
    criteria = Field("criteria", "criteria", TextWidget())
    position = Field("position", "position", IntegerWidget(required=False), default=0)
    status = Field("block__framework__status", "status", readonly=True)

    class Meta:
        model = Competency
        import_id_fields = ("block", "code")
        fields = (
            "framework",
            "version",
            "framework_title",
            "block",
            "block_title",
            "code",
            "label",
            "criteria",
            "position",
            "status",
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Competency.objects.select_related("block__framework").order_by(
            "block__framework__code",
            "block__framework__version",
            "block__position",
            "block__code",
            "position",
            "code",
        )

    def required_columns(self) -> list[str]:
        return ["framework", "version", "block", "code"]

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self.fields["block"].widget.prime(list(dataset["framework"]))

    def existing(self, dataset: Any) -> dict[Hashable, Competency]:
        block_ids = [b.pk for b in self.fields["block"].widget.blocks.values()]
        return {
            (c.block_id, c.code.lower()): c
            for c in Competency.objects.filter(block_id__in=block_ids).select_related(
                "block__framework"
            )
        }

    def row_key(self, row: dict[str, Any]) -> Hashable | None:
        # Looking up only: a new version or block is created when the row is imported.
        block = self.fields["block"].widget.block_for(row, create=False)
        code = LookupWidget.key(row.get("code"))
        return (block.pk, code) if block is not None and code else None

    def check(self, instance: Competency) -> dict[str, str]:
        if not instance.code:
            return {"code": _("This cell is empty; write the competency's code, e.g. B1.2.")}
        if not instance.label:
            return {"label": _("This cell is empty; write what the competency is.")}
        return {}


EXPORT_ONLY_LEDGER = gettext_lazy(
    "The ledger is only exported: its entries are written when results are released, when a "
    "jury decides or when a coordinator records a decision, and are never changed."
)
EXPORT_ONLY_CERTIFICATES = gettext_lazy(
    "Certificates are only exported: they are issued, revoked and renewed on screen, each with "
    "its own checks and history."
)


class EmailWidget(widgets.Widget):
    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.email if value is not None else ""


class LedgerResource(ExportOnlyResource):
    """The competency ledger, one row per entry (a correction or withdrawal is its own row)."""

    refusal = EXPORT_ONLY_LEDGER

    person = Field("person", "person_email", EmailWidget())
    kind = Field("kind", "kind")
    target = Field(column_name="target")
    framework = Field(column_name="framework")
    hours_kind = Field("hours_kind", "hours_kind")
    hours = Field("hours", "hours")
    source = Field("source", "source")
    source_reference = Field("source_reference", "source_reference")
    status = Field(column_name="status")
    effective_on = Field("effective_on", "effective_on", DateWidget())
    expires_on = Field("expires_on", "expires_on", DateWidget())
    recorded_at = Field("recorded_at", "recorded_at", DateTimeWidget())
    recorded_by = Field("recorded_by", "recorded_by", EmailWidget())
    signed_off_by = Field("signed_off_by", "signed_off_by", EmailWidget())
    supersedes = Field("supersedes_id", "supersedes_entry")
    entry = Field("pk", "entry")

    class Meta:
        model = LedgerEntry
        fields = (
            "person",
            "kind",
            "target",
            "framework",
            "hours_kind",
            "hours",
            "source",
            "source_reference",
            "status",
            "effective_on",
            "expires_on",
            "recorded_at",
            "recorded_by",
            "signed_off_by",
            "supersedes",
            "entry",
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return LedgerEntry.objects.select_related(
            "person",
            "block__framework",
            "competency__block__framework",
            "recorded_by",
            "signed_off_by",
            "superseded_by",
        ).order_by("person__email", "recorded_at", "pk")

    def dehydrate_target(self, entry: LedgerEntry) -> str:
        if entry.block is not None:
            return entry.block.code
        if entry.competency is not None:
            return entry.competency.code
        return ""

    def dehydrate_framework(self, entry: LedgerEntry) -> str:
        block = entry.block or (entry.competency.block if entry.competency else None)
        return f"{block.framework.code} v{block.framework.version}" if block else ""

    def dehydrate_status(self, entry: LedgerEntry) -> str:
        if entry.withdrawn:
            return "withdrawal"
        try:
            entry.superseded_by  # noqa: B018 - the reverse one-to-one raises when absent
        except LedgerEntry.DoesNotExist:
            return "current"
        return "superseded"

    def dehydrate_hours(self, entry: LedgerEntry) -> str:
        return "" if entry.hours is None else str(entry.hours)


class CertificateResource(ExportOnlyResource):
    """Certificates, one row per certificate (a renewal is its own row)."""

    refusal = EXPORT_ONLY_CERTIFICATES

    code = Field("code", "code")
    holder = Field("holder", "holder_email", EmailWidget())
    name_as_printed = Field("name_as_printed", "name_as_printed")
    certification = Field("certification__code", "certification")
    cycle = Field("cycle", "cycle")
    register_number = Field("register_label", "register_number")
    framework = Field(column_name="framework")
    language = Field("language", "language")
    status = Field("status", "status")
    issued_at = Field("issued_at", "issued_at", DateTimeWidget())
    valid_until = Field("valid_until", "valid_until", DateWidget())
    revoked_at = Field("revoked_at", "revoked_at", DateTimeWidget())
    renews = Field("renewed_from__code", "renews")
    issued_by = Field("issued_by", "issued_by", EmailWidget())
    verification_url = Field("verification_url", "verification_url")

    class Meta:
        model = Certificate
        fields = (
            "code",
            "holder",
            "name_as_printed",
            "certification",
            "cycle",
            "register_number",
            "framework",
            "language",
            "status",
            "issued_at",
            "valid_until",
            "revoked_at",
            "renews",
            "issued_by",
            "verification_url",
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Certificate.objects.select_related(
            "holder", "certification", "framework", "renewed_from", "issued_by"
        ).order_by("certification__code", "register_number")

    def dehydrate_framework(self, certificate: Certificate) -> str:
        framework = certificate.framework
        return f"{framework.code} v{framework.version}" if framework else ""
