from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("confidentialite/", views.notice, name="notice"),
    path("espace/mes-donnees/", views.my_data, name="my-data"),
    path("espace/mes-donnees/export/", views.request_export, name="export-request"),
    path("espace/mes-donnees/export/<str:token>/", views.download_export, name="export-download"),
    path(
        "espace/mes-donnees/consentements/<int:pk>/retirer/",
        views.withdraw_consent,
        name="consent-withdraw",
    ),
    path("espace/mes-donnees/effacement/", views.request_erasure, name="erasure-request"),
    path("espace/mes-donnees/effacement/annuler/", views.cancel_erasure, name="erasure-cancel"),
]
