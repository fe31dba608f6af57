"""Operations records that point at a staff member who acted: no personal data of their own.

A failed task names who ran it again; an import job names the coordinator who uploaded the file.
The uploaded files themselves hold other people's data and are deleted
``DATAEXCHANGE_KEEP_FILES_DAYS`` after the import ends (``purge-import-files``).
"""

from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User
from lms.privacy.registry import Export, Provider


def export(user: User) -> Export:
    return Export()


def erase(user: User, *, actor: User) -> dict[str, int]:
    # The links stay, pointing at the pseudonymised account, like the audit trail's.
    return {}


PROVIDER = Provider(
    name="operations",
    label=_("Operations"),
    declares=(),
    export=export,
    erase=erase,
    staff_links=("core.FailedTask", "dataexchange.ImportJob"),
)
