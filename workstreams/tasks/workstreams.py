"""Celery tasks of invitations: thin callers of services, idempotent, ids-only arguments."""

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from initiative import emails
from initiative.celery import ReliableTask

from ..models import Invitation
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
