"""Celery tasks of the VAE app: no arguments with personal data, each calls one service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def warn_and_lapse_candidacies_task() -> None:
    """Daily: warn candidates inactive for a long time, then lapse those still inactive."""
    services.warn_and_lapse_inactive_candidacies()


@shared_task(ignore_result=True)
def apply_vae_retention_task() -> None:
    """Daily: erase evidence and narratives of candidacies finished long ago, and delete drafts
    abandoned for a long time."""
    services.apply_retention()
    services.delete_abandoned_drafts()
    services.delete_identity_documents()
