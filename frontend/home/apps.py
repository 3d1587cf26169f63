from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "frontend.home"
    label = "frontend_home"
