"""The privacy app's own personal data: consents, export archives, erasure requests."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User

from . import services
from .models import ConsentRecord, DataExport, ErasureRequest
from .registry import Export, PersonalData, Provider


def export(user: User) -> Export:
    return Export(
        data={
            "consents": [
                {
                    "purpose": c.purpose,
                    "text_version": c.text_version,
                    "given_at": c.given_at,
                    "withdrawn_at": c.withdrawn_at,
                }
                for c in ConsentRecord.objects.filter(user=user).order_by("given_at", "pk")
            ],
            "data_exports": [
                {"requested_at": e.requested_at, "status": e.status}
                for e in DataExport.objects.filter(user=user).order_by("requested_at", "pk")
            ],
            "erasure_requests": [
                {"requested_at": r.requested_at, "status": r.status, "reason": r.reason}
                for r in ErasureRequest.objects.filter(user=user).order_by("requested_at", "pk")
            ],
        }
    )


def erase(user: User, *, actor: User) -> dict[str, int]:
    consents, _d = ConsentRecord.objects.filter(user=user).delete()
    names = [
        n for n in DataExport.objects.filter(user=user).values_list("file_name", flat=True) if n
    ]
    exports, _d = DataExport.objects.filter(user=user).delete()
    # Archives hold everything about the person: they go too (after commit, like evidence).
    transaction.on_commit(lambda: [services.storage().delete(n) for n in names])
    return {"consents": consents, "exports": exports}


def retention(*, now: datetime) -> dict[str, int]:
    return {"exports": services.delete_expired_exports(now=now)}


PROVIDER = Provider(
    name="privacy",
    label=_("Your privacy choices"),
    order=95,
    declares=(
        PersonalData(
            models=("privacy.ConsentRecord",),
            what=_("Which version of this notice you accepted, and when."),
            why=_("To show that you were informed."),
            kept=_("As long as your account exists."),
            on_erasure=_("Deleted."),
        ),
        PersonalData(
            models=("privacy.DataExport", "privacy.ErasureRequest"),
            what=_("Your requests to download or erase your data."),
            why=_("To carry them out, and to show that we did."),
            kept=lambda: (
                _("Download files %(days)s days; requests for good.")
                % {"days": services.export_days()}
            ),
            on_erasure=_(
                "Download files are deleted; the erasure request stays, without your details, "
                "as the record that it was done."
            ),
        ),
    ),
    export=export,
    erase=erase,
    retention=retention,
)
