"""The Reports page in the admin menu, for people allowed to see reports (coordinators)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_reports_urls():
    return [
        path("reports/", views.report_index, name="reports_index"),
        path(
            "reports/<slug:section>/<slug:table>.<str:fmt>",
            views.report_table,
            name="reports_table",
        ),
        path("reports/research/", views.research_export, name="reports_research"),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.VIEW)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    # Named apart from Wagtail's own "Reports" menu (locked pages, workflows…).
    return ReportsMenuItem(
        _("Activity reports"),
        reverse("reports_index"),
        name="activity-reports",
        icon_name="table",
        order=280,
    )
