from django.urls import path

from . import views

app_name = "grading"

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path(
        "sessions/<int:session_id>/feuille-de-presence.pdf",
        views.attendance_sheet,
        name="attendance-sheet",
    ),
    path(
        "sessions/<int:session_id>/evaluations/nouvelle/",
        views.assessment_create,
        name="assessment-create",
    ),
    path("sessions/<int:session_id>/rattrapage/", views.make_up, name="make-up"),
    path("seances/<int:meeting_id>/presences/", views.attendance, name="attendance"),
    path("evaluations/<int:assessment_id>/grille/", views.grid, name="grid"),
    path("evaluations/<int:assessment_id>/pret/", views.mark_ready, name="mark-ready"),
    path("evaluations/<int:assessment_id>/publier/", views.release, name="release"),
    path(
        "evaluations/<int:assessment_id>/modele.<str:fmt>",
        views.import_template,
        name="import-template",
    ),
    path("evaluations/<int:assessment_id>/importer/", views.import_grades, name="import"),
    path("resultats/<int:result_id>/modifier/", views.change_result, name="change-result"),
    path("resultats/<int:result_id>/a-refaire/", views.ask_repeat, name="ask-repeat"),
    path("resultats/<int:result_id>/historique/", views.result_history, name="result-history"),
    path("mes-resultats/", views.my_results, name="my-results"),
    path("coordination/", views.coordination, name="coordination"),
]
