"""Celery tasks of the workstreams app: thin callers of services, idempotent, ids-only arguments."""

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from initiative import emails
from initiative.celery import ReliableTask

from ..models import Invitation
from ..services import prioritization, sessions, tracker
from ..services import workstreams as services


@shared_task(name="workstreams.send_invitation", bind=True, base=ReliableTask)
def send_invitation(self, invitation_id: int, token: str) -> bool:
    """Email an invitation once. The `sent_at` mark is set in the same transaction that sends, so a
    redelivered task finds it set and sends nothing."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(no_key=True, of=("self",))  # lock: one sender per invitation
            .select_related("workstream", "invited_by")
            .filter(pk=invitation_id, sent_at__isnull=True, status=Invitation.Status.PENDING)
            .first()
        )
        if invitation is None:
            return False
        emails.send(
            template="invitation",
            to=[invitation.email],
            context={
                "invitation": invitation,
                "workstream": invitation.workstream,
                "accept_path": reverse("workstreams:invitation-accept", kwargs={"token": token}),
            },
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


@shared_task(name="workstreams.expire_invitations", base=ReliableTask)
def expire_invitations() -> int:
    return services.invitations_expire()


# Issue 3: rounds, reminders, digests -------------------------------------------------------------------
@shared_task(name="workstreams.close_rounds", base=ReliableTask)
def close_rounds() -> int:
    """Sweep: close every prioritization round past its deadline (idempotent: selects open rounds)."""
    return prioritization.rounds_close_due()


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
