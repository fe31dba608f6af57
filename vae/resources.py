"""Export of VAE jury outcomes: decision facts only.

One row per jury decision: the candidacy reference, the target certification, the overall
result, the date, the blocks acquired and not acquired, the modules exempted, and whether an
appeal replaced it. Never the lived-experience narrative, the evidence, the justifications or the
recommendations (health data and personal reasoning stay in the candidacy file). Export-only: a
jury decision is signed by its chair on screen and never changes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from import_export.fields import Field

from lms.dataexchange.natural import DateTimeWidget, ExportOnlyResource

from .models import BlockOutcome, JuryDecision

EXPORT_ONLY_VAE = gettext_lazy(
    "VAE outcomes are only exported: each jury decision is signed by the jury's chair on screen "
    "and is never changed; an appeal records a new decision."
)


class VaeOutcomeResource(ExportOnlyResource):
    refusal = EXPORT_ONLY_VAE

    candidacy = Field("candidacy__reference", "candidacy")
    certification = Field("candidacy__certification__code", "certification")
    overall = Field("overall", "overall")
    decided_at = Field("decided_at", "decided_at", DateTimeWidget())
    blocks_acquired = Field(column_name="blocks_acquired")
    blocks_not_acquired = Field(column_name="blocks_not_acquired")
    modules_exempted = Field(column_name="modules_exempted")
    replaced_on_appeal = Field(column_name="replaced_on_appeal")

    class Meta:
        model = JuryDecision
        fields = (
            "candidacy",
            "certification",
            "overall",
            "decided_at",
            "blocks_acquired",
            "blocks_not_acquired",
            "modules_exempted",
            "replaced_on_appeal",
        )

    def get_queryset(self):  # type: ignore[no-untyped-def]
        # ``defer`` keeps the encrypted recommendations and justifications out of memory.
        return (
            JuryDecision.objects.select_related("candidacy__certification", "superseded_by")
            .defer("recommendations")
            .prefetch_related(
                Prefetch(
                    "outcomes",
                    queryset=BlockOutcome.objects.select_related("block").defer("justification"),
                ),
                "exempted_modules",
            )
            .order_by("decided_at", "pk")
        )

    def _blocks(self, decision: JuryDecision, acquired: bool) -> str:
        return ", ".join(o.block.code for o in decision.outcomes.all() if o.acquired is acquired)

    def dehydrate_blocks_acquired(self, decision: JuryDecision) -> str:
        return self._blocks(decision, True)

    def dehydrate_blocks_not_acquired(self, decision: JuryDecision) -> str:
        return self._blocks(decision, False)

    def dehydrate_modules_exempted(self, decision: JuryDecision) -> str:
        return ", ".join(sorted(m.code for m in decision.exempted_modules.all()))

    def dehydrate_replaced_on_appeal(self, decision: JuryDecision) -> str:
        try:
            decision.superseded_by  # noqa: B018 - the reverse one-to-one raises when absent
        except JuryDecision.DoesNotExist:
            return "no"
        return "yes"

    def dehydrate_candidacy(self, decision: JuryDecision) -> Any:
        return decision.candidacy.reference
