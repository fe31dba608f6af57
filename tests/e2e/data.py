"""What the journeys need in the database, built with the suite's factories."""

from wagtail.models import Locale, Site

from cms_pages.models import SessionFinderPage
from courses.models import Region
from lms.accounts.roles import Role
from tests.courses.factories import CourseFactory, SessionFactory, VenueFactory
from tests.lms.factories import UserFactory


def catalogue():
    """A session finder (in French, and its Dutch translation under /nl/) with a session in
    Liège and one in Namur; returns (finder, liege, namur)."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    finder = home.add_child(
        instance=SessionFinderPage(title="Trouver une session", slug="sessions")
    )
    dutch = Locale.objects.get(language_code="nl")
    if home.get_translation_or_none(dutch) is None:
        # Editors translate the content; this is what they would write.
        home_nl = home.copy_for_translation(dutch)
        home_nl.intro = "<p>Opleiding en certificering van ervaringsdeskundigen.</p>"
        home_nl.save_revision().publish()
    finder_nl = finder.copy_for_translation(dutch)
    finder_nl.title = finder_nl.draft_title = "Een sessie vinden"
    finder_nl.save_revision().publish()
    course = CourseFactory(title="Formation de base à la pair-aidance")
    trainer = UserFactory(display_name="Marc D.", role=Role.TRAINER)
    liege = SessionFactory(
        course=course,
        code="LIE-1",
        venue=VenueFactory(name="Centre culturel", town="Liège", region=Region.LIEGE),
    )
    namur = SessionFactory(
        course=course,
        code="NAM-1",
        venue=VenueFactory(name="Maison des associations", town="Namur", region=Region.NAMUR),
    )
    for session in (liege, namur):
        session.trainers.add(trainer)
    return finder, liege, namur
