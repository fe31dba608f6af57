"""The only write paths of the certification app (see STYLE.md), split by sub-domain.

Import from here: ``from certification import services; services.issue_certificate(...)``.
"""

from .certificates import (
    CertificationError,
    enqueue_certificate_pdf,
    expire_certificates,
    issue_certificate,
    issue_certificates,
    issue_if_eligible,
    issue_where_eligible,
    printed_name_for,
    reinstate_certificate,
    render_certificate_pdf,
    renew_certificate,
    revoke_certificate,
    set_printed_name,
    suspend_certificate,
    sweep_certificates_without_pdf,
)
from .frameworks import activate_framework, create_framework_version, import_framework
from .ledger import record_acquisition, record_attendance_rate, record_hours, supersede_entry

__all__ = [
    "CertificationError",
    "enqueue_certificate_pdf",
    "expire_certificates",
    "issue_certificate",
    "issue_certificates",
    "issue_if_eligible",
    "issue_where_eligible",
    "printed_name_for",
    "reinstate_certificate",
    "render_certificate_pdf",
    "renew_certificate",
    "revoke_certificate",
    "set_printed_name",
    "suspend_certificate",
    "sweep_certificates_without_pdf",
    "activate_framework",
    "create_framework_version",
    "import_framework",
    "record_acquisition",
    "record_attendance_rate",
    "record_hours",
    "supersede_entry",
]
