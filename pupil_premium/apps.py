from django.apps import AppConfig


class PupilPremiumConfig(AppConfig):
    name = "pupil_premium"
