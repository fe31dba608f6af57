"""How much data a benchmark scale means."""

from dataclasses import asdict, dataclass

# The federation-wide deployment; "small" is the same shape fifty times smaller.
LARGE_TRAINEES = 50_000
SMALL_TRAINEES = 1_000


@dataclass(frozen=True)
class Scale:
    """Row counts of one scale, all derived from the number of trainees."""

    trainees: int
    courses: int
    sessions: int
    enrolments: int
    ledger_entries: int
    certificates: int
    candidacies: int

    @classmethod
    def for_trainees(cls, trainees: int) -> "Scale":
        """The large scale's proportions applied to ``trainees`` people."""
        trainees = max(int(trainees), 20)
        return cls(
            trainees=trainees,
            courses=max(trainees // 50, 2),
            sessions=max(trainees // 5, 4),
            enrolments=trainees * 5,
            ledger_entries=trainees * 10,
            certificates=trainees * 3 // 5,
            candidacies=max(trainees // 10, 2),
        )

    @classmethod
    def parse(cls, text: str) -> "Scale":
        """``small``, ``large`` or a number of trainees."""
        named = {"small": SMALL_TRAINEES, "large": LARGE_TRAINEES}
        if text in named:
            return cls.for_trainees(named[text])
        try:
            return cls.for_trainees(int(text))
        except ValueError:
            raise ValueError(f"--scale must be small, large or a number, not {text!r}") from None

    def as_dict(self) -> dict[str, int]:
        return asdict(self)
