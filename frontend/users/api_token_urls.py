"""One's own personal API tokens, at the same address on a region's domain (in
frontend.users.urls) and on the platform's (meldpunt.urls_public), in the namespace
"users" on both, so that the screen and its templates serve both."""

from django.urls import path

from frontend.users import api_tokens

app_name = "users"

urlpatterns = [
    path("account/api-sleutels/", api_tokens.api_token_list, name="api_tokens"),
    path(
        "account/api-sleutels/<int:pk>/intrekken/",
        api_tokens.api_token_revoke,
        name="api_token_revoke",
    ),
]
