"""The Celery app. Its configuration is the CELERY_* block of settings; tasks are found per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "initiative.settings")

app = Celery("initiative")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
