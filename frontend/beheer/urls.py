from django.urls import path

from frontend.beheer import matching_views, register_views, views

app_name = "beheer"

urlpatterns = [
    path("beheer/", register_views.index, name="index"),
    path("beheer/instellingen/", register_views.region_settings, name="settings"),
    path(
        "beheer/landelijke-signalering/",
        matching_views.matching_settings,
        name="matching",
    ),
    path("beheer/werkproces/", views.workflow_versions, name="workflow_versions"),
    path("beheer/werkproces/nieuw/", views.workflow_new_draft, name="workflow_new_draft"),
    path("beheer/werkproces/<int:version>/", views.workflow_version, name="workflow_version"),
    path(
        "beheer/werkproces/<int:version>/activeren/",
        views.workflow_activate,
        name="workflow_activate",
    ),
    path(
        "beheer/werkproces/<int:version>/verwijderen/",
        views.workflow_discard,
        name="workflow_discard",
    ),
    path(
        "beheer/werkproces/<int:version>/stappen/nieuw/",
        views.workflow_step,
        name="workflow_step_new",
    ),
    path(
        "beheer/werkproces/<int:version>/stappen/<slug:code>/",
        views.workflow_step,
        name="workflow_step",
    ),
    path("beheer/configuratie/export/", views.configuration_export, name="export"),
    path("beheer/configuratie/import/", views.configuration_import, name="import"),
    path("beheer/<slug:section>/", register_views.section_list, name="register"),
    path("beheer/<slug:section>/nieuw/", register_views.section_form, name="register_new"),
    path("beheer/<slug:section>/<int:pk>/", register_views.section_form, name="register_edit"),
]
