from django.urls import path

from frontend.privacy import views

app_name = "privacy"

urlpatterns = [
    path("gegevensbescherming/", views.index, name="index"),
    path("gegevensbescherming/auditlog/", views.audit_log, name="audit_log"),
    path("gegevensbescherming/auditlog/export/", views.audit_export, name="audit_export"),
    path("gegevensbescherming/auditlog/keten/", views.audit_chain, name="audit_chain"),
    path("gegevensbescherming/logcontrole/", views.reviews, name="reviews"),
    path("gegevensbescherming/logcontrole/starten/", views.start_review, name="start_review"),
    path("gegevensbescherming/logcontrole/<int:pk>/", views.review, name="review"),
    path(
        "gegevensbescherming/logcontrole/bevinding/<int:pk>/",
        views.check_finding,
        name="check_finding",
    ),
    path("gegevensbescherming/inzage/", views.overview_choose, name="overview_choose"),
    path("gegevensbescherming/inzage/<int:pk>/", views.overview, name="overview"),
    path("gegevensbescherming/inzage/<int:pk>/pdf/", views.overview_pdf, name="overview_pdf"),
    path("gegevensbescherming/bewaartermijnen/", views.retention, name="retention"),
    path("gegevensbescherming/taak/<int:pk>/opnieuw/", views.retry_run, name="retry_run"),
    path("gegevensbescherming/bewaarplicht/", views.legal_holds, name="legal_holds"),
    path("gegevensbescherming/bewaarplicht/<int:pk>/opheffen/", views.lift_hold, name="lift_hold"),
    path("gegevensbescherming/vernietigingen/", views.destructions, name="destructions"),
    path("gegevensbescherming/verwijderverzoek/", views.erasure, name="erasure"),
    path(
        "casussen/<str:reference>/betrokkenen/<int:pk>/corrigeren/",
        views.correct_person,
        name="correct_person",
    ),
]
