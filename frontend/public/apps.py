from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "frontend.public"
    label = "frontend_public"
