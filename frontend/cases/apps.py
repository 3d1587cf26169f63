from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "frontend.cases"
    label = "frontend_cases"
