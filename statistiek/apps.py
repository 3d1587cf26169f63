from django.apps import AppConfig


class StatistiekConfig(AppConfig):
    name = "statistiek"
    verbose_name = "Statistiek en preventie"

    def ready(self) -> None:
        from statistiek.monthly import keep_monthly_figures

        keep_monthly_figures()
