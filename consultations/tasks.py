"""Celery tasks of the consultations app (autodiscovered). Each part keeps its tasks in its own module."""

from .workflow_tasks import *  # noqa: F401,F403  (issue 5: review workflow, approval, publication)
