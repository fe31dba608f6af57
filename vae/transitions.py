"""The candidacy status machine: which status may follow which (one table, read by services).

Anchored on the French state VAE platform: one candidacy, one status, a full history.
"""

from django.utils.translation import gettext_lazy as _

DRAFT = "draft"
SUBMITTED = "submitted"
INCOMPLETE = "incomplete"
RESUBMITTED = "resubmitted"
ADMISSIBLE = "admissible"
NOT_ADMISSIBLE = "not_admissible"
PORTFOLIO_IN_PROGRESS = "portfolio_in_progress"
PORTFOLIO_SUBMITTED = "portfolio_submitted"
JURY_SCHEDULED = "jury_scheduled"
DECIDED = "decided"
APPEALED = "appealed"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
LAPSED = "lapsed"

STATUS_CHOICES = [
    (DRAFT, _("Draft")),
    (SUBMITTED, _("Submitted")),
    (INCOMPLETE, _("Incomplete")),
    (RESUBMITTED, _("Resubmitted")),
    (ADMISSIBLE, _("Admissible")),
    (NOT_ADMISSIBLE, _("Not admissible")),
    (PORTFOLIO_IN_PROGRESS, _("Portfolio in progress")),
    (PORTFOLIO_SUBMITTED, _("Portfolio submitted")),
    (JURY_SCHEDULED, _("Jury scheduled")),
    (DECIDED, _("Decided")),
    (APPEALED, _("Appealed")),
    (CLOSED, _("Closed")),
    (WITHDRAWN, _("Withdrawn")),
    (LAPSED, _("Lapsed")),
]

# Statuses in which the candidate is expected to act: inactivity there leads to a lapse.
WAITING_FOR_CANDIDATE = frozenset({DRAFT, INCOMPLETE, ADMISSIBLE, PORTFOLIO_IN_PROGRESS})
# Statuses in which the candidate may still edit their file.
EDITABLE = WAITING_FOR_CANDIDATE
TERMINAL = frozenset({CLOSED, WITHDRAWN})
FINISHED = frozenset({CLOSED, WITHDRAWN, LAPSED, NOT_ADMISSIBLE, DECIDED})

# from → allowed targets. A lapsed candidacy returns only to the status it lapsed from
# (checked in the service with ``previous_status``), so LAPSED lists every such status.
ALLOWED: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, WITHDRAWN, LAPSED}),
    SUBMITTED: frozenset({INCOMPLETE, ADMISSIBLE, NOT_ADMISSIBLE, WITHDRAWN}),
    INCOMPLETE: frozenset({RESUBMITTED, WITHDRAWN, LAPSED}),
    RESUBMITTED: frozenset({INCOMPLETE, ADMISSIBLE, NOT_ADMISSIBLE, WITHDRAWN}),
    ADMISSIBLE: frozenset({PORTFOLIO_IN_PROGRESS, WITHDRAWN, LAPSED}),
    NOT_ADMISSIBLE: frozenset({CLOSED}),
    PORTFOLIO_IN_PROGRESS: frozenset({PORTFOLIO_SUBMITTED, WITHDRAWN, LAPSED}),
    PORTFOLIO_SUBMITTED: frozenset({JURY_SCHEDULED, PORTFOLIO_IN_PROGRESS, WITHDRAWN}),
    JURY_SCHEDULED: frozenset({DECIDED, WITHDRAWN}),
    DECIDED: frozenset({APPEALED, CLOSED}),
    APPEALED: frozenset({DECIDED}),
    LAPSED: frozenset(WAITING_FOR_CANDIDATE),
    CLOSED: frozenset(),
    WITHDRAWN: frozenset(),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED.get(from_status, frozenset())
