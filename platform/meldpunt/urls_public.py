"""URLs of the platform domain, for national administrators."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("national.urls")),
    path("", include("benchmark.urls")),
]
