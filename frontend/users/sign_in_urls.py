"""The sign-in's own addresses (allauth's), before allauth's URLs in both URL confs:
the same views, with the providers in the sign-in page's form-action and a Dutch page
for a provider that is down."""

from django.urls import path

from frontend.users import sign_in

urlpatterns = [
    path("login/", sign_in.login_page),
    path("oidc/<str:provider_id>/login/", sign_in.provider_login),
    path("oidc/<str:provider_id>/login/callback/", sign_in.provider_callback),
]
