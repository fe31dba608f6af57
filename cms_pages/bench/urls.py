"""The product's URLs plus the bench floor's JSON view. Used only by ``manage.py bench`` (through
override_settings) and the load test (``cms_pages.bench.settings``), never by the product."""

from django.urls import path

from lms.urls import urlpatterns as product_urlpatterns

from . import views

urlpatterns = [
    path("__bench__/json/", views.json_floor, name="bench-json-floor"),
    *product_urlpatterns,
]
