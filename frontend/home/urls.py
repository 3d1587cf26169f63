from django.urls import path

from frontend.home import views

app_name = "home"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("instellingen/e-mail/", views.notification_settings, name="notifications"),
]
