"""seed_demo step: a finished import of Moodle's sample "Upload users" file."""

from django.urls import reverse

from . import registry, services
from .models import ImportJob

DEMO_FILE = "moodle-upload-users-demo.csv"


def seed(context) -> None:
    """One finished import by the demo coordinator (found again, never redone, on a rerun)."""
    coordinator = context.objects["people"]["coordination"]
    job = ImportJob.objects.filter(exchange="users", original_name=DEMO_FILE).first()
    if job is None:
        sample = registry.sample_path("users")
        content = sample.read_bytes() if sample is not None else b""
        job = services.create_import_job(
            name="users", filename=DEMO_FILE, content=content, actor=coordinator
        )
        job = services.start_check(job=job)
        job = services.confirm_import_job(job=job, actor=coordinator)
    context.objects["import_job"] = job
    context.sections.append(
        (
            "Import and export (admin → Import and export)",
            [
                f"A Moodle users file imported by the coordinator: {job.new_count} new people, "
                f"status {job.status}: {reverse('dataexchange_job', args=[job.pk])}",
                "Operators: python manage.py export_data users people.xlsx",
            ],
        )
    )
