"""Celery tasks of sessions: action-item reminders."""

from celery import shared_task

from initiative import notifications
from initiative.celery import ReliableTask

from ..services import sessions


@shared_task(name="workstreams.send_action_item_reminders", base=ReliableTask)
def send_action_item_reminders() -> int:
    """Sweep: fan out one task per reminder due and not yet sent."""
    due = sessions.action_items_due_for_reminder()
    for item_id, kind in due:
        remind_action_item.delay(item_id, kind)
    return len(due)


@shared_task(name="workstreams.remind_action_item", base=ReliableTask)
def remind_action_item(item_id: int, kind: str) -> bool:
    return sessions.action_item_remind(item_id=item_id, kind=kind)


def _issue_area_get(ref: str, user):
    from ..models import IssueArea

    return IssueArea.objects.filter(pk=int(ref)).first() if ref.isdigit() else None


ISSUE_AREA_TARGET = notifications.register_target("workstreams.issue_area", get=_issue_area_get).name
