"""URLs of a region's domain."""

from django.urls import include, path

from meldpunt.public_urls import public_urls

urlpatterns = [
    path("accounts/", public_urls("frontend.users.sign_in_urls")),  # before allauth's
    path("accounts/", public_urls("allauth.urls")),
    path("i18n/", public_urls("django.conf.urls.i18n")),
    path("", include("frontend.public.urls")),
    path("", include("frontend.home.urls")),
    path("", include("frontend.cases.urls")),
    path("", include("frontend.meetings.urls")),
    path("", include("frontend.users.urls")),
    path("", include("frontend.beheer.mail_urls")),  # before beheer/<section>/
    path("", include("frontend.beheer.identity_urls")),  # before beheer/<section>/
    path("", include("frontend.beheer.urls")),
    path("", include("frontend.privacy.urls")),
    path("", include("frontend.statistiek.urls")),
    path("", include("frontend.preventie.urls")),
    path("", include("frontend.portal.urls")),
    path("", include("api.urls")),
]

# Under /api/ the errors Django itself answers are JSON in the API's one shape.
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
