from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "frontend.portal"
    label = "frontend_portal"
