"""Verification screens served in the visitor's language (under i18n_patterns)."""

from django.urls import path

from . import i18n_views as views

app_name = "verification"

urlpatterns = [
    path("partenaires/lot/", views.bulk_check, name="bulk-check"),
    path("certificats/<str:code>/", views.certificate_settings, name="certificate-settings"),
    path(
        "certificats/<str:code>/credential/",
        views.credential_download,
        name="credential-download",
    ),
]
