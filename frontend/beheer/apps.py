from django.apps import AppConfig


class BeheerConfig(AppConfig):
    name = "frontend.beheer"
    label = "frontend_beheer"
