from django.apps import AppConfig


class PreventieConfig(AppConfig):
    name = "frontend.preventie"
    label = "frontend_preventie"
