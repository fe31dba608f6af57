from django.urls import path  # noqa: F401 - views are added by the issues that build this app

app_name = "courses"

urlpatterns: list = []
