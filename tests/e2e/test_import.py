"""A coordinator imports a Moodle users file: upload, check with a live progress bar, preview,
confirm, progress bar again, and the result on screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lms.accounts.models import User
from lms.accounts.roles import Role
from lms.celery import app
from lms.dataexchange import services
from lms.dataexchange.models import ImportJob
from lms.dataexchange.tasks import check_import_job_task, run_import_job_task
from tests.brokers import use_broker
from tests.lms.factories import UserFactory

from .helpers import LANGUAGES, LOCALES, axe_check, screenshot, t, tn, visit

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


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_coordinator_imports_a_csv_with_the_progress_bar(
    new_context, login_as, settings, tmp_path, queued_tasks, language
):
    settings.DATAEXCHANGE_BACKGROUND_ROWS = 10  # this file counts as a large one
    coordinator = UserFactory(
        email="sophie@example.org", role=Role.COORDINATOR, preferred_language=language
    )
    page = new_context(locale=LOCALES[language]).new_page()
    login_as(page.context, coordinator)
    journey = f"import-{language}"

    visit(page, reverse("dataexchange_import", args=["users"]), journey=journey, step="1-upload")
    page.get_by_label(t("File to import", language)).set_input_files(str(moodle_file(tmp_path)))
    page.get_by_role("button", name=t("Check the file", language)).click()

    # Checking runs in the background: the page shows a progress bar and waits.
    progress = page.locator("progress#job-progress")
    progress_text = page.locator("[data-progress-text]")
    expect(progress).to_be_visible()
    expect(progress).to_have_js_property("max", ROWS)
    expect(progress).to_have_js_property("value", 0)
    expect(page.get_by_text(t("Checking the file…", language))).to_be_visible()
    axe_check(page)
    screenshot(page, journey, "2-checking")
    job = ImportJob.objects.get()
    # The worker reports how far it got (every PROGRESS_EVERY rows): the bar follows by itself.
    report = services._reporter(job.pk)
    report(ROWS // 2)
    expect(progress).to_have_js_property("value", ROWS // 2)
    expect(progress_text).to_have_text(f"{ROWS // 2} / {ROWS} (50 %)")
    check_import_job_task.apply(args=[job.pk])

    # The page notices by itself and shows the preview.
    expect(
        page.get_by_role("heading", name=t("What this file would change", language))
    ).to_be_visible(timeout=15000)
    axe_check(page)
    screenshot(page, journey, "3-preview")
    page.get_by_role("button", name=t("Import these rows", language)).click()

    # Importing runs in the background too: the bar starts again and fills up to the total.
    expect(progress).to_be_visible()
    expect(page.get_by_text(t("Importing…", language))).to_be_visible()
    expect(progress).to_have_js_property("max", ROWS)
    axe_check(page)
    report(ROWS)
    expect(progress).to_have_js_property("value", ROWS)
    expect(progress_text).to_have_text(f"{ROWS} / {ROWS} (100 %)")
    screenshot(page, journey, "4-importing")
    run_import_job_task.apply(args=[job.pk])

    # The page notices the end and says what was imported, in numbers.
    expect(page.get_by_role("heading", name=t("What was imported", language))).to_be_visible(
        timeout=15000
    )
    expect(progress).to_have_count(0)
    main = page.locator("main")
    expect(main).to_contain_text(tn("%(counter)s new row", "%(counter)s new rows", ROWS, language))
    expect(main).to_contain_text(
        tn("%(counter)s row with an error", "%(counter)s rows with an error", 0, language)
    )
    axe_check(page)
    screenshot(page, journey, "5-done")
    assert User.objects.filter(email__endswith="@exemple.be").count() == ROWS
