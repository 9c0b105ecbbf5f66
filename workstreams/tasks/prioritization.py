"""Celery tasks of prioritization: closing rounds on time."""

from celery import shared_task

from initiative.celery import ReliableTask

from ..services import prioritization


@shared_task(name="workstreams.close_rounds", base=ReliableTask)
def close_rounds() -> int:
    """Sweep: close every prioritization round past its deadline (idempotent: selects open rounds)."""
    return prioritization.rounds_close_due()
