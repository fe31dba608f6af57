"""The "Import and export" screens in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import selectors, views


@hooks.register("register_admin_urls")
def register_dataexchange_urls():
    return [
        path("data/", views.index, name="dataexchange_index"),
        path("data/jobs/<int:pk>/", views.job_detail, name="dataexchange_job"),
        path("data/jobs/<int:pk>/progress/", views.job_progress, name="dataexchange_job_progress"),
        path("data/jobs/<int:pk>/confirm/", views.job_confirm, name="dataexchange_job_confirm"),
        path("data/jobs/<int:pk>/cancel/", views.job_cancel, name="dataexchange_job_cancel"),
        path("data/jobs/<int:pk>/file/", views.job_file, name="dataexchange_job_file"),
        path("data/<slug:name>/import/", views.upload, name="dataexchange_import"),
        path("data/<slug:name>/export/<str:fmt>/", views.export, name="dataexchange_export"),
        path("data/<slug:name>/template/<str:fmt>/", views.template, name="dataexchange_template"),
    ]


class DataExchangeMenuItem(MenuItem):
    def is_shown(self, request):  # type: ignore[no-untyped-def]
        return bool(selectors.exchanges_for(request.user))


@hooks.register("register_admin_menu_item")
def register_dataexchange_menu_item() -> MenuItem:
    return DataExchangeMenuItem(
        _("Import and export"),
        reverse("dataexchange_index"),
        name="dataexchange",
        icon_name="download",
        order=270,
    )
