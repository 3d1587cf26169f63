from django.apps import AppConfig


class StatistiekConfig(AppConfig):
    name = "statistiek"
    verbose_name = "Statistiek en preventie"
