"""Write paths of competency frameworks: versions, activation, import."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Competency, CompetencyBlock, CompetencyFramework

Status = CompetencyFramework.Status


def _next_version(code: str) -> int:
    latest = CompetencyFramework.objects.filter(code=code).aggregate(Max("version"))
    return (latest["version__max"] or 0) + 1


@transaction.atomic
def create_framework_version(*, framework: CompetencyFramework) -> CompetencyFramework:
    """Copy ``framework`` with its blocks and competencies into a new draft version.

    This is the only way to change a framework in force: edit the draft, then activate it.
    """
    # Lock every version of the lineage so two coordinators do not both create version n+1.
    list(CompetencyFramework.objects.select_for_update().filter(code=framework.code))
    draft = CompetencyFramework.objects.create(
        code=framework.code,
        version=_next_version(framework.code),
        title=framework.title,
        description=framework.description,
        status=Status.DRAFT,
    )
    for block in framework.blocks.prefetch_related("competencies"):
        new_block = CompetencyBlock.objects.create(
            framework=draft,
            code=block.code,
            title=block.title,
            description=block.description,
            position=block.position,
        )
        Competency.objects.bulk_create(
            Competency(
                block=new_block,
                code=competency.code,
                label=competency.label,
                criteria=competency.criteria,
                position=competency.position,
            )
            for competency in block.competencies.all()
        )
    return draft


@transaction.atomic
def activate_framework(*, framework: CompetencyFramework) -> CompetencyFramework:
    """Put a draft version in force and retire the version it replaces.

    Acquisitions recorded under the retired version keep counting for blocks of the same code.
    """
    framework = CompetencyFramework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != Status.DRAFT:
        raise ValidationError(_("Only a draft version can be put in force."))
    if not framework.blocks.exists():
        raise ValidationError(_("A framework needs at least one block before it is put in force."))
    now = timezone.now()
    # Retire first: the database allows a single active version per framework code.
    for previous in CompetencyFramework.objects.select_for_update().filter(
        code=framework.code, status=Status.ACTIVE
    ):
        previous.status = Status.RETIRED
        previous.retired_at = now
        previous.save(update_fields=["status", "retired_at"])
    framework.status = Status.ACTIVE
    framework.activated_at = now
    framework.save(update_fields=["status", "activated_at"])
    return framework


@transaction.atomic
def import_framework(*, data: dict) -> CompetencyFramework:
    """Create a new draft version from exported data (see certification.exchange)."""
    code = str(data.get("code") or "").strip()
    if not code:
        raise ValidationError(_("The file does not say which framework it describes (code)."))
    blocks = data.get("blocks") or []
    if not blocks:
        raise ValidationError(_("The file describes no block."))
    list(CompetencyFramework.objects.select_for_update().filter(code=code))
    framework = CompetencyFramework(
        code=code,
        version=_next_version(code),
        title=str(data.get("title") or code),
        description=str(data.get("description") or ""),
        status=Status.DRAFT,
    )
    framework.full_clean(exclude=["status"])
    framework.save()
    seen: set[str] = set()
    for position, block_data in enumerate(blocks):
        block_code = str(block_data.get("code") or "").strip()
        if not block_code or block_code in seen:
            raise ValidationError(
                _("Block %(position)s has no code or repeats one.") % {"position": position + 1}
            )
        seen.add(block_code)
        block = CompetencyBlock.objects.create(
            framework=framework,
            code=block_code,
            title=str(block_data.get("title") or block_code),
            description=str(block_data.get("description") or ""),
            position=position,
        )
        Competency.objects.bulk_create(
            Competency(
                block=block,
                code=str(item["code"]).strip(),
                label=str(item.get("label") or item["code"]),
                criteria=str(item.get("criteria") or ""),
                position=index,
            )
            for index, item in enumerate(block_data.get("competencies") or [])
        )
    return framework
