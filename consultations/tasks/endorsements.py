"""Tasks of endorsements: telling the representatives of participating organizations that a window
opened. Idempotent through the outbox (one row per recipient and event) and `notified_at`."""

from celery import shared_task
from django.utils import timezone

from initiative import outbox
from initiative.celery import ReliableTask

from .workflow import _emails, _fan_out


def _window_context(ref: str) -> dict | None:
    from ..models import EndorsementWindow

    window = (
        EndorsementWindow.objects.select_related("version", "deliverable__workstream")
        .filter(pk=int(ref))
        .first()
    )
    if window is None:
        return None
    return {"window": window, "deliverable": window.deliverable, "version": window.version}


# The outbox rebuilds the context from the window's id when it sends (in this task or a sweep).
ENDORSEMENT_OPENED = outbox.register("consultations.endorsement_opened", shared=_window_context).name


@shared_task(name="consultations.notify_endorsement_opened", bind=True, base=ReliableTask)
def notify_endorsement_opened(self, window_id: int) -> bool:
    from ..models import EndorsementWindow
    from ..selectors.endorsements import participating_organizations

    window = EndorsementWindow.objects.select_related("deliverable").filter(pk=window_id).first()
    if window is None or window.notified_at:
        return False
    emails = _emails(
        participating_organizations(window.deliverable)
        .filter(representative__is_active=True)
        .values_list("representative__email", flat=True)
    )
    done = _fan_out(
        self,
        kind=ENDORSEMENT_OPENED,
        ref=window.pk,
        template="consultations_endorsement_opened",
        recipients={e: {} for e in emails},
    )
    if done:
        EndorsementWindow.objects.filter(pk=window.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
    return done
