from django.urls import path

from frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("gebruikers/", views.user_list, name="users"),
    path("gebruikers/nieuw/", views.user_invite, name="user_invite"),
    path("gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
]
