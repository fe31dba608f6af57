from django.urls import path

from . import views

app_name = "vae"

urlpatterns = [
    path("", views.my_candidacies, name="my-candidacies"),
    path("<int:pk>/", views.candidacy_detail, name="candidacy-detail"),
    path("<int:pk>/experiences/", views.experiences, name="experiences"),
    path(
        "<int:pk>/experiences/<int:experience_pk>/supprimer/",
        views.remove_experience,
        name="experience-remove",
    ),
    path("<int:pk>/auto-evaluation/", views.self_assessment_start, name="self-assessment"),
    path(
        "<int:pk>/auto-evaluation/<int:block_pk>/",
        views.self_assessment,
        name="self-assessment-block",
    ),
    path("<int:pk>/pieces/", views.evidence, name="evidence"),
    path(
        "<int:pk>/pieces/<int:evidence_pk>/supprimer/",
        views.remove_evidence,
        name="evidence-remove",
    ),
    path("<int:pk>/vecu/", views.lived_experience, name="lived-experience"),
    path("<int:pk>/declaration/", views.statement, name="statement"),
    path("<int:pk>/action/<slug:action>/", views.candidate_action, name="candidate-action"),
    path("pieces/<int:pk>/telecharger/", views.download_evidence, name="evidence-download"),
    path("gestion/", views.staff_list, name="staff-list"),
    path("gestion/jurys/", views.jury_sessions, name="jury-sessions"),
    path("gestion/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("gestion/<int:pk>/recevabilite/", views.staff_admissibility, name="staff-admissibility"),
    path("gestion/<int:pk>/accompagnateur/", views.staff_counsellor, name="staff-counsellor"),
    path("gestion/<int:pk>/cloturer/", views.staff_close, name="staff-close"),
    path("gestion/<int:pk>/jury/", views.staff_schedule, name="staff-schedule"),
    path("gestion/<int:pk>/conflit/", views.conflict_declaration, name="conflict-declaration"),
    path("gestion/<int:pk>/decision/", views.jury_decision, name="jury-decision"),
]
