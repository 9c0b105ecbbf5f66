"""Tasks of consultation outreach: sending the invitations and the reminder (rows planned by the
services, in their transactions) and the beat sweep that plans the reminder. Idempotent: outbox rows are
unique per recipient and event, and the reminder's mark is set with its rows."""

from celery import shared_task
from django.conf import settings

from initiative import outbox
from initiative.celery import ReliableTask


def _shared(ref: str) -> dict | None:
    from ..models import Review

    review = Review.objects.select_related("version__deliverable__workstream").filter(pk=int(ref)).first()
    if review is None:
        return None
    return {"review": review, "deliverable": review.version.deliverable, "version": review.version}


def _personal(shared: dict, row: dict) -> dict | None:
    from initiative.models import Organization

    organization = Organization.objects.filter(pk=row.get("organization_id")).first()
    if organization is None:
        return None
    return {"context": {"organization": organization, "language": row.get("language")}}


def _reminder_shared(ref: str) -> dict | None:
    """A reminder for a consultation that has closed since is not sent."""
    context = _shared(ref)
    return context if context and context["review"].is_open() else None


INVITED = outbox.register("consultations.outreach_invited", shared=_shared, personal=_personal).name
REMINDER = outbox.register(
    "consultations.outreach_reminder", shared=_reminder_shared, personal=_personal
).name
TEMPLATES = {INVITED: "consultations_outreach_invited", REMINDER: "consultations_outreach_reminder"}


def invitations_plan(*, review_id: int, recipients: dict[str, dict]) -> str:
    return outbox.plan(kind=INVITED, ref=review_id, template=TEMPLATES[INVITED], recipients=recipients)


def reminders_plan(*, review_id: int, recipients: dict[str, dict]) -> str:
    return outbox.plan(kind=REMINDER, ref=review_id, template=TEMPLATES[REMINDER], recipients=recipients)


@shared_task(name="consultations.deliver_outreach", bind=True, base=ReliableTask)
def deliver_outreach(self, review_id: int, kind: str) -> bool:
    """Send the planned rows of the consultation's invitations (or reminder); the outbox sweep sends
    whatever this task did not get to."""
    if kind not in TEMPLATES:
        return False
    progress = outbox.deliver(outbox.event_key(kind, review_id), limit=settings.NOTIFICATION_BATCH_PER_RUN)
    if progress.pending:
        self.apply_async(args=(review_id, kind))
        return False
    return True


@shared_task(name="consultations.remind_outreach", bind=True, base=ReliableTask)
def remind_outreach(self) -> int:
    from ..services.outreach import outreach_reminders_sweep

    return outreach_reminders_sweep()
