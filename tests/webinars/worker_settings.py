"""Settings of the real worker subprocesses in the webinar fan-out crash test: the consultations
worker-kill settings (durable file mail sink, short outbox lease, the test's own queue), but with the
broker's real visibility timeout, so a killed worker's task is *not* redelivered during the test: only
the outbox sweep can finish the fan-out."""

from initiative.broker import own_unacked_keys
from tests.consultations.worker_settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, **own_unacked_keys(CELERY_TASK_DEFAULT_QUEUE)}  # noqa: F405
