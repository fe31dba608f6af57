"""Header navigation: the home page of the current language and its menu children."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_pages(context) -> list[Page]:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    home = site.root_page.localized
    return list(home.get_children().live().in_menu().specific().order_by("path"))


@register.simple_tag(takes_context=True)
def home_url(context) -> str:
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page.localized.url if site else "/"
