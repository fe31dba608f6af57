"""Coordinators reach the attendance warnings and result history from the Wagtail admin menu."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import selectors


class CoordinationMenuItem(MenuItem):
    def is_shown(self, request):  # type: ignore[no-untyped-def]
        return selectors.is_coordinator(request.user)


@hooks.register("register_admin_menu_item")
def register_coordination_menu_item() -> MenuItem:
    return CoordinationMenuItem(
        _("Attendance and results"),
        reverse_lazy("grading:coordination"),
        name="grading-coordination",
        icon_name="tasks",
        order=260,
    )
