"""Reads of the governance domain for pages and the API, with their joins done up front."""

from collections import defaultdict

from allauth.mfa.models import Authenticator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

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


# Governance administration -----------------------------------------------------------------------------


def body_memberships(body):
    """Every seat on the body, current and past (the record of who served), current first."""
    from django.db.models import Case, IntegerField, Value, When

    today = timezone.localdate()
    current = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return (
        BodyMembership.objects.filter(body=body)
        .select_related("user", "user__organization")
        .annotate(is_now=Case(When(current, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("is_now", "role", "user__full_name")
    )


def body_history(body):
    """The audit trail of the body's seats: additions, changes and ended terms, newest first."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEvent

    ids = [str(pk) for pk in BodyMembership.objects.filter(body=body).values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(BodyMembership), object_id__in=ids
    ).select_related("actor")


def governance_documents():
    """The charter and the work plan, each with the version in force (latest approved) and the latest."""
    from .models import DocumentVersion, GovernanceDocument

    documents = list(GovernanceDocument.objects.all())
    versions = list(DocumentVersion.objects.filter(document__in=documents).order_by("document_id", "-number"))
    for d in documents:
        mine = [v for v in versions if v.document_id == d.pk]
        d.current = next((v for v in mine if v.approved_at), None)
        d.latest = mine[0] if mine else None
    return documents
