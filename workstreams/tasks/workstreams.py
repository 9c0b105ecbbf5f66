"""Celery tasks of invitations: thin callers of services, idempotent, ids-only arguments."""

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from initiative import emails, notifications
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
            # an address that already has an account gets its language; a new one the default
            language=emails.languages_of([invitation.email]).get(invitation.email.lower()),
        )
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


@shared_task(name="workstreams.expire_invitations", base=ReliableTask)
def expire_invitations() -> int:
    return services.invitations_expire()


# What people follow here, and who a workstream's members are (see initiative.notifications) -------------
def _workstream_get(ref: str, user):
    from ..models import Workstream

    return Workstream.objects.filter(pk=int(ref)).first() if ref.isdigit() else None


def _members(ref: str):
    """A workstream's active participants, the implementation team and the steering committee: who may
    read its members-only drafts and reviews."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from initiative.models import Body, BodyMembership

    from ..models import Enrollment

    if not ref.isdigit():
        return get_user_model().objects.none().values("pk")
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=Enrollment.objects.active().filter(workstream_id=int(ref)).values("user_id"))
            | Q(
                pk__in=BodyMembership.objects.current()
                .filter(body__kind__in=[Body.Kind.IMPLEMENTATION_TEAM, Body.Kind.STEERING_COMMITTEE])
                .values("user_id")
            )
        )
        .values("pk")
    )


WORKSTREAM_TARGET = notifications.register_target("workstreams.workstream", get=_workstream_get).name
MEMBERS = notifications.register_audience("workstreams.members", _members)


def workstream_target(workstream_id: int) -> str:
    return f"{WORKSTREAM_TARGET}:{workstream_id}"


def members_audience(workstream_id: int) -> str:
    return f"{MEMBERS}:{workstream_id}"
