from django.apps import AppConfig


class PepsConfig(AppConfig):
    name = "peps"
