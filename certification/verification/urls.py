"""Language-neutral public URLs (a public contract: /v/<CODE>, /api/v1/…, /.well-known/…)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
