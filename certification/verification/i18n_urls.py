"""Verification screens served in the visitor's language (under i18n_patterns)."""

from django.urls import path  # noqa: F401

app_name = "verification"

urlpatterns: list = []
