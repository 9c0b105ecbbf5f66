"""Tasks of endorsements: telling the representatives of participating organizations that a window
opened. Idempotent through the delivery engine (one row per recipient and event) and `notified_at`."""

from celery import shared_task
from django.utils import timezone

from initiative.celery import ReliableTask

from .workflow import _emails, _fan_out


@shared_task(name="consultations.notify_endorsement_opened", bind=True, base=ReliableTask)
def notify_endorsement_opened(self, window_id: int) -> bool:
    from ..models import EndorsementWindow
    from ..selectors.endorsements import participating_organizations

    window = (
        EndorsementWindow.objects.select_related("version", "deliverable__workstream")
        .filter(pk=window_id)
        .first()
    )
    if window is None or window.notified_at:
        return False
    emails = _emails(
        participating_organizations(window.deliverable)
        .filter(representative__is_active=True)
        .values_list("representative__email", flat=True)
    )
    done = _fan_out(
        self,
        event=f"endorsement_opened:{window.pk}",
        template="consultations_endorsement_opened",
        recipients={e: {} for e in emails},
        context={"window": window, "deliverable": window.deliverable, "version": window.version},
    )
    if done:
        EndorsementWindow.objects.filter(pk=window.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    return done
