"""Celery tasks of the consultations app (autodiscovered). Each issue keeps its tasks in its own module."""

from .comment_tasks import export_matrix, notify_comment_hidden, send_comment_digest  # noqa: F401  (issue 4)
from .workflow_tasks import *  # noqa: F401,F403  (issue 5: review workflow, approval, publication)
