from pathlib import Path

from django.apps import AppConfig


class InitiativeConfig(AppConfig):
    name = "initiative"
    verbose_name = "Initiative and governance"

    def ready(self) -> None:
        from django.conf import settings

        from . import signals  # noqa: F401  (allauth hooks)

        # kombu's filesystem transport (the embedded broker) needs its folders before the first message.
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
                Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key]).mkdir(parents=True, exist_ok=True)
