"""Writes on workstreams: invitations and enrollment. Each checks the policy, changes the rows in one
transaction, writes the audit log, and sends its email after commit."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, notifications, policy
from initiative.rules import forget

from ..models import Enrollment, EnrollmentRole, Invitation, Workstream, hash_token

COMMITMENT_TEXT = _(
    "I commit to take part in this workstream throughout its five steps: attending its working sessions, "
    "reviewing its drafts, and contributing my organization's experience, from stock-taking to the "
    "deep-dive recommendations."
)


class InvitationError(Exception):
    """Why an invitation cannot be accepted; `code` is one of the class attributes below."""

    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    WRONG_EMAIL = "wrong_email"
    UNVERIFIED = "unverified"
    ALREADY_ENROLLED = "already_enrolled"
    NO_COMMITMENT = "no_commitment"

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def invitation_create(
    *,
    actor,
    workstream: Workstream,
    email: str,
    organization=None,
    message: str = "",
    role: str = EnrollmentRole.ACTIVE_MEMBER,
) -> tuple[Invitation, str]:
    """Create an invitation and email its link after commit. Returns it with the raw token, which is
    never stored (only its hash is)."""
    policy.require(actor, "workstreams.invite_participant", workstream)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            workstream=workstream,
            email=email.strip().lower(),
            organization=organization,
            message=message,
            role=role or EnrollmentRole.ACTIVE_MEMBER,
            token_hash=hash_token(token),
            invited_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=settings.INVITATION_TTL_DAYS),
        )
        audit.record(
            actor=actor,
            action="invitation.create",
            obj=invitation,
            after={"email": invitation.email, "workstream": workstream.code, "role": invitation.role},
        )
        from ..tasks import send_invitation

        send_invitation.delay_on_commit(invitation.pk, token)
    return invitation, token


def invitation_get_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("workstream", "workstream__track", "organization")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_check(*, invitation: Invitation, user) -> None:
    """Raise InvitationError if `user` may not accept `invitation` now."""
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(InvitationError.USED, _("This invitation has already been used."))
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationError(
            InvitationError.REVOKED, _("This invitation was withdrawn by the implementation team.")
        )
    if invitation.status == Invitation.Status.EXPIRED or invitation.is_expired:
        raise InvitationError(
            InvitationError.EXPIRED,
            _("This invitation expired on %(date)s. Ask the implementation team for a new one.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%B %-d, %Y")},
        )
    from allauth.account.models import EmailAddress

    addresses = set(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))
    if not addresses:
        raise InvitationError(InvitationError.UNVERIFIED, _("Confirm your email address before accepting."))
    if invitation.email not in {a.lower() for a in addresses}:
        raise InvitationError(
            InvitationError.WRONG_EMAIL,
            _("This invitation was sent to another email address. Log in with the account for that address."),
        )
    if Enrollment.objects.active().filter(workstream=invitation.workstream, user=user).exists():
        raise InvitationError(
            InvitationError.ALREADY_ENROLLED, _("You already take part in this workstream.")
        )


def invitation_accept(*, token: str, user, committed: bool) -> Enrollment:
    """Accept an invitation with the explicit commitment, enrolling the user. Single use: the row is
    locked so two simultaneous accepts cannot both enroll."""
    if not committed:
        raise InvitationError(
            InvitationError.NO_COMMITMENT, _("Tick the commitment to take part throughout to accept.")
        )
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(no_key=True)  # lock: one acceptance per token
            .select_related("workstream")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if invitation is None:
            raise InvitationError(InvitationError.USED, _("This invitation link is not valid."))
        invitation_check(invitation=invitation, user=user)
        now = timezone.now()
        enrollment = Enrollment.objects.create(
            workstream=invitation.workstream,
            user=user,
            organization=invitation.organization or user.organization,
            invitation=invitation,
            role=invitation.role,
            commitment=str(COMMITMENT_TEXT),
            committed_at=now,
        )
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
        audit.record(
            actor=user,
            action="enrollment.commit",
            obj=enrollment,
            after={
                "workstream": invitation.workstream.code,
                "commitment": enrollment.commitment,
                "role": enrollment.role,
            },
        )
        from ..tasks.workstreams import workstream_target

        # taking part follows the workstream: its drafts, reviews and decisions reach the participant
        notifications.subscription_create(user=user, target=workstream_target(invitation.workstream_id))
    forget(user)
    return enrollment


def enrollment_withdraw(*, actor, enrollment: Enrollment, reason: str = "") -> Enrollment:
    policy.require(actor, "workstreams.withdraw_enrollment", enrollment)
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update(no_key=True).get(pk=enrollment.pk)
        if enrollment.status == Enrollment.Status.WITHDRAWN:
            return enrollment
        enrollment.status = Enrollment.Status.WITHDRAWN
        enrollment.withdrawn_at = timezone.now()
        enrollment.withdrawal_reason = reason.strip()
        enrollment.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
        audit.record(
            actor=actor,
            action="enrollment.withdraw",
            obj=enrollment,
            before={"status": "active"},
            after={"status": "withdrawn"},
            reason=enrollment.withdrawal_reason,
        )
    forget(actor)
    return enrollment


def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    policy.require(actor, "workstreams.invite_participant", invitation.workstream)
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, status=Invitation.Status.PENDING).update(
            status=Invitation.Status.REVOKED
        )
        if updated:
            audit.record(
                actor=actor,
                action="invitation.revoke",
                obj=invitation,
                before={"status": "pending"},
                after={"status": "revoked"},
            )
    invitation.refresh_from_db()
    return invitation


def invitations_expire(*, now=None) -> int:
    """Mark pending invitations past their expiry as expired. Safe to run any number of times."""
    now = now or timezone.now()
    return Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=now).update(
        status=Invitation.Status.EXPIRED
    )


def enrollment_role_change(*, actor, enrollment: Enrollment, role: str, reason: str = "") -> Enrollment:
    """Staff change how a participant takes part (active member or feedback provider). Audited."""
    policy.require(actor, "workstreams.manage_workstream", enrollment.workstream)
    if role not in EnrollmentRole.values:
        raise ValueError(f"Unknown role {role!r}")
    with transaction.atomic():
        # lock: the enrollment, so two changes are recorded in order with the right "before"
        locked = Enrollment.objects.select_for_update(no_key=True).get(pk=enrollment.pk)
        if locked.role == role:
            return locked
        before = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        audit.record(
            actor=actor,
            action="enrollment.role_change",
            obj=locked,
            before={"role": before},
            after={"role": role},
            reason=reason.strip(),
        )
    forget(enrollment.user)
    return locked
