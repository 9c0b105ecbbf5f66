"""Predicates about who someone is in the initiative, and the governance app's permissions.

Predicates are shared: every app's `rules.py` builds its permissions from these, and every caller asks
through `initiative.policy` — never by checking memberships itself. Role lookups (memberships, a verified
email, and what apps register, such as enrollments) are read in one query and cached on the user object
for the length of a request, so a request asking many times costs one query in all; and in the shared
cache (`initiative.readcache`), so most requests cost none: every save or delete of a row a role source
reads makes that user's cached roles stale.
"""

import rules
from django.utils import timezone

from . import readcache
from .models import Body


def cached_on_user(user, key: str, compute):
    """`compute()`, cached on the user object for the length of the request (see `forget`)."""
    cache = user.__dict__.setdefault("_policy_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


# Role sources: each gives rows (source, a, b) about one user; all are read in one UNION query per
# request. The governance core registers its own (memberships, verified email); an app registers those
# the core must not know (workstreams: enrollments), so imports keep running one way.
ROLE_SOURCES: dict = {}


def role_source(name: str, *, model: str):
    """Register `fn(user) -> QuerySet` of `values_list(source, a, b)` rows (all text) under `name`; the
    rows come from `model` ("app_label.Model", with a `user` foreign key), whose saves and deletes make
    the user's cached roles stale."""

    def register(fn):
        ROLE_SOURCES[name] = fn
        readcache.changed_by(model, lambda row: f"roles:{row.user_id}")
        return fn

    return register


def roles_entry(user_pk) -> tuple[str, str]:
    """Where a user's roles are kept in the read cache: memberships start and end on days, so a day's
    roles are cached under that day."""
    return f"roles:{user_pk}", timezone.localdate().isoformat()


def roles_of(user) -> dict[str, list[tuple[str, str]]]:
    """{source: [(a, b), …]} of every registered role source for `user`, in one query, cached on the
    user object for the request and in the shared cache for the day. Anonymous users have none."""
    if not (user and user.is_authenticated):
        return {}

    def compute():
        queries = [fn(user).order_by() for fn in ROLE_SOURCES.values()]
        rows: dict[str, list[tuple[str, str]]] = {name: [] for name in ROLE_SOURCES}
        if queries:
            union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
            for source, a, b in union.order_by():
                rows.setdefault(source, []).append((a, b))
        return rows

    def shared():
        return readcache.read(*roles_entry(user.pk), compute)

    return cached_on_user(user, "roles", shared)


def _text(value):
    from django.db.models import CharField, Value

    return Value(value, output_field=CharField())


@role_source("body", model="initiative.BodyMembership")
def _membership_rows(user):
    from .models import BodyMembership

    return (
        BodyMembership.objects.current()
        .filter(user=user)
        .annotate(source=_text("body"))
        .values_list("source", "body__kind", "role")
    )


@role_source("verified", model="account.EmailAddress")
def _verified_rows(user):
    from allauth.account.models import EmailAddress

    return (
        EmailAddress.objects.filter(user=user, verified=True)
        .annotate(source=_text("verified"), a=_text(""), b=_text(""))
        .values_list("source", "a", "b")
    )


def _body_roles(user) -> dict[str, set[str]]:
    """{body kind: {roles}} of the user's current memberships."""
    roles: dict[str, set[str]] = {}
    for kind, role in roles_of(user).get("body", ()):
        roles.setdefault(kind, set()).add(role)
    return roles


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_verified(user) -> bool:
    """The user has confirmed at least one email address (allauth)."""
    if not (user and user.is_authenticated):
        return False

    return bool(roles_of(user).get("verified"))


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
    """Drop the roles cached on the user object (after a membership or enrollment changes within one
    request; the shared cache's copy is dropped by the change itself)."""
    user.__dict__.pop("_policy_cache", None)


def today():
    return timezone.localdate()


# Governance permissions --------------------------------------------------------------------------------
rules.add_perm("initiative.view_audit_log", is_implementation_staff | is_committee_member)
rules.add_perm("initiative.view_staff_area", is_implementation_staff)
rules.add_perm("initiative.manage_organizations", is_implementation_staff)
# Bodies' memberships, roles and terms: staff and the committee chair, in the platform (audited).
rules.add_perm("initiative.manage_memberships", is_implementation_staff | is_committee_chair)
# The charter and the work plan: staff and the chair write versions and put them to the committee's vote;
# sitting members vote; the chair closes early once the quorum is reached.
rules.add_perm("initiative.edit_governance_documents", is_implementation_staff | is_committee_chair)
rules.add_perm("initiative.view_governance_drafts", is_implementation_staff | is_committee_member)
rules.add_perm("initiative.vote_governance_document", is_committee_member)
rules.add_perm("initiative.close_governance_vote", is_committee_chair)
rules.add_perm("initiative.view_account", is_authenticated)
# Whose account must have a second factor before any page answers them (the roles that see unredacted
# text, moderate, move deliverables, vote on publications or open the admin).
rules.add_perm(
    "initiative.require_second_factor", is_implementation_staff | is_committee_member | is_admin_user
)
rules.add_perm("initiative.reset_second_factor", is_implementation_staff)
