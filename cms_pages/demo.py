"""Demo editorial content for seed_demo: home page and standard pages in fr, en and nl."""

from django.db import transaction
from wagtail.models import Locale, Site

from .models import HomePage, SiteIdentity, StandardPage

HOME = {
    "fr": {
        "title": "Parcours",
        "intro": "<p>La formation et la certification des <b>pairs-aidants</b> en Wallonie et à Bruxelles.</p>",
        "body": [
            ("heading", {"text": "Se former près de chez soi", "level": "h2"}),
            (
                "paragraph",
                "<p>Vous avez traversé des problèmes de santé mentale, d'assuétude ou de précarité, "
                "et vous voulez mettre cette expérience au service d'autres personnes ? "
                "Nos sessions ont lieu à Bruxelles, Namur, Liège, Charleroi, Mons et en ligne.</p>",
            ),
            (
                "quote",
                {
                    "text": "Mon vécu est devenu une compétence que je peux partager.",
                    "attribution": "Une pair-aidante formée en 2024",
                },
            ),
        ],
    },
    "en": {
        "title": "Parcours",
        "intro": "<p>Training and certification for <b>peer helpers</b> in Wallonia and Brussels.</p>",
        "body": [
            ("heading", {"text": "Train close to home", "level": "h2"}),
            (
                "paragraph",
                "<p>You went through mental-health problems, addiction or precarity and want to put "
                "that experience at the service of others? Our sessions run in Brussels, Namur, "
                "Liège, Charleroi, Mons and online.</p>",
            ),
        ],
    },
    "nl": {
        "title": "Parcours",
        "intro": "<p>Opleiding en certificering van <b>ervaringsdeskundigen</b> in Wallonië en Brussel.</p>",
        "body": [
            ("heading", {"text": "Dicht bij huis een opleiding volgen", "level": "h2"}),
            (
                "paragraph",
                "<p>U heeft psychische problemen, verslaving of armoede meegemaakt en wilt die "
                "ervaring inzetten voor anderen? Onze sessies vinden plaats in Brussel, Namen, "
                "Luik, Charleroi, Bergen en online.</p>",
            ),
        ],
    },
}

PAGES = [
    {
        "slug": "a-propos",
        "fr": (
            "À propos",
            "Parcours est la plateforme de formation des pairs-aidants, portée par des "
            "organismes de formation belges.",
        ),
        "en": (
            "About",
            "Parcours is the training platform for peer helpers, run by Belgian training bodies.",
        ),
        "nl": (
            "Over ons",
            "Parcours is het opleidingsplatform voor ervaringsdeskundigen, gedragen door Belgische opleidingscentra.",
        ),
    },
    {
        "slug": "la-formation",
        "fr": (
            "Comment se déroule la formation",
            "Des modules en petits groupes, un stage accompagné, et un certificat reconnu par nos partenaires.",
        ),
        "en": (
            "How the training works",
            "Modules in small groups, a supported internship, and a certificate our partners recognise.",
        ),
        "nl": (
            "Hoe de opleiding verloopt",
            "Modules in kleine groepen, een begeleide stage en een certificaat dat onze partners erkennen.",
        ),
    },
]


def _set_home_content(home: HomePage, content: dict) -> None:
    home.title = content["title"]
    home.draft_title = content["title"]
    home.intro = content["intro"]
    home.body = content["body"]
    home.save_revision().publish()


@transaction.atomic
def seed_pages() -> HomePage:
    """Fill the home page, translate it, and add the standard pages (idempotent)."""
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not home.body:
        _set_home_content(home, HOME["fr"])
    SiteIdentity.objects.update_or_create(
        site=site,
        defaults={
            "organisation_name": "Parcours — formation des pairs-aidants",
            "contact_email": "contact@parcours.example",
            "footer_text": "Une démonstration : toutes les personnes et données sont fictives.",
        },
    )
    for spec in PAGES:
        page = home.get_children().filter(slug=spec["slug"]).first()
        if page is None:
            title, intro = spec["fr"]
            page = StandardPage(title=title, slug=spec["slug"], intro=intro, show_in_menus=True)
            home.add_child(instance=page)
            page.save_revision().publish()
    for code in ("en", "nl"):
        locale = Locale.objects.get(language_code=code)
        translated_home = home.get_translation_or_none(locale)
        if translated_home is None:
            translated_home = home.copy_for_translation(locale)
            _set_home_content(translated_home, HOME[code])
        for spec in PAGES:
            original = home.get_children().get(slug=spec["slug"]).specific
            if original.get_translation_or_none(locale) is None:
                title, intro = spec[code]
                copy = original.copy_for_translation(locale)
                copy.title = title
                copy.draft_title = title
                copy.intro = intro
                copy.save_revision().publish()
    return home


def seed(context) -> None:
    """seed_demo step: editorial pages in three languages."""
    context.objects["home"] = seed_pages()


@transaction.atomic
def seed_catalogue(context) -> None:
    """seed_demo step: the course index with one page per course, and the session finder."""
    from courses.models import Course

    from .models import CourseIndexPage, CoursePage, SessionFinderPage

    home = Site.objects.get(is_default_site=True).root_page.specific
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title="Nos formations",
            slug="catalogue",
            intro="<p>Des formations pour devenir pair-aidant, et pour continuer à se former "
            "une fois en poste.</p>",
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for course in Course.objects.filter(is_published=True).order_by("title"):
        if not CoursePage.objects.filter(course=course).exists():
            page = CoursePage(
                title=course.title,
                slug=course.slug,
                course=course,
                intro=course.summary,
                body=[
                    (
                        "paragraph",
                        "<p>Les sessions ont lieu en petits groupes de 10 à 15 personnes, animées "
                        "par des formateurs qui sont souvent eux-mêmes pairs-aidants.</p>",
                    )
                ],
            )
            index.add_child(instance=page)
            page.save_revision().publish()
    if not SessionFinderPage.objects.child_of(home).exists():
        finder = SessionFinderPage(
            title="Trouver une session",
            slug="sessions",
            intro="<p>Choisissez une région, une date ou une formation : toutes les sessions "
            "près de chez vous et en ligne.</p>",
            show_in_menus=True,
        )
        home.add_child(instance=finder)
        finder.save_revision().publish()
    _translate_catalogue(home)


CATALOGUE_TITLES = {
    "en": {"catalogue": "Our courses", "sessions": "Find a session"},
    "nl": {"catalogue": "Onze opleidingen", "sessions": "Een sessie vinden"},
}


def _translate_catalogue(home: HomePage) -> None:
    """English and Dutch copies of the catalogue pages (course titles stay as written)."""
    from .models import CourseIndexPage, SessionFinderPage

    originals = [
        *CourseIndexPage.objects.child_of(home).filter(locale=home.locale),
        *SessionFinderPage.objects.child_of(home).filter(locale=home.locale),
    ]
    for code, titles in CATALOGUE_TITLES.items():
        locale = Locale.objects.get(language_code=code)
        for original in originals:
            tree = [original, *original.get_descendants().specific()]
            for page in tree:
                if page.get_translation_or_none(locale) is not None:
                    continue
                copy = page.specific.copy_for_translation(locale)
                title = titles.get(page.slug)
                if title:
                    copy.title = copy.draft_title = title
                copy.save_revision().publish()
