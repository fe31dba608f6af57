"""Wagtail page models: editorial content only (domain data lives in the other apps)."""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page, PageViewRestriction, Site

from courses import links as course_links
from courses import selectors as course_selectors
from courses.filters import SessionFilter
from courses.ics import session_ics

from . import catalogue
from .blocks import BodyBlock


class HomePage(Page):
    """The site's front page, one per language."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    template = "cms_pages/home_page.html"

    class Meta:
        verbose_name = _("home page")


class StandardPage(Page):
    """A plain content page: about, privacy, how training works, contact."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    template = "cms_pages/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who runs this Parcours site, shown in the footer."""

    organisation_name = models.CharField(_("organisation name"), max_length=150, default="Parcours")
    contact_email = models.EmailField(_("contact email"), blank=True)
    footer_text = models.CharField(_("footer text"), max_length=300, blank=True)

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("site identity")


# --- Catalogue: courses and the session finder ---------------------------------------------------
# These pages hold editorial text only; courses, sessions and places come from courses.selectors.

SESSIONS_PER_PAGE = 20
COURSES_PER_PAGE = 20


def public_pages(pages):
    """``pages.public()`` within the same query.

    Wagtail's ``public()`` first loads every view restriction (one more query) to build its
    filter; here a page is left out when a restriction sits on it or on one of its ancestors,
    that is on a page whose tree path starts the page's own.
    """
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.exclude(Exists(restricted))


class CourseIndexPage(Page):
    """Lists the courses (its child course pages) with their next sessions."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms_pages.CoursePage"]
    template = "cms_pages/course_index_page.html"

    class Meta:
        verbose_name = _("course index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A page of courses at a time: a federation's catalogue can hold a thousand.
        page_obj = Paginator(
            public_pages(CoursePage.objects.child_of(self).live())
            .defer_streamfields()  # the cards do not show the body
            .filter(course__is_published=True)
            .select_related("course__certification")
            .order_by("path"),
            COURSES_PER_PAGE,
        ).get_page(request.GET.get("page"))
        course_pages = list(page_obj.object_list)
        upcoming = course_selectors.list_upcoming_sessions_for_courses(
            course_ids=[p.course_id for p in course_pages]
        )
        finder = SessionFinderPage.for_locale()
        # Addresses, labels and sentences of the cards, worked out once here (see catalogue.py).
        catalogue.prepare_course_pages(course_pages, request)
        catalogue.prepare_sessions(
            (session for sessions in upcoming.values() for session in sessions),
            finder.session_url_maker(request) if finder else None,
        )
        context["course_pages"] = [(p, upcoming.get(p.course_id, [])) for p in course_pages]
        context["page_obj"] = page_obj
        context["finder"] = finder
        return context


class CoursePage(Page):
    """One course: editorial introduction, then its modules, hours, competencies and sessions."""

    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        related_name="pages",
        verbose_name=_("course"),
    )
    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("course"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cms_pages.CourseIndexPage"]
    subpage_types: list[str] = []
    template = "cms_pages/course_page.html"

    class Meta:
        verbose_name = _("course page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = course_selectors.get_course_for_public(course_id=self.course_id)
        context["course"] = course
        if course is not None:
            context["modules"] = list(course.modules.all())
            context["blocks"] = course_selectors.competencies_by_block(course)
            context["sessions"] = list(
                course_selectors.list_sessions_for_catalogue(course=course)[:12]
            )
        context["finder"] = SessionFinderPage.for_locale()
        return context


class SessionFinderPage(RoutablePageMixin, Page):
    """Find a session near you; each session has its own page under this one."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types: list[str] = []
    template = "cms_pages/session_finder_page.html"

    class Meta:
        verbose_name = _("session finder page")

    @classmethod
    def for_locale(cls) -> "SessionFinderPage | None":
        """The live finder in the current language, else any live finder."""
        # One query: the public live finders (one per language at most) with their locale.
        finders = list(public_pages(cls.objects.live()).select_related("locale").order_by("path"))
        if not finders:
            return None
        try:
            language_code = get_supported_content_language_variant(translation.get_language())
        except LookupError:
            language_code = None
        for finder in finders:
            if finder.locale.language_code == language_code:
                return finder
        # No finder in the active language: Wagtail's active locale may still be another one
        # (the default locale when the active language has none), as it was looked up before.
        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            return finders[0]
        return next((f for f in finders if f.locale_id == locale.pk), finders[0])

    def session_url_maker(self, request):
        """A function of a session id giving its page address, as ``routablepageurl`` does.

        The finder's own address is resolved once, not once per session listed.
        """
        site = Site.find_for_request(request)
        base_url = self.relative_url(site, request)
        if not base_url.endswith("/"):
            base_url += "/"

        def session_url(session_id: int) -> str:
            return base_url + self.reverse_subpage("session_detail", args=[session_id])

        return session_url

    @path("")
    def finder(self, request):
        filterset = SessionFilter(request.GET or None)
        sessions = (
            filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        )
        page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "filter": filterset,
                "page_obj": page,
                "sessions": page.object_list,
                "is_filtered": bool(request.GET.dict().keys() - {"page"}),
            },
        )

    @path("<int:session_id>/")
    def session_detail(self, request, session_id: int):
        session = course_selectors.get_session_for_public(session_id=session_id)
        my_enrolment = (
            course_selectors.get_active_enrolment(user=request.user, session=session)
            if request.user.is_authenticated
            else None
        )
        return self.render(
            request,
            template="cms_pages/session_detail.html",
            context_overrides={
                "session": session,
                "meetings": list(session.meetings.all()),
                "trainers": list(session.trainers.all()),
                "my_enrolment": my_enrolment,
                "enrolment_state": session.enrolment_state(session.first_starts_at, timezone.now()),
            },
        )

    # Wagtail's page URLs cannot contain a dot, so the file name comes from Content-Disposition.
    @path("<int:session_id>/calendrier/")
    def session_calendar(self, request, session_id: int):
        session = course_selectors.get_session_for_public(session_id=session_id)
        response = HttpResponse(session_ics(session), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{session.code}.ics"'
        return response


@course_links.register_session_url
def _session_page_path(session) -> str | None:
    finder = SessionFinderPage.for_locale()
    if finder is None:
        return None
    return finder.url + finder.reverse_subpage("session_detail", args=[session.pk])
