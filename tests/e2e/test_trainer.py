"""A trainer takes attendance, fills the grading grid, and releases the results."""

import pytest
from playwright.sync_api import expect

from courses.grading.models import Result
from lms.accounts.roles import Role
from tests.grading.factories import make_assessment, make_session
from tests.lms.factories import UserFactory

from .helpers import LANGUAGES, LOCALES, checked, prefix, screenshot, t, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_trainer_takes_attendance_grades_and_releases(new_context, login_as, language):
    trainer = UserFactory(
        email="marc@example.org", first_name="Marc", role=Role.TRAINER, preferred_language=language
    )
    trainees = [
        UserFactory(
            email="julie@example.org", first_name="Julie", last_name="Lambert", role=Role.TRAINEE
        ),
        UserFactory(
            email="kevin@example.org", first_name="Kevin", last_name="Dupont", role=Role.TRAINEE
        ),
    ]
    session = make_session(trainer=trainer, trainees=trainees, criteria=2)
    assessment = make_assessment(session, trainer)
    meeting = session.meetings.order_by("starts_at").first()
    page = new_context(locale=LOCALES[language]).new_page()
    login_as(page.context, trainer)
    space = f"{prefix(language)}/formateur"
    journey = f"trainer-{language}"

    # The trainer space, then the attendance of the first meeting.
    visit(page, f"{space}/", journey=journey, step="1-home")
    visit(page, f"{space}/sessions/{session.pk}/", journey=journey, step="2-session")
    visit(page, f"{space}/seances/{meeting.pk}/presences/", journey=journey, step="3-attendance")
    page.locator(f"input[name=t{trainees[0].pk}-status][value=present]").check()
    page.locator(f"input[name=t{trainees[1].pk}-status][value=late]").check()
    page.locator(f"#t{trainees[1].pk}-minutes").fill("15")
    page.get_by_role("button", name=t("Save attendance", language)).click()
    checked(page, journey=journey, step="4-attendance-saved")
    expect(page.get_by_role("main")).to_contain_text(t("Attendance saved. Thank you.", language))

    # The grading grid: a level and a justification in every cell.
    visit(page, f"{space}/evaluations/{assessment.pk}/grille/", journey=journey, step="5-grid")
    grid = page.locator("table.grading-grid")
    for select in grid.locator("select").all():
        select.select_option("acquired")
    for textarea in grid.locator("textarea[name$='-why']").all():
        textarea.fill("Observé pendant la mise en situation.")
    for textarea in grid.locator("textarea[name$='-feedback']").all():
        textarea.fill("Bon travail, belle écoute.")
    page.get_by_role("button", name=t("Save the grid", language)).click()
    checked(page, journey=journey, step="6-grid-saved")
    expect(page.get_by_role("main")).to_contain_text(
        t("Grades saved. Trainees see nothing until you release.", language)
    )

    # Ready for review, then the confirmation page, then the release.
    page.get_by_role("button", name=t("Mark ready for review", language)).click()
    checked(page, journey=journey, step="7-release-confirm")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Release the results", language))
    page.get_by_role("button", name=t("Yes, release these results", language)).click()
    checked(page, journey=journey, step="8-released")
    expect(page.get_by_role("main")).to_contain_text(
        t(
            "%(count)s results released. The trainees are told by email and in their space.",
            language,
        )
        % {"count": 2}
    )

    # The grid now shows the released state, locked.
    visit(page, f"{space}/evaluations/{assessment.pk}/grille/")
    rows = page.locator("table.grading-grid tbody tr")
    expect(rows).to_have_count(2)
    for row in rows.all():
        expect(row).to_contain_text(t("Released", language))
    expect(page.locator("table.grading-grid select")).to_have_count(0)
    screenshot(page, journey, "9-grid-released")
    assert set(Result.objects.values_list("status", flat=True)) == {Result.Status.RELEASED}
