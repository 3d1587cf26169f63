from django.urls import path

from frontend.cases import casework, comensha, transfers, views

app_name = "cases"

urlpatterns = [
    path("casussen/", views.cases, name="list"),
    path("casussen/nieuw/", views.intake, name="intake"),
    path("mijn-casussen/", views.my_cases, name="mine"),
    path("casussen/<str:reference>/", views.case_detail, name="detail"),
    path("casussen/<str:reference>/stap/", views.move_case, name="move"),
    path("casussen/<str:reference>/afronden/", views.complete_case, name="complete"),
    path("casussen/<str:reference>/plan/", casework.plan, name="plan"),
    path(
        "casussen/<str:reference>/plan/versie/<int:version>/",
        views.plan_version,
        name="plan_version",
    ),
    path(
        "casussen/<str:reference>/plan/acties/<int:pk>/",
        casework.record_task,
        {"kind": "actie", "outcome": "bijwerken"},
        name="plan_action",
    ),
    path(
        "casussen/<str:reference>/informatieverzoek/<int:pk>/<str:outcome>/",
        casework.record_task,
        {"kind": "informatieverzoek"},
        name="information_request",
    ),
    path(
        "casussen/<str:reference>/doorverwijzing/<int:pk>/besluit/",
        casework.record_task,
        {"kind": "doorverwijzing", "outcome": "besluit"},
        name="referral_decision",
    ),
    path(
        "casussen/<str:reference>/toestemming/<int:pk>/intrekken/",
        casework.record_task,
        {"kind": "toestemming", "outcome": "intrekken"},
        name="consent_withdraw",
    ),
    path("casussen/<str:reference>/overdragen/", transfers.propose, name="transfer_propose"),
    path("overdrachten/", transfers.transfer_list, name="transfers"),
    path("overdrachten/<int:pk>/", transfers.transfer_detail, name="transfer"),
    path("overdrachten/<int:pk>/aanvaarden/", transfers.accept, name="transfer_accept"),
    path("casussen/<str:reference>/comensha/", comensha.prepare, name="comensha"),
    path(
        "casussen/<str:reference>/comensha/<int:pk>/",
        comensha.registration,
        name="comensha_registration",
    ),
    path(
        "casussen/<str:reference>/comensha/<int:pk>/<str:fmt>/",
        comensha.registration_download,
        name="comensha_download",
    ),
    path("casussen/<str:reference>/documenten/<int:pk>/", views.download_document, name="document"),
    path("casussen/<str:reference>/<slug:task>/", casework.case_task, name="task"),
]
