"""Settings of the real Celery worker subprocess in the worker-kill test: the project's settings with a
durable file mail sink, a short broker visibility timeout (so a killed worker's task is redelivered in
seconds, not an hour), a short delivery lease and the test's own queue."""

import os

from initiative.broker import own_unacked_keys
from initiative.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.consultations.mailsink.FileSinkBackend"
CELERY_TASK_DEFAULT_QUEUE = os.environ["KILL_TEST_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    **own_unacked_keys(CELERY_TASK_DEFAULT_QUEUE),  # redeliver this test's tasks only
}
NOTIFICATION_CLAIM_LEASE_SECONDS = 3
NOTIFICATION_BATCH_PER_RUN = 500
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
