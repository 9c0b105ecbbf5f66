"""Predicates about who someone is in the initiative, and the governance app's permissions.

Predicates are shared: every app's `rules.py` builds its permissions from these, and every caller asks
through `initiative.policy` — never by checking memberships itself. Role lookups are cached on the user
object for the length of a request, so asking many times costs one query per role.
"""

import rules
from django.utils import timezone

from .models import Body


def cached_on_user(user, key: str, compute):
    """`compute()`, cached on the user object for the length of the request (see `forget`)."""
    cache = user.__dict__.setdefault("_policy_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _body_roles(user) -> dict[str, set[str]]:
    """{body kind: {roles}} of the user's current memberships."""

    def compute():
        from .models import BodyMembership

        roles: dict[str, set[str]] = {}
        for kind, role in (
            BodyMembership.objects.current().filter(user=user).values_list("body__kind", "role")
        ):
            roles.setdefault(kind, set()).add(role)
        return roles

    return cached_on_user(user, "body_roles", compute)


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_verified(user) -> bool:
    """The user has confirmed at least one email address (allauth)."""
    if not (user and user.is_authenticated):
        return False

    def compute():
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=user, verified=True).exists()

    return cached_on_user(user, "verified", compute)


@rules.predicate
def is_implementation_staff(user) -> bool:
    return is_authenticated(user) and Body.Kind.IMPLEMENTATION_TEAM in _body_roles(user)


@rules.predicate
def is_committee_member(user) -> bool:
    return is_authenticated(user) and Body.Kind.STEERING_COMMITTEE in _body_roles(user)


@rules.predicate
def is_committee_chair(user) -> bool:
    return is_committee_member(user) and "chair" in _body_roles(user)[Body.Kind.STEERING_COMMITTEE]


@rules.predicate
def is_admin_user(user) -> bool:
    """May open the Django admin (`is_staff`) or is a superuser."""
    return is_authenticated(user) and bool(user.is_staff or user.is_superuser)


@rules.predicate
def is_self(user, obj) -> bool:
    return is_authenticated(user) and obj is not None and getattr(obj, "user_id", None) == user.pk


def forget(user) -> None:
    """Drop the cached roles (after a membership or enrollment changes within one request)."""
    user.__dict__.pop("_policy_cache", None)


def today():
    return timezone.localdate()


# Governance permissions --------------------------------------------------------------------------------
rules.add_perm("initiative.view_audit_log", is_implementation_staff | is_committee_member)
rules.add_perm("initiative.view_staff_area", is_implementation_staff)
rules.add_perm("initiative.manage_organizations", is_implementation_staff)
rules.add_perm("initiative.manage_memberships", is_implementation_staff)
rules.add_perm("initiative.view_account", is_authenticated)
# Whose account must have a second factor before any page answers them (the roles that see unredacted
# text, moderate, move deliverables, vote on publications or open the admin).
rules.add_perm(
    "initiative.require_second_factor", is_implementation_staff | is_committee_member | is_admin_user
)
rules.add_perm("initiative.reset_second_factor", is_implementation_staff)
