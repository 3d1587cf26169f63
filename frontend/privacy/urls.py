from django.urls import path

from frontend.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.index, name="index"),
    path("privacy/auditlog/", views.audit_log, name="audit_log"),
    path("privacy/auditlog/export/", views.audit_export, name="audit_export"),
    path("privacy/logcontrole/", views.reviews, name="reviews"),
    path("privacy/logcontrole/<int:pk>/", views.review, name="review"),
    path("privacy/logcontrole/bevinding/<int:pk>/", views.check_finding, name="check_finding"),
    path("privacy/inzage/", views.overview_choose, name="overview_choose"),
    path("privacy/inzage/<int:pk>/", views.overview, name="overview"),
    path("privacy/inzage/<int:pk>/pdf/", views.overview_pdf, name="overview_pdf"),
    path("privacy/bewaartermijnen/", views.retention, name="retention"),
    path("privacy/bewaarplicht/", views.legal_holds, name="legal_holds"),
    path("privacy/bewaarplicht/<int:pk>/opheffen/", views.lift_hold, name="lift_hold"),
    path("privacy/vernietigingen/", views.destructions, name="destructions"),
    path("privacy/verwijderverzoek/", views.erasure, name="erasure"),
    path(
        "casussen/<str:reference>/betrokkenen/<int:pk>/corrigeren/",
        views.correct_person,
        name="correct_person",
    ),
]
