from django.apps import AppConfig


class InitiativeConfig(AppConfig):
    name = "initiative"
    verbose_name = "Initiative and governance"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (allauth hooks)
