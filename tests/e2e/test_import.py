"""A coordinator imports a Moodle users file: upload, check with a live progress bar, preview,
confirm, progress bar again, and the result on screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.celery import app
from lms.dataexchange.models import ImportJob
from lms.dataexchange.tasks import check_import_job_task, run_import_job_task
from tests.brokers import use_broker
from tests.lms.factories import UserFactory

from .helpers import axe_check, screenshot, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = 30


@pytest.fixture
def queued_tasks():
    """Tasks go to an in-memory queue that no worker reads: the job waits, as it does while a
    real worker is busy, until the test runs the task itself."""
    previous_eager, previous_broker = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    use_broker("memory://")
    yield
    app.conf.task_always_eager = previous_eager
    use_broker(previous_broker)


def moodle_file(tmp_path):
    lines = ["username,firstname,lastname,email,lang,city"]
    lines += [
        f"user{n},Prénom{n},Nom{n},personne{n}@exemple.be,{'nl' if n % 3 else 'fr'},Namur"
        for n in range(ROWS)
    ]
    path = tmp_path / "utilisateurs-moodle.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_coordinator_imports_a_csv_with_the_progress_bar(
    page, login_as, settings, tmp_path, queued_tasks
):
    settings.DATAEXCHANGE_BACKGROUND_ROWS = 10  # this file counts as a large one
    coordinator = UserFactory(email="sophie@example.org", role=Role.COORDINATOR)
    login_as(page.context, coordinator)

    visit(page, reverse("dataexchange_import", args=["users"]), journey="import", step="1-upload")
    page.get_by_label("Fichier à importer").set_input_files(str(moodle_file(tmp_path)))
    page.get_by_role("button", name="Vérifier le fichier").click()

    # Checking runs in the background: the page shows a progress bar and waits.
    progress = page.locator("progress#job-progress")
    expect(progress).to_be_visible()
    expect(page.get_by_text("Vérification du fichier…")).to_be_visible()
    axe_check(page)
    screenshot(page, "import", "2-checking")
    job = ImportJob.objects.get()
    check_import_job_task.apply(args=[job.pk])

    # The page notices by itself and shows the preview.
    expect(page.get_by_role("heading", name="Ce que ce fichier changerait")).to_be_visible(
        timeout=15000
    )
    axe_check(page)
    screenshot(page, "import", "3-preview")
    page.get_by_role("button", name="Importer ces lignes").click()

    expect(page.locator("progress#job-progress")).to_be_visible()
    expect(page.get_by_text("Import en cours…")).to_be_visible()
    screenshot(page, "import", "4-importing")
    run_import_job_task.apply(args=[job.pk])

    expect(page.get_by_role("heading", name="Ce qui a été importé")).to_be_visible(timeout=15000)
    axe_check(page)
    screenshot(page, "import", "5-done")
    assert User.objects.filter(email__endswith="@exemple.be").count() == ROWS
