from django.urls import path

from frontend.portal import views

app_name = "portal"

urlpatterns = [
    path("partner/", views.inbox, name="inbox"),
    path("partner/verzoeken/<int:pk>/", views.item_detail, {"kind": "verzoek"}, name="request"),
    path(
        "partner/doorverwijzingen/<int:pk>/",
        views.item_detail,
        {"kind": "doorverwijzing"},
        name="referral",
    ),
    path("partner/melden/", views.report_choice, name="report_choice"),
    path("partner/melden/<slug:form_code>/", views.report_form, name="report_form"),
    path("partner/meldingen/<int:pk>/", views.report_detail, name="report"),
]
