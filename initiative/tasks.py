"""Celery tasks of the governance core (autodiscovered): the outbox's delivery and its sweep."""

from celery import shared_task

from . import outbox
from .celery import ReliableTask


@shared_task(name="initiative.deliver_event", base=ReliableTask)
def deliver_event(event: str) -> int:
    """Send one event's planned emails now (the sweep would, within a minute)."""
    return outbox.deliver(event).sent


@shared_task(name="initiative.sweep_outbox", base=ReliableTask)
def sweep_outbox() -> dict:
    """Beat, every minute: send every outbox row still unsent, whichever task planned it."""
    progress = outbox.sweep()
    return {"sent": progress.sent, "skipped": progress.skipped, "pending": progress.pending}
