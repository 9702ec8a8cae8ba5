from django.apps import AppConfig


class ExclusionsConfig(AppConfig):
    name = "exclusions"
