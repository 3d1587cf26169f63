from django.apps import AppConfig


class ConfiguratieConfig(AppConfig):
    name = "configuratie"
    verbose_name = "Configuratie"
