"""Writes in the governance domain: the account profile, body memberships and second factors."""

from allauth.mfa.models import Authenticator
from django.db import transaction

from . import audit, policy, tasks
from .models import Body, BodyMembership, User

PROFILE_FIELDS = ["full_name", "title", "organization", "stakeholder_type"]


def user_update_profile(*, actor, user: User, data: dict) -> User:
    if actor.pk != user.pk:
        policy.require(actor, "initiative.manage_memberships")
    with transaction.atomic():
        before = audit.snapshot(user, PROFILE_FIELDS)
        for name in PROFILE_FIELDS:
            if name in data:
                setattr(user, name, data[name])
        user.save(update_fields=[name for name in PROFILE_FIELDS if name in data])
        audit.record(
            actor=actor,
            action="user.update_profile",
            obj=user,
            before=before,
            after=audit.snapshot(user, PROFILE_FIELDS),
        )
    return user


def membership_add(
    *, actor, body: Body, user: User, role: str, starts_on=None, ends_on=None
) -> BodyMembership:
    """Seat `user` on `body`. `actor=None` is the system (the loaders)."""
    if actor is not None:
        policy.require(actor, "initiative.manage_memberships")
    with transaction.atomic():
        membership = BodyMembership(body=body, user=user, role=role, ends_on=ends_on)
        if starts_on:
            membership.starts_on = starts_on
        membership.full_clean()
        membership.save()
        audit.record(
            actor=actor,
            action="membership.add",
            obj=membership,
            after={"body": body.kind, "role": role, "user": user.pk},
        )
    return membership


def second_factor_reset(*, actor, user: User, reason: str = "") -> int:
    """Remove every second factor of `user` (authenticator apps, security keys, recovery codes), e.g. for a
    member who lost their phone. If their roles require one, the next page they open sends them to set a
    new one up. Audited; the member is told by email after commit. Returns how many were removed."""
    policy.require(actor, "initiative.reset_second_factor")
    with transaction.atomic():
        User.objects.select_for_update(no_key=True).get(pk=user.pk)  # lock: one reset of a member at a time
        authenticators = Authenticator.objects.filter(user=user)
        types = sorted(set(authenticators.values_list("type", flat=True)))
        removed, _ = authenticators.delete()
        event = audit.record(
            actor=actor,
            action="user.second_factor_reset",
            obj=user,
            before={"authenticators": types},
            after={"authenticators": []},
            reason=reason,
        )
        tasks.send_second_factor_reset_notice.delay_on_commit(event.pk)
    return removed
