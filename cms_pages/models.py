"""Wagtail page models: editorial content only (domain data lives in the other apps)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

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
