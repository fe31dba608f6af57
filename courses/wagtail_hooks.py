"""Coordinators' screens in the Wagtail admin: courses, modules, venues, sessions, enrolments."""

import django_filters
from django.contrib import messages
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from . import admin_views, services
from .models import Course, Enrolment, Exemption, Module, Region, Session, Venue
from .selectors import with_places


class ProtectedDeleteView(DeleteView):
    """Wagtail's delete, with a clear refusal (not a server error, nor Wagtail's "no permission"
    bounce) when enrolments, results or sessions still point at the record.

    The database decides, through Django's deletion collector: Wagtail's reference index may lag
    behind data written by imports or bulk operations."""

    def form_valid(self, form):
        kinds = self._dependent_kinds()
        if kinds:
            return self._refuse(kinds)
        self.usage = None  # the collector found no protected reference: Wagtail may delete
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError as error:  # a reference written between the check and the delete
            return self._refuse(self._kinds(error.protected_objects))

    def _dependent_kinds(self) -> list[str]:
        collector = Collector(using=router.db_for_write(type(self.object)))
        try:
            collector.collect([self.object])
        except (ProtectedError, RestrictedError) as error:
            objects = getattr(error, "protected_objects", None) or error.restricted_objects
            return self._kinds(objects)
        return []

    @staticmethod
    def _kinds(objects) -> list[str]:  # type: ignore[no-untyped-def]
        return sorted({str(obj._meta.verbose_name_plural) for obj in objects})

    def _refuse(self, kinds: list[str]):  # type: ignore[no-untyped-def]
        messages.error(
            self.request,
            _(
                "“%(object)s” cannot be deleted: other records still depend on it "
                "(%(kinds)s). Leave it as it is, or remove those records first."
            )
            % {"object": self.object, "kinds": ", ".join(kinds)},
        )
        return redirect(self.get_success_url())


class CourseViewSet(ModelViewSet):
    delete_view_class = ProtectedDeleteView
    model = Course
    name = "courses_courses"
    icon = "doc-full"
    menu_label = _("Courses")
    list_display = ["title", "total_hours", "certification", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary"]
    search_backend_name = None
    copy_view_enabled = False


class ModuleViewSet(ModelViewSet):
    delete_view_class = ProtectedDeleteView
    model = Module
    name = "courses_modules"
    icon = "list-ul"
    menu_label = _("Modules")
    list_display = ["title", "code", "course", "hours", "ethics_hours"]
    list_filter = ["course"]
    search_fields = ["title", "code"]
    search_backend_name = None


class VenueViewSet(ModelViewSet):
    delete_view_class = ProtectedDeleteView
    model = Venue
    name = "courses_venues"
    icon = "site"
    menu_label = _("Venues")
    form_fields = [
        "name",
        "town",
        "region",
        "postcode",
        "address",
        "step_free_access",
        "public_transport",
        "accessibility_notes",
        "latitude",
        "longitude",
    ]
    list_display = ["name", "town", "region", "step_free_access"]
    list_filter = ["region", "step_free_access"]
    search_fields = ["name", "town", "postcode"]
    search_backend_name = None


class SessionFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=Session.Status.choices, label=_("Status"))
    format = django_filters.ChoiceFilter(choices=Session.Format.choices, label=_("Format"))
    region = django_filters.ChoiceFilter(
        field_name="venue__region", choices=Region.choices, label=_("Region or province")
    )

    class Meta:
        model = Session
        fields = ["course", "language"]


class SessionIndexView(IndexView):
    def get_base_queryset(self):
        # Places and dates in SQL: one query for the whole page of sessions.
        return with_places(super().get_base_queryset()).select_related("course", "module", "venue")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        ns = SessionViewSet.name
        buttons.append(
            MenuItem(
                _("Enrolments"),
                url=admin_views.enrolments_url(instance),
                icon_name="group",
                priority=1,
            )
        )
        buttons.append(
            MenuItem(
                _("Duplicate to another town"),
                url=reverse(f"{ns}:duplicate", args=[instance.pk]),
                icon_name="copy",
                priority=21,
            )
        )
        actions = {
            Session.Status.DRAFT: [("publish", _("Publish"), "upload")],
            Session.Status.PUBLISHED: [
                ("reserve", _("Reserve places for a partner"), "lock"),
                ("waiting_list", _("Reorder the waiting list"), "list-ol"),
                ("offer", _("Offer the free places"), "mail"),
                ("complete", _("Mark as completed"), "check"),
                ("cancel", _("Cancel the session"), "cross"),
            ],
        }
        for name, label, icon in actions.get(instance.status, []):
            buttons.append(
                MenuItem(
                    label,
                    url=reverse(f"{ns}:{name}", args=[instance.pk]),
                    icon_name=icon,
                    priority=22,
                )
            )
        return buttons


