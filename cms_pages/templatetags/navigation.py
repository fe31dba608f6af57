"""Header navigation: the home page of the current language and its menu children."""

from django import template
from django.utils import translation
from wagtail.contrib.settings.context_processors import SettingProxy
from wagtail.models import Page, Site

register = template.Library()


def _home(request) -> Page | None:
    """The site's home page in the active language, looked up once per request and language
    (the header asks for it twice)."""
    if request is None:
        return None
    language = translation.get_language()
    cached = getattr(request, "_navigation_home", None)
    if cached is not None and cached[0] == language:
        return cached[1]
    site = Site.find_for_request(request)
    home = site.root_page.localized if site is not None else None
    request._navigation_home = (language, home)
    return home


@register.simple_tag(takes_context=True)
def menu_pages(context) -> list[Page]:
    home = _home(context.get("request"))
    if home is None:
        return []
    return list(home.get_children().live().in_menu().specific().order_by("path"))


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    home = _home(context.get("request"))
    return home.url if home is not None else "/"


@register.simple_tag(takes_context=True)
def default_site_settings(context) -> SettingProxy:
    """``{% get_settings use_default_site=True %}``, without looking the default site up again
    when the request's site (already found for the header) is the default one."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None or not site.is_default_site:
        site = Site.objects.get(is_default_site=True)
    return SettingProxy(request_or_site=site)
