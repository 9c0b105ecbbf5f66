"""Settings of the servers and workers a benchmark starts: production's settings (DEBUG off, a pool of
database connections, Redis) with what a measurement needs on top.

- Static files without the manifest: a scratch database is made in seconds, `collectstatic` is not.
- Mail into a file sink (one file per Message-ID, a line per attempt), so "exactly one email each" can
  be counted across processes.
- The bench's own Celery queue, a short broker visibility timeout and outbox lease (a killed worker's
  task and rows come back in seconds, not an hour), and a beat that runs only the outbox sweep, every
  BENCH_SWEEP_SECONDS, so "once per period" can be counted.
- Rate limits out of the way (a burst from one address is the point).
"""

import os
from datetime import timedelta

from initiative.broker import own_unacked_keys
from initiative.settings import *  # noqa: F403
from initiative.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
if os.environ.get("MAIL_SINK_DIR"):
    EMAIL_BACKEND = "tests.consultations.mailsink.FileSinkBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_QUEUE", "bench")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    **own_unacked_keys(CELERY_TASK_DEFAULT_QUEUE),  # redeliver the bench's tasks only
}
NOTIFICATION_CLAIM_LEASE_SECONDS = 3
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "initiative.sweep_outbox",
        "schedule": timedelta(seconds=float(os.environ.get("BENCH_SWEEP_SECONDS", "5"))),
    }
}
COMMENT_RATE_LIMIT = 1_000_000
WEBINAR_SIGNUP_RATE = "1000000/m"
AXES_ENABLED = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"celery": {"level": "INFO"}},
}
