from django.urls import path

from frontend.users import views

app_name = "users"

urlpatterns = [
    path("gebruikers/", views.user_list, name="list"),
    path("gebruikers/nieuw/", views.user_invite, name="invite"),
    path("gebruikers/<int:pk>/", views.user_edit, name="edit"),
]
