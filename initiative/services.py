"""Writes in the governance domain: the account profile, body memberships, second factors and personal
API tokens."""

from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import audit, outbox, policy, tasks, voting
from .models import (
    ApiToken,
    Body,
    BodyMembership,
    DocumentApproval,
    DocumentVersion,
    DocumentVote,
    GovernanceDocument,
    Language,
    User,
)

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


class GovernanceError(Exception):
    """A refused governance change (a term that ends before it starts, a closed vote, no reason)."""


MEMBERSHIP_FIELDS = ["role", "starts_on", "ends_on"]


def membership_add(
    *, actor, body: Body, user: User, role: str, starts_on=None, ends_on=None, reason: str = ""
) -> BodyMembership:
    """Seat `user` on `body` for a term. `actor=None` is the system (the loaders). Staff and the
    committee chair do it from the body's page; the audit log keeps who, when and why."""
    if actor is not None:
        policy.require(actor, "initiative.manage_memberships", body)
    if role not in BodyMembership.Role.values:
        raise GovernanceError("Choose a role.")
    with transaction.atomic():
        membership = BodyMembership(body=body, user=user, role=role, ends_on=ends_on)
        if starts_on:
            membership.starts_on = starts_on
        if membership.ends_on and membership.ends_on < membership.starts_on:
            raise GovernanceError("A term cannot end before it starts.")
        membership.full_clean()
        membership.save()
        audit.record(
            actor=actor,
            action="membership.add",
            obj=membership,
            after={"body": body.kind, "user": user.pk, **audit.snapshot(membership, MEMBERSHIP_FIELDS)},
            reason=reason.strip(),
        )
    return membership


def membership_update(
    *, actor, membership: BodyMembership, role: str, starts_on, ends_on=None, reason: str = ""
) -> BodyMembership:
    """Change a seat's role or term (ending a term is setting `ends_on`: the row stays, the record of
    who served). Audited with the before and after."""
    policy.require(actor, "initiative.manage_memberships", membership.body)
    if role not in BodyMembership.Role.values:
        raise GovernanceError("Choose a role.")
    if ends_on and ends_on < starts_on:
        raise GovernanceError("A term cannot end before it starts.")
    with transaction.atomic():
        # lock: two people editing one seat are recorded one after the other, each with its "before"
        locked = (
            BodyMembership.objects.select_for_update(no_key=True).select_related("body").get(pk=membership.pk)
        )
        before = audit.snapshot(locked, MEMBERSHIP_FIELDS)
        locked.role, locked.starts_on, locked.ends_on = role, starts_on, ends_on
        after = audit.snapshot(locked, MEMBERSHIP_FIELDS)
        if before == after:
            return locked
        locked.save(update_fields=MEMBERSHIP_FIELDS)
        action = "membership.end" if ends_on and not before["ends_on"] else "membership.change"
        audit.record(
            actor=actor, action=action, obj=locked, before=before, after=after, reason=reason.strip()
        )
    from .rules import forget

    forget(locked.user)
    return locked


# Governance documents and the committee's vote on them ------------------------------------------------


def document_version_create(
    *, actor, document: GovernanceDocument, body: str, change_note: str = ""
) -> DocumentVersion:
    """A new version of the charter or the work plan (immutable once written)."""
    policy.require(actor, "initiative.edit_governance_documents", document)
    body = (body or "").strip()
    if not body:
        raise GovernanceError("Write the text of the document.")
    with transaction.atomic():
        # lock: the document row, so two versions never get the same number
        GovernanceDocument.objects.select_for_update(no_key=True).get(pk=document.pk)
        last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = DocumentVersion.objects.create(
            document=document, number=last + 1, body=body, change_note=change_note.strip(), created_by=actor
        )
        audit.record(
            actor=actor,
            action="governance_document.version",
            obj=version,
            after={"document": document.kind, "number": version.number, "change_note": version.change_note},
        )
    return version


