"""Writes in the governance domain: the account profile, body memberships, second factors and personal
API tokens."""

from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import audit, policy, tasks
from .models import ApiToken, Body, BodyMembership, Language, User

PROFILE_FIELDS = ["full_name", "title", "organization", "stakeholder_type", "language"]


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


def user_language_set(*, user: User, language: str) -> None:
    """The account's language, chosen with the site's language switcher: its emails follow it. Not
    audited (a preference, like the cookie the switcher also sets)."""
    if language in Language.values and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


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


# Personal API tokens ------------------------------------------------------------------------------------
LAST_USE_RESOLUTION = timedelta(minutes=1)


def api_token_create(*, actor: User, name: str, scope: str, lifetime_days: int) -> tuple[ApiToken, str]:
    """Create a token for `actor` and return it with its secret: the only time the secret exists outside
    the caller; the row keeps its digest. Read-only unless `scope` is write."""
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to create an API token.")
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    with transaction.atomic():
        token, secret = ApiToken.objects.create(
            user=actor, expiry=timedelta(days=lifetime_days), name=name.strip(), scope=scope
        )
        audit.record(
            actor=actor,
            action="api_token.create",
            obj=actor,
            after={"name": token.name, "scope": scope, "key": token.token_key, "expiry": str(token.expiry)},
        )
    return token, secret


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Delete the token: the next request carrying it is refused (401). Only its owner revokes it."""
    if token.user_id != actor.pk:
        raise PermissionDenied("Not your token.")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="api_token.revoke",
            obj=actor,
            before={"name": token.name, "scope": token.scope, "key": token.token_key},
        )
        token.delete()


def api_token_touch(*, token: ApiToken, now=None) -> None:
    """Record a use of the token, at most one write a minute per token (a conditional UPDATE, so
    concurrent requests don't pile up writes)."""
    now = now or timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USE_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now


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
