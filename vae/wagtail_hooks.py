"""A link to the VAE staff screens (/vae/gestion/) in the Wagtail admin menu, for coordinators."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.accounts.roles import Role


class VaeMenuItem(MenuItem):
    def is_shown(self, request):  # type: ignore[no-untyped-def]
        return request.user.is_authenticated and request.user.has_role(Role.COORDINATOR)

    def render_component(self, request):  # type: ignore[no-untyped-def]
        # The site URLs (inside i18n_patterns) resolve only once the URLconf is loaded.
        self.url = reverse("vae:staff-list")
        return super().render_component(request)


@hooks.register("register_admin_menu_item")
def register_vae_menu_item():  # type: ignore[no-untyped-def]
    return VaeMenuItem(_("VAE candidacies"), "", icon_name="user", order=260)
