from django.urls import path

from frontend.public import views as public_views

app_name = "public"

urlpatterns = [
    path("melden/", public_views.report_choice, name="report_choice"),
    path("melden/ontvangen/", public_views.report_received, name="report_received"),
    path("melden/<slug:form_code>/", public_views.report_form, name="report_form"),
    path("melding/volgen/", public_views.follow, name="follow"),
    path("melding/volgen/status/", public_views.follow_status, name="follow_status"),
    path("melding/volgen/afsluiten/", public_views.follow_end, name="follow_end"),
    path("privacy/", public_views.privacy, name="privacy"),
]
