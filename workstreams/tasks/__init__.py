"""Celery tasks of the workstreams app, one module per sub-domain. Imported here so that the Celery app's
autodiscovery (which imports `workstreams.tasks`) registers every task."""

from .workstreams import *  # noqa: F401,F403
