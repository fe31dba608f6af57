"""seed_demo step: privacy notice consents and one erasure request waiting for review."""

from django.db import transaction

from lms.accounts.roles import Role

from . import services
from .models import ConsentRecord, ErasureRequest

# Noah asked for his data to be erased: coordinators find the request in the admin.
ERASURE_DEMO_PERSON = "noah"


@transaction.atomic
def seed(context) -> None:  # type: ignore[no-untyped-def]
    people = context.objects["people"]
    for user in people.values():
        if user.has_role(Role.TRAINEE):
            services.record_consent(user=user, purpose=ConsentRecord.Purpose.PRIVACY_NOTICE)
    noah = people[ERASURE_DEMO_PERSON]
    # Once: after a coordinator handles it, loading the demo again does not ask again.
    if not ErasureRequest.objects.filter(user=noah).exists():
        services.request_erasure(user=noah)
    pending = ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING).count()
    context.report["privacy"] = {"pending_erasure_requests": pending}
    context.sections.append(
        (
            "Privacy",
            [
                f"{pending} erasure request(s) waiting in the admin: Settings → Erasure requests",
                "Privacy notice: /confidentialite/ · a person's data: /espace/mes-donnees/",
            ],
        )
    )
