"""Reads of the certification app, including who may see what."""

from collections import defaultdict
from dataclasses import dataclass, field

from lms.accounts.models import User

from .eligibility import (
    Eligibility,
    active_framework,
    check_eligibility,
    check_renewal,
    eligibility_for_all,
    eligible_people,
)
from .models import CompetencyFramework, LedgerEntry

__all__ = [
    "BlockHolding",
    "Eligibility",
    "active_framework",
    "check_eligibility",
    "check_renewal",
    "eligibility_for_all",
    "eligible_people",
    "holdings_for_person",
]


@dataclass
class BlockHolding:
    """One block as it stands for a person: held or not, how, and under which versions."""

    code: str
    title: str
    in_force: bool  # the block exists in the framework version in force
    acquired: bool
    entries: list[LedgerEntry] = field(default_factory=list)
    competencies_held: int = 0
    competencies_total: int = 0

    @property
    def sources(self) -> set[str]:
        return {entry.source for entry in self.entries}

    @property
    def through_vae(self) -> bool:
        return LedgerEntry.Source.VAE_DECISION in self.sources

    @property
    def how(self) -> str:
        return ", ".join(str(LedgerEntry.Source(s).label) for s in sorted(self.sources))

    @property
    def versions(self) -> list[int]:
        """Framework versions under which the entries were recorded."""
        found = set()
        for entry in self.entries:
            target = entry.block or entry.competency.block
            found.add(target.framework.version)
        return sorted(found)


def holdings_for_person(person: User, framework_code: str) -> list[BlockHolding]:
    """What ``person`` holds in a framework lineage, block by block, with how it was acquired.

    Blocks of the version in force come first (held or not); blocks acquired under an older
    version whose code no longer exists follow, marked ``in_force=False``: they stay listed.
    Matching across versions is by code (see certification.eligibility).
    """
    framework = active_framework(framework_code)
    entries = list(
        LedgerEntry.objects.in_force()
        .for_lineage(framework_code)
        .filter(person=person)
        .select_related("block__framework", "competency__block__framework")
        .order_by("effective_on", "pk")
    )
    block_entries: dict[str, list[LedgerEntry]] = defaultdict(list)
    competency_entries: dict[str, list[LedgerEntry]] = defaultdict(list)
    titles: dict[str, str] = {}
    for entry in entries:
        if entry.block_id:
            block_entries[entry.block.code].append(entry)
            titles.setdefault(entry.block.code, entry.block.title)
        else:
            block = entry.competency.block
            competency_entries[block.code].append(entry)
            titles.setdefault(block.code, block.title)
    holdings: list[BlockHolding] = []
    seen: set[str] = set()
    if framework is not None:
        for block in framework.blocks.prefetch_related("competencies"):
            seen.add(block.code)
            codes = {c.code for c in block.competencies.all()}
            held = [e for e in competency_entries[block.code] if e.competency.code in codes]
            held_codes = {e.competency.code for e in held}
            complete = bool(codes) and codes <= held_codes
            holdings.append(
                BlockHolding(
                    code=block.code,
                    title=block.title,
                    in_force=True,
                    acquired=bool(block_entries[block.code]) or complete,
                    entries=block_entries[block.code] or (held if complete else []),
                    competencies_held=len(held_codes),
                    competencies_total=len(codes),
                )
            )
    for code in sorted(set(block_entries) - seen):
        holdings.append(
            BlockHolding(
                code=code,
                title=titles[code],
                in_force=False,
                acquired=True,
                entries=block_entries[code],
            )
        )
    return holdings


def list_frameworks() -> list[CompetencyFramework]:
    """Every framework version, newest first within each lineage."""
    return list(CompetencyFramework.objects.order_by("code", "-version"))
