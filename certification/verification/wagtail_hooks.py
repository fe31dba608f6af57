"""Wagtail admin: a "Partner API keys" item for coordinators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views as views

admin_urls = [
    path("", views.api_key_list, name="api-key-list"),
    path("nouvelle/", views.api_key_create, name="api-key-create"),
    path("<int:pk>/revoquer/", views.api_key_revoke, name="api-key-revoke"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("cles-api/", include((admin_urls, "verification_admin")))]


class ApiKeysMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("verification.view_apikey")

    def render_component(self, request):
        # Admin URLs can only be reversed once the URLconf is loaded.
        self.url = reverse("verification_admin:api-key-list")
        return super().render_component(request)


@hooks.register("register_admin_menu_item")
def register_api_keys_menu():
    return ApiKeysMenuItem(_("Partner API keys"), "", icon_name="key", order=260)
