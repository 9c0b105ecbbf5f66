"""Celery tasks of the workstreams app, one module per sub-domain. Imported here so that the Celery app's
autodiscovery (which imports `workstreams.tasks`) registers every task."""

from .dialogue import (
    open_reevaluations,
)
from .prioritization import (
    close_rounds,
)
from .sessions import (
    remind_action_item,
    send_action_item_reminders,
)
from .tracker import (
    send_deliverable_digest,
    send_deliverable_digests,
)
from .workstreams import (
    expire_invitations,
    send_invitation,
)

__all__ = [
    "close_rounds",
    "expire_invitations",
    "open_reevaluations",
    "remind_action_item",
    "send_action_item_reminders",
    "send_deliverable_digest",
    "send_deliverable_digests",
    "send_invitation",
]
