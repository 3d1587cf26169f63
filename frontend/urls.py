from django.urls import path

from frontend import configuration_views as beheer
from frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("gebruikers/", views.user_list, name="users"),
    path("gebruikers/nieuw/", views.user_invite, name="user_invite"),
    path("gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
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
]
