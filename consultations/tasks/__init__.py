"""Celery tasks of the consultations app, one module per sub-domain. Imported here so that the Celery
app's autodiscovery (which imports `consultations.tasks`) registers every task."""

from . import comments, endorsements, outreach, workflow  # noqa: F401
from .comments import export_matrix, notify_comment_hidden, send_comment_digest  # noqa: F401
from .workflow import *  # noqa: F401,F403
