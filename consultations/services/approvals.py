"""Steering-committee votes: casting and changing a vote until the deadline, closing the vote, and the
arithmetic of quorum and majority (`tally`, a pure function the tests and the page share)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, policy, voting
from initiative.voting import Tally

from ..models import Approval, Vote
from ..models.approvals import Decision, Majority
from . import workflow as workflow_services


class VoteError(Exception):
    """A vote refused for a reason the voter can fix or must be told (closed, no reason given)."""


def rule_text(approval: Approval) -> str:
    """The rule, as the approval page and the decision record state it."""
    majority = (
        _("at least two thirds of the approve and request-changes votes")
        if approval.majority == Majority.TWO_THIRDS
        else _("more than half of the approve and request-changes votes")
    )
    return _(
        "Quorum: at least %(quorum)d of the %(eligible)d sitting members must vote (abstentions count toward "
        "the quorum). The version is approved when approvals are %(majority)s; a tie, or only abstentions, "
        "sends it back with changes requested. Without a quorum at the deadline, nothing is decided and the "
        "deliverable returns to revising."
    ) % {"quorum": approval.quorum, "eligible": approval.eligible, "majority": majority}


def approval_tally(approval: Approval) -> Tally:
    counts = approval.votes.aggregate(
        approve=Count("id", filter=Q(choice=Vote.Choice.APPROVE)),
        changes=Count("id", filter=Q(choice=Vote.Choice.REQUEST_CHANGES)),
        abstain=Count("id", filter=Q(choice=Vote.Choice.ABSTAIN)),
    )
    return Tally(quorum=approval.quorum, majority=approval.majority, **counts)


def sat_when_opened(approval: Approval, user) -> bool:
    """Whether `user` was a sitting committee member on the day the vote opened: the `eligible` members
    the quorum was fixed from. Someone who joins later waits for the next vote."""
    from initiative.models import Body, BodyMembership

    return (
        getattr(user, "is_authenticated", False)
        and BodyMembership.objects.current(on=timezone.localdate(approval.submitted_at))
        .filter(body__kind=Body.Kind.STEERING_COMMITTEE, user=user)
        .exists()
    )


def approval_vote_cast(
    *, actor, approval: Approval, choice: str, reason: str, now: datetime | None = None
) -> Vote:
    """Cast or change `actor`'s vote. Only sitting committee members; only before the deadline and
    while the vote is open; a reason is required."""
    policy.require(actor, "consultations.vote_approval", approval)
    if choice not in Vote.Choice.values:
        raise VoteError(_("Choose approve, request changes or abstain."))
    reason = (reason or "").strip()
    if not reason:
        raise VoteError(_("Give a reason for your vote."))
    if not sat_when_opened(approval, actor):
        raise VoteError(
            _(
                "You joined the committee after this vote opened; its quorum counts the %(n)d members "
                "sitting then."
            )
            % {"n": approval.eligible}
        )
    now = now or timezone.now()
    with transaction.atomic():
        # lock: votes and the close of the vote are serialized, so no vote lands after the decision
        locked = Approval.objects.select_for_update(no_key=True).get(pk=approval.pk)
        if not locked.accepts_votes(now):
            raise VoteError(
                _("This vote closed on %(when)s; votes can no longer be cast or changed.")
                % {
                    "when": timezone.localtime(
                        min(locked.deadline, locked.decided_at or locked.deadline)
                    ).strftime("%Y-%m-%d %H:%M")
                }
            )
        vote = voting.record_vote(
            Vote, approval=locked, member=actor, choice=choice, reason=reason, now=now, action="approval"
        )
    return vote


def approval_close(*, actor, approval: Approval, now: datetime | None = None) -> Approval:
    """Decide the vote. `actor=None` is the sweep at the deadline (does nothing before it); the chair may
    close early once the quorum is reached. Closing a decided vote changes nothing (idempotent)."""
    from ..tasks import workflow as workflow_tasks

    now = now or timezone.now()
    if actor is not None:
        policy.require(actor, "consultations.close_approval", approval)
    with transaction.atomic():
        locked = (
            Approval.objects.select_for_update(no_key=True).select_related("deliverable").get(pk=approval.pk)
        )
        if locked.decided_at is not None:
            return locked
        tally = approval_tally(locked)
        if actor is None and now < locked.deadline:
            return locked
        if actor is not None and now < locked.deadline and not tally.has_quorum:
            raise VoteError(_("The vote can only be closed early once the quorum is reached."))
        locked.decision = tally.decision
        locked.decided_at = now
        locked.decided_by = actor
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
        audit.record(
            actor=actor,
            action="approval.decide",
            obj=locked,
            after={
                "decision": tally.decision,
                "approve": tally.approve,
                "changes": tally.changes,
                "abstain": tally.abstain,
                "quorum": locked.quorum,
            },
        )
        name = {
            Decision.APPROVED: "approve",
            Decision.CHANGES_REQUESTED: "request_changes",
            Decision.NO_QUORUM: "no_quorum",
        }[tally.decision]
        workflow_services.deliverable_transition(
            actor=actor,
            deliverable=locked.deliverable,
            name=name,
            system=True,
            now=now,
            version=locked.version,
            reason=_("Committee vote: %(a)d approve, %(c)d request changes, %(s)d abstain.")
            % {"a": tally.approve, "c": tally.changes, "s": tally.abstain},
        )
        workflow_tasks.decision_plan(approval_id=locked.pk, deliverable_id=locked.deliverable_id)
        workflow_tasks.send_decision.delay_on_commit(locked.pk)
    return locked


def approvals_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Decide votes past their deadline and queue reminders for votes closing soon. By state: a rerun
    decides nothing twice and reminds nobody twice."""
    from django.conf import settings

    from ..tasks import workflow as workflow_tasks

    now = now or timezone.now()
    decided = reminded = 0
    for approval in Approval.objects.open().filter(deadline__lte=now):
        approval_close(actor=None, approval=approval, now=now)
        decided += 1
    soon = now + timedelta(hours=settings.APPROVAL_REMINDER_HOURS)
    for approval_id in (
        Approval.objects.open()
        .filter(deadline__gt=now, deadline__lte=soon, reminder_sent_at__isnull=True)
        .values_list("id", flat=True)
    ):
        workflow_tasks.remind_vote.delay_on_commit(approval_id)
        reminded += 1
    return {"decided": decided, "reminded": reminded}