def document_submit(*, actor, version: DocumentVersion, deadline=None, now=None) -> DocumentApproval:
    """Put `version` to the steering committee's vote, by the rule deliverables use (`voting`): the
    sitting members are `eligible`, the quorum is fixed now. One open vote per version."""
    from django.conf import settings

    from .selectors import current_members, member_emails
    from .voting import quorum_for

    policy.require(actor, "initiative.edit_governance_documents", version.document)
    now = now or timezone.now()
    deadline = deadline or now + timedelta(days=settings.APPROVAL_VOTING_DAYS)
    if timezone.is_naive(deadline) or deadline <= now:
        raise GovernanceError("Give a voting deadline in the future.")
    with transaction.atomic():
        # lock: the version's document, so one version at a time is put to the vote
        GovernanceDocument.objects.select_for_update(no_key=True).get(pk=version.document_id)
        if DocumentApproval.objects.open().filter(version__document_id=version.document_id).exists():
            raise GovernanceError("A vote on this document is already open.")
        if version.approved_at:
            raise GovernanceError("This version is already approved.")
        eligible = current_members(Body.Kind.STEERING_COMMITTEE).values("user").distinct().count()
        if eligible == 0:
            raise GovernanceError("The steering committee has no sitting members to vote.")
        approval = DocumentApproval.objects.create(
            version=version,
            submitted_by=actor,
            submitted_at=now,
            deadline=deadline,
            eligible=eligible,
            quorum=quorum_for(eligible),
            majority=settings.APPROVAL_MAJORITY,
        )
        # the committee's call to vote, planned with the vote (the outbox sends each member one email)
        event = outbox.plan(
            kind=tasks.DOCUMENT_VOTE_OPENED,
            ref=approval.pk,
            template="initiative_document_vote_opened",
            recipients={e: {} for e in member_emails(Body.Kind.STEERING_COMMITTEE)},
        )
        tasks.deliver_event.delay_on_commit(event)
        audit.record(
            actor=actor,
            action="governance_document.submit",
            obj=version,
            after={"deadline": deadline.isoformat(), "eligible": eligible, "quorum": approval.quorum},
        )
    return approval


def _sat_when_opened(approval: DocumentApproval, user) -> bool:
    return (
        BodyMembership.objects.current(on=timezone.localdate(approval.submitted_at))
        .filter(body__kind=Body.Kind.STEERING_COMMITTEE, user=user)
        .exists()
    )


def document_vote_cast(
    *, actor, approval: DocumentApproval, choice: str, reason: str, now=None
) -> DocumentVote:
    """Cast or change a sitting member's vote, with a reason, until the deadline (as for deliverables)."""
    from .voting import VoteChoice

    policy.require(actor, "initiative.vote_governance_document", approval)
    if choice not in VoteChoice.values:
        raise GovernanceError("Choose approve, request changes or abstain.")
    reason = (reason or "").strip()
    if not reason:
        raise GovernanceError("Give a reason for your vote.")
    if not _sat_when_opened(approval, actor):
        raise GovernanceError("You joined the committee after this vote opened.")
    now = now or timezone.now()
    with transaction.atomic():
        # lock: votes and the close are serialized, so no vote lands after the decision
        locked = DocumentApproval.objects.select_for_update(no_key=True).get(pk=approval.pk)
        if not locked.accepts_votes(now):
            raise GovernanceError("This vote has closed.")
        vote = voting.record_vote(
            DocumentVote,
            approval=locked,
            member=actor,
            choice=choice,
            reason=reason,
            now=now,
            action="governance_document",
        )
    return vote


def document_tally(approval: DocumentApproval):
    from django.db.models import Count

    from .voting import Tally, VoteChoice

    counts = approval.votes.aggregate(
        approve=Count("id", filter=Q(choice=VoteChoice.APPROVE)),
        changes=Count("id", filter=Q(choice=VoteChoice.REQUEST_CHANGES)),
        abstain=Count("id", filter=Q(choice=VoteChoice.ABSTAIN)),
    )
    return Tally(quorum=approval.quorum, majority=approval.majority, **counts)


