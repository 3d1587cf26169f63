"""URLs of the platform domain, for national administrators."""

from django.urls import include, path

from meldpunt.public_urls import public_urls

urlpatterns = [
    path("accounts/", public_urls("frontend.users.sign_in_urls")),  # before allauth's
    path("accounts/", public_urls("allauth.urls")),
    path("i18n/", public_urls("django.conf.urls.i18n")),
    path("", include("national.urls")),
    path("", include("benchmark.urls")),
    path("", include("frontend.users.api_token_urls")),
    path("", include("frontend.beheer.mail_urls")),
    path("", include("frontend.beheer.identity_urls")),
    path("", include("api.platform_urls")),
]

handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
