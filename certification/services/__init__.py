"""The only write paths of the certification app (see STYLE.md), split by sub-domain.

Import from here: ``from certification import services; services.issue_certificate(...)``.
"""

from .frameworks import activate_framework, create_framework_version, import_framework
from .ledger import record_acquisition, record_attendance_rate, record_hours, supersede_entry

__all__ = [
    "activate_framework",
    "create_framework_version",
    "import_framework",
    "record_acquisition",
    "record_attendance_rate",
    "record_hours",
    "supersede_entry",
]
