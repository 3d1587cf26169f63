"""The failed-mail screen, at the same address on a region's domain (for the
regiobeheerder) and on the platform's (for national administrators)."""

from django.urls import path

from frontend.beheer import mail_views

app_name = "failed_mail"

urlpatterns = [
    path("beheer/mislukte-mail/", mail_views.failed_mail_list, name="list"),
]
