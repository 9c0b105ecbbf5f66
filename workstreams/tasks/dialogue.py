"""Celery tasks of the Track 3 dialogue: opening the re-evaluations of the issue areas' visions."""

from celery import shared_task

from initiative.celery import ReliableTask

from ..services import dialogue


@shared_task(name="workstreams.open_reevaluations", base=ReliableTask)
def open_reevaluations() -> int:
    """Daily sweep: open each re-evaluation whose date has come (once per area and date; the outbox
    sends each person one email)."""
    return dialogue.reevaluations_open_due()
