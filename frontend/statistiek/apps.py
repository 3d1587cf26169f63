from django.apps import AppConfig


class StatistiekRoomConfig(AppConfig):
    name = "frontend.statistiek"
    label = "frontend_statistiek"
