from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("", views.my_certificates, name="my-certificates"),
    path("nom-imprime/", views.printed_name, name="printed-name"),
    path("certificats/<str:code>/pdf/", views.download_certificate, name="certificate-download"),
    path(
        "releve/<slug:certification_code>/", views.download_transcript, name="transcript-download"
    ),
]
