"""The Celery app, and the base class every task of the project uses.

The configuration is the CELERY_* block of settings; tasks are found per app (`<app>/tasks.py`).
"""

import logging
import os
import smtplib
import traceback

from celery import Celery
from celery.contrib.django.task import DjangoTask

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "initiative.settings")

app = Celery("initiative")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def _transient_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError

    return (OSError, smtplib.SMTPException, OperationalError, InterfaceError)


class ReliableTask(DjangoTask):
    """Late acknowledgement (a task whose worker dies is redelivered, so tasks must be idempotent),
    retries with exponential backoff and jitter on transient errors (network, SMTP, database), and, when
    a task gives up, a TaskFailure row that staff see on /staff/task-failures/ — never silence."""

    acks_late = True
    reject_on_worker_lost = True
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 6

    @property
    def autoretry_for(self):  # resolved lazily: Django isn't loaded when this module is imported
        return _transient_errors()

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .models import TaskFailure

        try:
            TaskFailure.objects.create(
                task_name=self.name,
                task_id=task_id or "",
                args=list(args or []),
                kwargs=dict(kwargs or {}),
                exception=f"{type(exc).__name__}: {exc}"[:2000],
                traceback=str(einfo) if einfo else "".join(traceback.format_exception(exc))[:20000],
            )
        except Exception:  # never hide the original failure behind a second one
            logger.exception("Could not record the failure of %s[%s]", self.name, task_id)
        super().on_failure(exc, task_id, args, kwargs, einfo)
