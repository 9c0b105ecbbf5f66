"""Writes in the governance domain: the account profile and body memberships."""

from django.db import transaction

from . import audit, policy
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
