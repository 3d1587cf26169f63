"""URLs of a region's domain."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.public_urls")),
    path("", include("frontend.urls")),
]
