"""Reads of the governance domain for pages and the API, with their joins done up front."""

from collections import defaultdict

from allauth.mfa.models import Authenticator
from django.db.models import Count, Prefetch, Q
from django.http import Http404

from .models import (
    ApiToken,
    AuditEvent,
    Body,
    BodyMembership,
    Initiative,
    Organization,
    StakeholderType,
    TaskFailure,
    User,
)


def initiative_get() -> Initiative | None:
    return Initiative.objects.prefetch_related("goals", "gaps").first()


def bodies_with_current_members() -> list[Body]:
    current = BodyMembership.objects.current().select_related("user", "user__organization")
    return list(
        Body.objects.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_members"))
    )


def organizations_by_type() -> list[tuple[str, list[Organization]]]:
    """Organizations that take part (someone enrolled or seated), grouped by stakeholder type in the
    order of StakeholderType."""
    orgs = (
        Organization.objects.annotate(
            participants=Count("enrollments", filter=Q(enrollments__status="active"), distinct=True)
        )
        .filter(Q(participants__gt=0) | Q(people__memberships__isnull=False))
        .distinct()
        .order_by("name")
    )
    grouped: dict[str, list[Organization]] = defaultdict(list)
    for org in orgs:
        grouped[org.type].append(org)
    return [(label, grouped[value]) for value, label in StakeholderType.choices if grouped.get(value)]


def audit_events():
    return AuditEvent.objects.select_related("actor", "content_type")


def task_failures_unresolved_count() -> int:
    return TaskFailure.objects.filter(resolved_at__isnull=True).count()


def current_members(kind: str):
    """Current memberships of a body (steering committee or implementation team)."""
    return BodyMembership.objects.current().filter(body__kind=kind)


def member_emails(kind: str) -> list[str]:
    """Addresses of the active people currently sitting on a body, lower-cased, once each, sorted."""
    emails = current_members(kind).filter(user__is_active=True).values_list("user__email", flat=True)
    return sorted({e.lower() for e in emails if e})


def api_token_list(*, user) -> list[ApiToken]:
    """The user's API tokens, newest first (metadata only: the secret is never stored)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created"))


def api_token_get(*, user, key: str) -> ApiToken:
    """One of the user's tokens by its visible prefix; someone else's is a 404."""
    token = ApiToken.objects.filter(user=user, token_key=key).first()
    if token is None:
        raise Http404("No such token.")
    return token


def second_factor_holders(*, q: str = ""):
    """People with at least one second factor, with their authenticators prefetched, for the staff page
    that resets them; `q` narrows by email or name."""
    users = User.objects.filter(pk__in=Authenticator.objects.values("user_id")).order_by("email")
    if q:
        users = users.filter(Q(email__icontains=q) | Q(full_name__icontains=q))
    return users.prefetch_related(
        Prefetch("authenticator_set", queryset=Authenticator.objects.order_by("type"))
    )
