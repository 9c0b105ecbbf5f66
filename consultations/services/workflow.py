"""The one guarded transition of a deliverable's review stage, and the sweep that moves deliverables
on when their review windows end.

`deliverable_transition` is the only code that assigns `Deliverable.stage`. It locks the deliverable,
checks the current stage against the table in `consultations.workflow` and the actor against the rules,
does the transition's own work (open a review window, create the committee's vote, create the
publication), changes the stage with update_fields, writes the history row and the audit log, and
enqueues its Celery work after commit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, policy
from initiative.voting import quorum_for
from workstreams.models import Deliverable, ReviewStage

from .. import workflow
from ..models import Approval, DeliverableTransition, DraftVersion, Publication, Review
from ..models.approvals import Decision, Majority
from . import following
from . import reviews as review_services


class TransitionInputError(Exception):
    """The move is legal but its inputs are missing or wrong (a 400, not a 409)."""


@dataclass
class _Effects:
    version: DraftVersion | None = None


def _latest_version(deliverable: Deliverable) -> DraftVersion:
    version = DraftVersion.objects.filter(deliverable=deliverable).order_by("-number").first()
    if version is None:
        raise TransitionInputError(_("This deliverable has no draft version yet: write one first."))
    return version


def _open_reviews(deliverable: Deliverable):
    return Review.objects.filter(version__deliverable=deliverable, closed_at__isnull=True)


def _close_open_reviews(*, actor, deliverable: Deliverable, now: datetime, fx: _Effects) -> None:
    from ..tasks import workflow as workflow_tasks

    for review in _open_reviews(deliverable).filter(opens_at__lte=now):
        review_services.review_close(actor=actor, review=review, when=now)
        workflow_tasks.review_closed_plan(review_id=review.pk)  # outbox rows with the close
        workflow_tasks.notify_review_closed.delay_on_commit(review.pk)
    # a window scheduled for later is simply cancelled
    for review in _open_reviews(deliverable).filter(opens_at__gt=now):
        review_services.review_close(actor=actor, review=review, when=review.opens_at)


def _open_review(
    kind,
    *,
    actor,
    deliverable,
    now,
    fx: _Effects,
    opens_at=None,
    closes_at=None,
    invite_types=None,
    invite_organizations=None,
    **_ignored,
):
    from ..tasks import workflow as workflow_tasks

    if closes_at is None:
        raise TransitionInputError(_("Give the closing date and time of the review window."))
    opens_at = opens_at or now
    version = fx.version or _latest_version(deliverable)
    _close_open_reviews(actor=actor, deliverable=deliverable, now=now, fx=fx)
    try:
        review = review_services.review_open(
            actor=actor, version=version, kind=kind, opens_at=opens_at, closes_at=closes_at
        )
    except review_services.ReviewError as exc:
        raise TransitionInputError(str(exc)) from exc
    fx.version = version
    if kind == Review.Kind.PUBLIC_CONSULTATION and (invite_types or invite_organizations):
        _invite(
            actor=actor, review=review, types=invite_types or (), organizations=invite_organizations or ()
        )
    task = (
        workflow_tasks.notify_consultation_opened
        if kind == Review.Kind.PUBLIC_CONSULTATION
        else workflow_tasks.notify_review_opened
    )
    if opens_at <= now:  # a window that opens later is announced by the sweep when it opens
        task.delay_on_commit(review.pk)


def _invite(*, actor, review, types, organizations) -> None:
    """Targeted outreach chosen when the consultation opens (organizations as rows or ids)."""
    from initiative.models import Organization

    from . import outreach

    ids = [getattr(o, "pk", o) for o in organizations]
    try:
        outreach.outreach_invite(
            actor=actor,
            review=review,
            stakeholder_types=types,
            organizations=list(Organization.objects.filter(pk__in=ids)),
        )
    except outreach.OutreachError as exc:
        raise TransitionInputError(str(exc)) from exc


def _close_review(*, actor, deliverable, now, fx: _Effects, **_ignored):
    _close_open_reviews(actor=actor, deliverable=deliverable, now=now, fx=fx)


def _submit(
    *, actor, deliverable, now, fx: _Effects, deadline=None, quorum=None, majority=None, note="", **_ignored
):
    from initiative.models import Body
    from initiative.selectors import current_members

    from ..tasks import workflow as workflow_tasks

    if deadline is None:  # the standing voting period
        deadline = now + timedelta(days=settings.APPROVAL_VOTING_DAYS)
    if timezone.is_naive(deadline) or deadline <= now:
        raise TransitionInputError(_("Give a voting deadline in the future."))
    if (
        deliverable.is_key
        and not Review.objects.filter(version__deliverable=deliverable, kind=Review.Kind.PUBLIC_CONSULTATION)
        .ended(now)
        .exists()
    ):
        raise TransitionInputError(
            _("A key “draft final” deliverable needs a closed public consultation first.")
        )
    version = fx.version or _latest_version(deliverable)
    eligible = current_members(Body.Kind.STEERING_COMMITTEE).values("user").distinct().count()
    if eligible == 0:
        raise TransitionInputError(_("The steering committee has no sitting members to vote."))
    quorum = int(quorum) if quorum else quorum_for(eligible)
    if not 1 <= quorum <= eligible:
        raise TransitionInputError(
            _("The quorum must be between 1 and the %(n)d sitting members.") % {"n": eligible}
        )
    majority = majority or settings.APPROVAL_MAJORITY
    if majority not in Majority.values:
        raise TransitionInputError(_("Unknown majority rule."))
    approval = Approval.objects.create(
        deliverable=deliverable,
        version=version,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        submitted_at=now,
        deadline=deadline,
        eligible=eligible,
        quorum=quorum,
        majority=majority,
        note=note,
    )
    audit.record(
        actor=actor,
        action="approval.open",
        obj=approval,
        after={
            "version": version.number,
            "deadline": deadline.isoformat(),
            "quorum": quorum,
            "eligible": eligible,
            "majority": majority,
        },
    )
    fx.version = version
    workflow_tasks.vote_opened_plan(approval_id=approval.pk)  # outbox rows with the vote
    workflow_tasks.notify_vote_opened.delay_on_commit(approval.pk)


def _publish(*, actor, deliverable, now, fx: _Effects, **_ignored):
    from ..tasks import workflow as workflow_tasks

    approval = (
        Approval.objects.decided()
        .filter(deliverable=deliverable, decision=Decision.APPROVED)
        .select_related("version")
        .order_by("-decided_at")
        .first()
    )
    if approval is None:
        raise TransitionInputError(_("There is no approved version to publish."))
    if Publication.objects.filter(version=approval.version).exists():
        raise TransitionInputError(_("This version is already published; a correction needs a new version."))
    from .publication import unredacted_occurrences

    leaks = unredacted_occurrences(approval.version)
    if leaks:
        raise TransitionInputError(
            _(
                "Redacted text also appears elsewhere in this version and would be published: %(words)s. "
                "Redact every occurrence first."
            )
            % {"words": ", ".join(f"“{w}”" for w in leaks)}
        )
    publication = Publication.objects.create(
        deliverable=deliverable,
        version=approval.version,
        approval=approval,
        title=approval.version.title,
        published_at=now,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        redaction_count=approval.version.redactions.count(),
    )
    audit.record(
        actor=actor,
        action="publication.create",
        obj=publication,
        after={"version": approval.version.number, "redactions": publication.redaction_count},
    )
    fx.version = approval.version
    following.publication_notify(publication=publication, actor=actor)
    workflow_tasks.build_publication.delay_on_commit(publication.pk)


EFFECTS = {
    "open_member_review": partial(_open_review, Review.Kind.MEMBER_REVIEW),
    "rereview": partial(_open_review, Review.Kind.MEMBER_REVIEW),
    "open_public_consultation": partial(_open_review, Review.Kind.PUBLIC_CONSULTATION),
    "skip_consultation": _close_review,
    "start_revising": _close_review,
    "withdraw_review": _close_review,
    "withdraw_consultation": _close_review,
    "submit": _submit,
    "publish": _publish,
}


def deliverable_transition(
    *,
    actor,
    deliverable: Deliverable,
    name: str | None = None,
    to: str | None = None,
    reason: str = "",
    system: bool = False,
    version: DraftVersion | None = None,
    now: datetime | None = None,
    waive: tuple[str, ...] | list[str] = (),
    waiver_reason: str = "",
    **inputs,
) -> DeliverableTransition:
    """Move `deliverable` by the transition `name` (or to the stage `to`).

    Raises PermissionDenied (actor may not move deliverables), IllegalTransition (not from this stage,
    or a system-only move asked for by a person) or TransitionInputError (bad inputs). `system=True` is
    for the workflow's own callers (the vote's outcome, the sweep), which have checked their actor.
    Inputs by transition: opens_at/closes_at (reviews), invite_types/invite_organizations (a public
    consultation's targeted outreach: stakeholder types and organization rows or ids),
    deadline/quorum/majority/note (submit).
    A requirement of the move that is unmet (`workflow.unmet`, e.g. a held webinar for a key
    deliverable's submission) raises RequirementNotMet unless it is named in `waive` by someone allowed
    to waive it, with a `waiver_reason`; the waiver is kept on the history row and in the audit log.
    """
    if not system:
        policy.require(actor, "consultations.move_deliverable", deliverable)
    now = now or timezone.now()
    fx = _Effects(version=version)
    with transaction.atomic():
        # lock: one transition at a time per deliverable (two staff clicking, the sweep and a vote close)
        locked = (
            Deliverable.objects.select_for_update(no_key=True)
            .select_related("workstream")
            .get(pk=deliverable.pk)
        )
        transition = workflow.find(locked.stage, name=name, target=to)
        if transition.system and not system:
            raise workflow.IllegalTransition(
                current=locked.stage,
                requested=transition.target,
                message=_("Only the steering committee's vote moves a submitted deliverable."),
            )
        if not system:
            policy.require(actor, transition.permission, locked)
        workflow.check_allowed(locked, transition)
        waivers = _waivers(
            actor=actor, deliverable=locked, transition=transition, now=now, waive=waive, reason=waiver_reason
        )
        if version is not None and version.deliverable_id != locked.pk:
            raise TransitionInputError(_("That version belongs to another deliverable."))
        effect = EFFECTS.get(transition.name)
        if effect is not None:
            effect(actor=actor, deliverable=locked, now=now, fx=fx, **inputs)
        before = locked.stage
        locked.stage = transition.target
        locked.save(update_fields=["stage"])
        actor_row = actor if getattr(actor, "is_authenticated", False) else None
        row = DeliverableTransition.objects.create(
            deliverable=locked,
            name=transition.name,
            from_stage=before,
            to_stage=transition.target,
            actor=actor_row,
            reason=reason.strip(),
            version=fx.version,
            waivers=waivers,
            created_at=now,
        )
        for name, why in waivers.items():
            audit.record(
                actor=actor_row,
                action="deliverable.requirement_waive",
                obj=locked,
                after={"requirement": name, "transition": transition.name},
                reason=why,
            )
        audit.record(
            actor=actor_row,
            action=f"deliverable.{transition.name}",
            obj=locked,
            before={"stage": before},
            after={"stage": transition.target, **({"waivers": waivers} if waivers else {})},
            reason=reason.strip(),
        )
    deliverable.stage = locked.stage
    return row


def _waivers(*, actor, deliverable, transition, now, waive, reason) -> dict[str, str]:
    """Check the move's requirements; return {requirement: reason} for those waived.

    Unmet and not waived: RequirementNotMet (409). Waived: the actor must hold
    `consultations.waive_requirement` and give a reason (400 otherwise)."""
    missing = workflow.unmet(deliverable, transition, now=now)
    if not missing:
        return {}
    not_waived = [r for r in missing if r.name not in set(waive or ())]
    if not_waived:
        raise workflow.RequirementNotMet(
            current=deliverable.stage, requested=transition.target, requirements=not_waived
        )
    policy.require(actor, "consultations.waive_requirement", deliverable)
    reason = (reason or "").strip()
    if not reason:
        raise TransitionInputError(_("Give the reason for the waiver: it is recorded in the history."))
    return {r.name: reason for r in missing}


def reviews_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Close review windows that are past their end, move their deliverables on where the table says,
    and announce windows that have opened. Selects by state, so running it twice does nothing new."""
    from ..tasks import workflow as workflow_tasks

    now = now or timezone.now()
    closed = moved = announced = 0
    due = Review.objects.filter(closed_at__isnull=True, closes_at__lte=now).select_related(
        "version__deliverable"
    )
    for review in due:
        review_services.review_close(actor=None, review=review, when=now)
        closed += 1
        workflow_tasks.review_closed_plan(review_id=review.pk)  # outbox rows with the close
        workflow_tasks.notify_review_closed.delay_on_commit(review.pk)
        deliverable = review.version.deliverable
        name = workflow.ON_REVIEW_CLOSED.get(ReviewStage(review.kind))
        if deliverable.stage != review.kind or name is None:
            continue
        try:
            deliverable_transition(
                actor=None,
                deliverable=deliverable,
                name=name,
                system=True,
                now=now,
                reason=_("The %(kind)s closed on %(when)s.")
                % {
                    "kind": review.get_kind_display().lower(),
                    "when": timezone.localtime(review.closes_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            moved += 1
        except workflow.IllegalTransition:
            pass  # a key deliverable waits for staff to open its public consultation; staff are told
    for review in Review.objects.open_at(now).filter(opened_notified_at__isnull=True):
        task = (
            workflow_tasks.notify_consultation_opened
            if review.kind == Review.Kind.PUBLIC_CONSULTATION
            else workflow_tasks.notify_review_opened
        )
        task.delay_on_commit(review.pk)
        announced += 1
    closing = 0
    for review in (
        Review.objects.open_at(now)
        .filter(closes_at__lte=now + timedelta(hours=48))
        .select_related("version__deliverable")
    ):
        following.review_window_notify(review=review, what="closing")  # once per review and end (its key)
        closing += 1
    return {"closed": closed, "moved": moved, "announced": announced, "closing": closing}
