"""The identity providers' screens, at the same address on a region's domain (for
the regiobeheerder) and on the platform's (for national administrators)."""

from django.urls import path

from frontend.beheer import identity_views

app_name = "identity_providers"

urlpatterns = [
    path("beheer/inloggen/", identity_views.provider_list, name="list"),
    path("beheer/inloggen/nieuw/", identity_views.provider_form, name="new"),
    path("beheer/inloggen/<int:pk>/", identity_views.provider_form, name="edit"),
]
