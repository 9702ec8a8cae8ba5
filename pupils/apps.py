from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"

    def ready(self) -> None:
        from pupils import import_kinds  # noqa: F401  (registers the pupil import)
