from django.urls import path

from frontend import case_views, register_views, views
from frontend import configuration_views as beheer

app_name = "frontend"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("casussen/", case_views.cases, name="cases"),
    path("casussen/nieuw/", case_views.intake, name="intake"),
    path("casussen/<str:reference>/", case_views.case_detail, name="case"),
    path("casussen/<str:reference>/stap/", case_views.move_case, name="case_move"),
    path("casussen/<str:reference>/screening/", case_views.record_outcome, name="case_outcome"),
    path("casussen/<str:reference>/notitie/", case_views.record_note, name="case_note"),
    path("casussen/<str:reference>/vraag/", case_views.ask_reporter, name="case_question"),
    path(
        "casussen/<str:reference>/terugkoppeling/", case_views.record_feedback, name="case_feedback"
    ),
    path("casussen/<str:reference>/gegevens/", case_views.set_details, name="case_details"),
    path("gebruikers/", views.user_list, name="users"),
    path("gebruikers/nieuw/", views.user_invite, name="user_invite"),
    path("gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
    path("beheer/", register_views.index, name="configuration"),
    path("beheer/instellingen/", register_views.region_settings, name="region_settings"),
    path("beheer/werkproces/", beheer.workflow_versions, name="workflow_versions"),
    path("beheer/werkproces/nieuw/", beheer.workflow_new_draft, name="workflow_new_draft"),
    path("beheer/werkproces/<int:version>/", beheer.workflow_version, name="workflow_version"),
    path(
        "beheer/werkproces/<int:version>/activeren/",
        beheer.workflow_activate,
        name="workflow_activate",
    ),
    path(
        "beheer/werkproces/<int:version>/verwijderen/",
        beheer.workflow_discard,
        name="workflow_discard",
    ),
    path(
        "beheer/werkproces/<int:version>/stappen/nieuw/",
        beheer.workflow_step,
        name="workflow_step_new",
    ),
    path(
        "beheer/werkproces/<int:version>/stappen/<slug:code>/",
        beheer.workflow_step,
        name="workflow_step",
    ),
    path("beheer/configuratie/export/", beheer.configuration_export, name="configuration_export"),
    path("beheer/configuratie/import/", beheer.configuration_import, name="configuration_import"),
    path("beheer/<slug:section>/", register_views.section_list, name="register"),
    path("beheer/<slug:section>/nieuw/", register_views.section_form, name="register_new"),
    path("beheer/<slug:section>/<int:pk>/", register_views.section_form, name="register_edit"),
]
