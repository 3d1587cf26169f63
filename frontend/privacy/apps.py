from django.apps import AppConfig


class PrivacyScreensConfig(AppConfig):
    name = "frontend.privacy"
    label = "frontend_privacy"
