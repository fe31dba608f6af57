"""Coordinator screens in the Wagtail admin: a "Certification" menu and its URLs."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_views as views

admin_urls = [
    path("referentiels/", views.framework_list, name="framework-list"),
    path("referentiels/importer/", views.framework_import, name="framework-import"),
    path("referentiels/<int:pk>/", views.framework_detail, name="framework-detail"),
    path(
        "referentiels/<int:pk>/nouvelle-version/",
        views.framework_new_version,
        name="framework-new-version",
    ),
    path("referentiels/<int:pk>/activer/", views.framework_activate, name="framework-activate"),
    path(
        "referentiels/<int:pk>/export/<str:fmt>/", views.framework_export, name="framework-export"
    ),
    path("certifications/", views.certification_list, name="certification-list"),
    path("certifications/<int:pk>/regles/", views.rules_edit, name="rules-edit"),
    path("certifications/<int:pk>/delivrer/", views.issue, name="issue"),
    path("personnes/<int:person_id>/registre/", views.ledger, name="ledger"),
    path(
        "personnes/<int:person_id>/registre/<str:what>/", views.ledger_record, name="ledger-record"
    ),
    path("registre/<int:entry_id>/retrait/", views.ledger_withdraw, name="ledger-withdraw"),
    path("certificats/", views.certificate_list, name="certificate-list"),
    path("certificats/<int:pk>/", views.certificate_detail, name="certificate-detail"),
    path("certificats/<int:pk>/renouveler/", views.certificate_renew, name="certificate-renew"),
    path("certificats/<int:pk>/<str:action>/", views.certificate_status, name="certificate-status"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("certification/", include((admin_urls, "certification_admin")))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class LazyUrlMenuItem(PermissionMenuItem):
    # Admin URLs are only resolvable once the URLconf is loaded, so reverse on use.
    def __init__(self, label, url_name, **kwargs):
        self.url_name = url_name
        super().__init__(label, "", **kwargs)

    def render_component(self, request):
        self.url = reverse(self.url_name)
        return super().render_component(request)


@hooks.register("register_admin_menu_item")
def register_certification_menu():
    items = [
        LazyUrlMenuItem(
            _("Certificates"),
            "certification_admin:certificate-list",
            permission="certification.view_certificate",
            icon_name="doc-full-inverse",
            order=100,
        ),
        LazyUrlMenuItem(
            _("Certifications and rules"),
            "certification_admin:certification-list",
            permission="certification.view_certification",
            icon_name="doc-full",
            order=200,
        ),
        LazyUrlMenuItem(
            _("Competency frameworks"),
            "certification_admin:framework-list",
            permission="certification.view_competencyframework",
            icon_name="list-ul",
            order=300,
        ),
    ]
    return SubmenuMenuItem(
        _("Certification"), Menu(items=items), icon_name="doc-full-inverse", order=250
    )
