"""Who may see which datasets and imports."""

from django.db.models import QuerySet
from django.http import Http404

from lms.accounts.models import User

from . import registry
from .models import ImportJob


def exchanges_for(user: User) -> list[registry.Exchange]:
    """The datasets ``user`` may import or export (each dataset's permission)."""
    if not user.is_authenticated:
        return []
    return [exchange for exchange in registry.all_exchanges() if user.has_perm(exchange.permission)]


def jobs_for(user: User) -> QuerySet[ImportJob]:
    """Imports of the datasets ``user`` may use, newest first (shared by the whole team)."""
    names = [exchange.name for exchange in exchanges_for(user)]
    return ImportJob.objects.filter(exchange__in=names).select_related("created_by")


def get_job_for_user(user: User, pk: int) -> ImportJob:
    """One import, or 404 when it does not exist or ``user`` may not use its dataset."""
    job = jobs_for(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
