from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/lu/", views.mark_read, name="mark-read"),
    path("<int:notification_id>/non-lu/", views.mark_unread, name="mark-unread"),
    path("tout-lu/", views.mark_all_read, name="mark-all-read"),
    path("preferences/", views.preferences, name="preferences"),
]
