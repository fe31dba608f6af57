"""Header navigation: the home page of the current language and its menu children."""

from django import template
from django.utils import translation
from wagtail.models import Page, Site

register = template.Library()


def _localized_home(request) -> Page | None:
    """The site's home page in the active language, looked up once per request and language.

    Both header tags need it, and ``Page.localized`` queries the locale each time it is read.
    """
    if request is None:
        return None
    cache = request.__dict__.setdefault("_parcours_localized_home", {})
    language = translation.get_language()
    if language not in cache:
        site = Site.find_for_request(request)
        cache[language] = site.root_page.localized if site else None
    return cache[language]


@register.simple_tag(takes_context=True)
def menu_pages(context) -> list[Page]:
    home = _localized_home(context.get("request"))
    if home is None:
        return []
    return list(home.get_children().live().in_menu().specific().order_by("path"))


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    home = _localized_home(context.get("request"))
    return home.url if home is not None else "/"
