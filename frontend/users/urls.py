from django.urls import path

from frontend.users import api_token_urls, views

app_name = "users"

urlpatterns = [
    path("gebruikers/", views.user_list, name="list"),
    path("gebruikers/nieuw/", views.user_invite, name="invite"),
    path("gebruikers/<int:pk>/", views.user_edit, name="edit"),
    path("gebruikers/roltoekenningen/", views.grant_list, name="grants"),
    path("gebruikers/roltoekenningen/<int:pk>/", views.grant_decision, name="grant_decision"),
    *api_token_urls.urlpatterns,
]
