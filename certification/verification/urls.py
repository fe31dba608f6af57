"""Language-neutral public URLs (a public contract: /v/<CODE>, /api/v1/…, /.well-known/…)."""

from django.urls import path

from . import api, views

urlpatterns = [
    path("v/", views.verify_form, name="verification-form"),
    path("v/<str:code>", views.verify, name="verification-page"),
    path("api/v1/openapi.json", api.openapi, name="verification-openapi"),
    path("api/v1/certificates/verify", api.verify_batch, name="verification-api-batch"),
    path("api/v1/certificates/<str:code>", api.certificate_detail, name="verification-api-detail"),
    path(
        "api/v1/certificates/<str:code>/credential",
        api.credential,
        name="verification-api-credential",
    ),
    path("api/v1/status-lists/<int:number>", api.status_list, name="verification-status-list"),
    path(".well-known/jwks.json", api.jwks, name="verification-jwks"),
    path(".well-known/did.json", api.did_document, name="verification-did"),
]
