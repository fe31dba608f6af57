from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("sessions/<int:session_id>/", views.session_redirect, name="session"),
    path("sessions/<int:session_id>/calendar.ics", views.session_calendar, name="session-calendar"),
    path("sessions/<int:session_id>/inscription/", views.enrol, name="enrol"),
    path("mes-inscriptions/", views.my_enrolments, name="my-enrolments"),
    path("inscriptions/<int:enrolment_id>/annuler/", views.cancel, name="cancel"),
    path("inscriptions/<int:enrolment_id>/accepter/", views.accept_offer, name="accept-offer"),
    path("inscriptions/<int:enrolment_id>/decliner/", views.decline_offer, name="decline-offer"),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("calendrier/nouvelle-adresse/", views.regenerate_feed, name="regenerate-feed"),
]
