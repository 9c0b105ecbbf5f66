"""Celery tasks of the governance app: thin, ids-only, idempotent; the outbox's delivery and its sweep."""

from celery import shared_task
from django.core.cache import cache
from django.urls import reverse

from . import emails, notifications, outbox
from .celery import ReliableTask
from .models import AuditEvent, User

NOTICE_SENT_TTL = 7 * 24 * 3600


@shared_task(name="initiative.send_second_factor_reset_notice", base=ReliableTask)
def send_second_factor_reset_notice(event_id: int) -> bool:
    """Tell a member that staff removed their second factor (the audit event of the reset names them).
    Sent once per event: a redelivered task finds the event's mark in the cache and sends nothing."""
    event = AuditEvent.objects.select_related("actor").filter(pk=event_id).first()
    if event is None or not cache.add(f"second-factor-reset-notice:{event_id}", 1, NOTICE_SENT_TTL):
        return False
    member = User.objects.filter(pk=event.object_id).first()
    if member is None:
        return False
    emails.send(
        template="second_factor_reset",
        to=[member.email],
        context={"member": member, "event": event, "settings_path": reverse("mfa_index")},
    )
    return True


@shared_task(name="initiative.deliver_event", base=ReliableTask)
def deliver_event(event: str) -> int:
    """Send one event's planned emails now (the sweep would, within a minute)."""
    return outbox.deliver(event).sent


@shared_task(name="initiative.sweep_outbox", base=ReliableTask)
def sweep_outbox() -> dict:
    """Beat, every minute: send every outbox row still unsent, whichever task planned it."""
    progress = outbox.sweep()
    return {"sent": progress.sent, "skipped": progress.skipped, "pending": progress.pending}


@shared_task(name="initiative.fan_out_notification", base=ReliableTask)
def fan_out_notification(event_id: int) -> int:
    """Write one event's notifications (and plan its immediate emails), resuming at its cursor."""
    return notifications.fan_out(event_id=event_id)


@shared_task(name="initiative.sweep_notifications", base=ReliableTask)
def sweep_notifications() -> int:
    """Beat, every five minutes: finish the fan-out of events whose task was lost or died."""
    ids = notifications.events_unfanned()
    for pk in ids:
        notifications.fan_out(event_id=pk)
    return len(ids)


@shared_task(name="initiative.send_notification_digests", base=ReliableTask)
def send_notification_digests() -> int:
    """Beat, daily: one email per person gathering the day's digest notifications."""
    planned = notifications.digest_send()
    if planned:
        outbox.sweep()
    return planned


@shared_task(name="initiative.sweep_document_approvals", base=ReliableTask)
def sweep_document_approvals() -> int:
    """Decide the committee's votes on governance documents that are past their deadline."""
    from .services import document_approvals_sweep

    return document_approvals_sweep()


def _document_vote_context(ref: str) -> dict | None:
    """A call to vote on a governance document; not sent once the vote is decided."""
    from .models import DocumentApproval

    approval = DocumentApproval.objects.select_related("version__document").filter(pk=int(ref)).first()
    if approval is None or approval.decided_at:
        return None
    return {"approval": approval, "version": approval.version, "document": approval.version.document}


def _document_decision_context(ref: str) -> dict | None:
    """The committee's decision on a governance document, once it is made."""
    from .models import DocumentApproval

    approval = DocumentApproval.objects.select_related("version__document").filter(pk=int(ref)).first()
    if approval is None or not approval.decided_at:
        return None
    return {"approval": approval, "version": approval.version, "document": approval.version.document}


# The outbox rebuilds each message from the vote's id when it sends (the task below or the sweep).
DOCUMENT_VOTE_OPENED = outbox.register("initiative.document_vote_opened", shared=_document_vote_context).name
DOCUMENT_VOTE_REMINDER = outbox.register(
    "initiative.document_vote_reminder", shared=_document_vote_context
).name
DOCUMENT_DECIDED = outbox.register("initiative.document_decided", shared=_document_decision_context).name
