from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "frontend.users"
    label = "frontend_users"
