"""Celery tasks of the tracker: the weekly deliverable digest."""

from celery import shared_task

from initiative.celery import ReliableTask

from ..services import tracker


@shared_task(name="workstreams.send_deliverable_digests", base=ReliableTask)
def send_deliverable_digests() -> int:
    """Weekly sweep: one digest task per owner who has not had this week's digest."""
    ids = tracker.digest_recipients()
    for user_id in ids:
        send_deliverable_digest.delay(user_id)
    return len(ids)


@shared_task(name="workstreams.send_deliverable_digest", base=ReliableTask)
def send_deliverable_digest(user_id: int) -> bool:
    return tracker.digest_send(user_id=user_id)
