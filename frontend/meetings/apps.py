from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "frontend.meetings"
    label = "frontend_meetings"