class SessionViewSet(ModelViewSet):
    delete_view_class = ProtectedDeleteView
    model = Session
    name = "courses_sessions"
    icon = "date"
    menu_label = _("Sessions")
    index_view_class = SessionIndexView
    filterset_class = SessionFilterSet
    list_display = [
        "code",
        "title",
        "place_label",
        Column("first_starts_at", label=_("First meeting"), sort_key="first_starts_at"),
        "status",
        Column("places_left", label=_("Places left"), sort_key="places_left"),
        Column("waiting_count", label=_("Waiting")),
    ]
    search_fields = ["code", "course__title", "venue__town"]
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("duplicate/<int:pk>/", admin_views.duplicate_session, name="duplicate"),
            path("publish/<int:pk>/", admin_views.publish_session, name="publish"),
            path("cancel/<int:pk>/", admin_views.cancel_session, name="cancel"),
            path("complete/<int:pk>/", admin_views.complete_session, name="complete"),
            path("reserve/<int:pk>/", admin_views.reserve_seats, name="reserve"),
            path("offer/<int:pk>/", admin_views.offer_places, name="offer"),
            path("waiting-list/<int:pk>/", admin_views.waiting_list, name="waiting_list"),
        ]


class EnrolmentFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Enrolment.Status.choices, label=_("Status")
    )
    region = django_filters.ChoiceFilter(
        field_name="session__venue__region", choices=Region.choices, label=_("Region or province")
    )

    class Meta:
        model = Enrolment
        fields = ["session"]


class EnrolmentIndexView(IndexView):
    """Read-only list: enrolments change only through the actions (approve, refuse, cancel)."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related(
                "trainee", "session__course", "session__module", "session__venue", "reserved_for"
            )
        )

    def get_add_url(self):
        return None

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_list_more_buttons(self, instance):
        ns = EnrolmentViewSet.name
        buttons = super().get_list_more_buttons(instance)
        if instance.status == Enrolment.Status.REQUESTED:
            buttons.append(
                MenuItem(
                    _("Approve"),
                    url=reverse(f"{ns}:approve", args=[instance.pk]),
                    icon_name="check",
                )
            )
            buttons.append(
                MenuItem(
                    _("Refuse"), url=reverse(f"{ns}:refuse", args=[instance.pk]), icon_name="cross"
                )
            )
        if instance.status in (*Enrolment.SEAT_STATUSES, Enrolment.Status.WAITING_LIST):
            buttons.append(
                MenuItem(
                    _("Cancel the enrolment"),
                    url=reverse(f"{ns}:cancel", args=[instance.pk]),
                    icon_name="bin",
                )
            )
        return buttons


def _back_to_list(request, *args, **kwargs):
    return redirect(f"{EnrolmentViewSet.name}:index")


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    name = "courses_enrolments"
    icon = "group"
    menu_label = _("Enrolments")
    index_view_class = EnrolmentIndexView
    filterset_class = EnrolmentFilterSet
    form_fields = ["reserved_for"]
    list_display = [
        "trainee",
        "session",
        "status",
        Column("queue_position", label=_("Waiting-list position"), sort_key="queue_position"),
        "requested_at",
        "reserved_for",
    ]
    list_export = [
        "session_code",
        "trainee_name",
        "trainee_email",
        "status",
        "queue_position",
        "requested_at",
        "offer_expires_at",
        "reservation_label",
    ]
    export_filename = "inscriptions"
    inspect_view_enabled = True
    inspect_view_fields = [
        "trainee",
        "session",
        "status",
        "queue_position",
        "requested_at",
        "offer_expires_at",
        "reserved_for",
        "history_summary",
    ]
    search_fields = ["trainee__email", "trainee__first_name", "trainee__last_name", "session__code"]
    search_backend_name = None
    ordering = ["session", "status", "queue_position", "requested_at"]
    copy_view_enabled = False

    def get_urlpatterns(self):
        # No add, edit or delete: every change goes through a service that keeps the history.
        kept = [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in {"add", "edit", "delete"}
        ]
        return [
            *kept,
            path("new/", _back_to_list, name="add"),
            path("edit/<int:pk>/", _back_to_list, name="edit"),
            path("delete/<int:pk>/", _back_to_list, name="delete"),
            path("approve/<int:pk>/", admin_views.approve_enrolment, name="approve"),
            path("refuse/<int:pk>/", admin_views.refuse_enrolment, name="refuse"),
            path("cancel/<int:pk>/", admin_views.cancel_enrolment, name="cancel"),
        ]


class ExemptionCreateView(CreateView):
    def save_instance(self):
        # Through the service, so the coordinator is recorded as the one who granted it.
        data = self.form.cleaned_data
        return services.grant_exemption(
            person=data["person"],
            module=data["module"],
            course=data["course"],
            source=data["source"],
            reference=data["reference"],
            granted_by=self.request.user,
        )


class ExemptionViewSet(ModelViewSet):
    delete_view_class = ProtectedDeleteView
    model = Exemption
    name = "courses_exemptions"
    icon = "tick-inverse"
    menu_label = _("Exemptions")
    add_view_class = ExemptionCreateView
    form_fields = ["person", "course", "module", "source", "reference"]
    list_display = ["person", "course", "module", "source", "reference", "granted_by", "granted_at"]
    list_filter = ["source", "course", "module"]
    search_fields = ["person__email", "person__first_name", "person__last_name", "reference"]
    search_backend_name = None
    copy_view_enabled = False


class TrainingGroup(ModelViewSetGroup):
    menu_label = _("Training")
    menu_icon = "calendar"
    menu_order = 200
    items = (
        SessionViewSet,
        EnrolmentViewSet,
        CourseViewSet,
        ModuleViewSet,
        VenueViewSet,
        ExemptionViewSet,
    )


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingGroup()