def document_approval_close(*, actor, approval: DocumentApproval, now=None) -> DocumentApproval:
    """Decide the vote: the sweep at the deadline (`actor=None`), or the chair early once the quorum is
    reached. Approved: the version is in force from now. Idempotent."""
    from .selectors import member_emails
    from .voting import Decision

    now = now or timezone.now()
    if actor is not None:
        policy.require(actor, "initiative.close_governance_vote", approval)
    with transaction.atomic():
        locked = (
            DocumentApproval.objects.select_for_update(no_key=True)
            .select_related("version")
            .get(pk=approval.pk)
        )
        if locked.decided_at is not None:
            return locked
        tally = document_tally(locked)
        if actor is None and now < locked.deadline:
            return locked
        if actor is not None and now < locked.deadline and not tally.has_quorum:
            raise GovernanceError("The vote can only be closed early once the quorum is reached.")
        locked.decision, locked.decided_at, locked.decided_by = tally.decision, now, actor
        locked.approve_count, locked.changes_count, locked.abstain_count = (
            tally.approve,
            tally.changes,
            tally.abstain,
        )
        locked.save(
            update_fields=[
                "decision",
                "decided_at",
                "decided_by",
                "approve_count",
                "changes_count",
                "abstain_count",
            ]
        )
        if tally.decision == Decision.APPROVED:
            DocumentVersion.objects.filter(pk=locked.version_id).update(approved_at=now)
        # the decision to the committee and staff, planned with it (each gets one email)
        event = outbox.plan(
            kind=tasks.DOCUMENT_DECIDED,
            ref=locked.pk,
            template="initiative_document_decided",
            recipients=dict.fromkeys(
                member_emails(Body.Kind.STEERING_COMMITTEE) + member_emails(Body.Kind.IMPLEMENTATION_TEAM), {}
            ),
        )
        tasks.deliver_event.delay_on_commit(event)
        audit.record(
            actor=actor,
            action="governance_document.decide",
            obj=locked.version,
            after={
                "decision": tally.decision,
                "approve": tally.approve,
                "changes": tally.changes,
                "abstain": tally.abstain,
                "quorum": locked.quorum,
            },
        )
    return locked


def document_approvals_sweep(*, now=None) -> int:
    """Decide the votes past their deadline and remind, once, the members who have not voted on a vote
    closing within APPROVAL_REMINDER_HOURS (by state: a rerun decides nothing twice, and the outbox's
    rows, one per event and address, remind nobody twice)."""
    from django.conf import settings

    now = now or timezone.now()
    due = list(DocumentApproval.objects.open().filter(deadline__lte=now))
    for approval in due:
        document_approval_close(actor=None, approval=approval, now=now)
    soon = now + timedelta(hours=settings.APPROVAL_REMINDER_HOURS)
    for approval in DocumentApproval.objects.open().filter(deadline__gt=now, deadline__lte=soon):
        document_vote_remind(approval=approval)
    return len(due)


def document_vote_remind(*, approval: DocumentApproval) -> str:
    """Plan the reminder to the members who sat when the vote opened, sit still, and have not voted."""
    sat_then = BodyMembership.objects.current(on=timezone.localdate(approval.submitted_at)).filter(
        body__kind=Body.Kind.STEERING_COMMITTEE
    )
    emails = (
        BodyMembership.objects.current()
        .filter(body__kind=Body.Kind.STEERING_COMMITTEE, user__is_active=True)
        .filter(user_id__in=sat_then.values("user_id"))
        .exclude(user_id__in=approval.votes.values("member_id"))
        .values_list("user__email", flat=True)
    )
    with transaction.atomic():
        event = outbox.plan(
            kind=tasks.DOCUMENT_VOTE_REMINDER,
            ref=approval.pk,
            template="initiative_document_vote_reminder",
            recipients={e.lower(): {} for e in emails if e},
        )
        tasks.deliver_event.delay_on_commit(event)
    return event


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
