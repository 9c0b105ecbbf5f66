"""Steering-committee approval: quorum and majority arithmetic, votes changeable before and refused
after the deadline, the decision moving the deliverable, and the vote's record."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consultations.models import Approval, DeliverableTransition, Vote
from consultations.models.approvals import Decision, Majority
from consultations.services import approvals as svc
from consultations.services.workflow import quorum_for
from initiative.models import AuditEvent
from tests.consultations.factories_workflow import committee, deliverable_at
from tests.factories import BodyMembershipFactory
from workstreams.models import ReviewStage


@pytest.mark.parametrize(
    "approve,changes,abstain,quorum,majority,expected",
    [
        (3, 0, 0, 3, "simple", Decision.APPROVED),
        (2, 1, 0, 3, "simple", Decision.APPROVED),
        (1, 1, 1, 3, "simple", Decision.CHANGES_REQUESTED),  # tie: not an approval
        (2, 2, 0, 3, "simple", Decision.CHANGES_REQUESTED),  # tie
        (1, 0, 2, 3, "simple", Decision.APPROVED),  # abstentions count toward quorum, not the majority
        (0, 0, 3, 3, "simple", Decision.CHANGES_REQUESTED),  # only abstentions
        (2, 0, 0, 3, "simple", Decision.NO_QUORUM),
        (1, 0, 1, 3, "simple", Decision.NO_QUORUM),
        (0, 0, 0, 1, "simple", Decision.NO_QUORUM),
        (2, 1, 0, 3, "two_thirds", Decision.APPROVED),  # exactly two thirds
        (3, 2, 0, 3, "two_thirds", Decision.CHANGES_REQUESTED),  # 60% < two thirds
        (4, 2, 5, 6, "two_thirds", Decision.APPROVED),
        (5, 3, 0, 5, "simple", Decision.APPROVED),
        (3, 5, 0, 5, "simple", Decision.CHANGES_REQUESTED),
    ],
)
def test_tally(approve, changes, abstain, quorum, majority, expected):
    assert svc.Tally(approve, changes, abstain, quorum, majority).decision == expected


@pytest.mark.parametrize("eligible,expected", [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (9, 5), (0, 1)])
def test_default_quorum_is_more_than_half(eligible, expected, settings):
    settings.APPROVAL_QUORUM_FRACTION = 0.5
    assert quorum_for(eligible) == expected


@pytest.fixture
def submitted(db):
    members = committee(5)
    deliverable = deliverable_at("submitted", members=members)
    approval = Approval.objects.get(deliverable=deliverable)
    return deliverable, approval, members


@pytest.mark.django_db
def test_submit_fixes_the_version_quorum_and_rule(submitted):
    deliverable, approval, members = submitted
    assert approval.version == deliverable.versions.order_by("-number").first()
    assert (approval.eligible, approval.quorum, approval.majority) == (5, 3, Majority.SIMPLE)
    assert "at least 3 of the 5 sitting members" in svc.rule_text(approval)


@pytest.mark.django_db
def test_vote_is_changeable_before_the_deadline_and_each_change_is_recorded(submitted):
    _, approval, members = submitted
    svc.approval_vote_cast(actor=members[0], approval=approval, choice="approve", reason="Good.")
    svc.approval_vote_cast(
        actor=members[0], approval=approval, choice="request_changes", reason="On reflection, no."
    )
    vote = Vote.objects.get(approval=approval, member=members[0])
    assert (vote.choice, vote.reason) == ("request_changes", "On reflection, no.")
    assert vote.changed_at is not None
    assert Vote.objects.filter(approval=approval).count() == 1
    change = AuditEvent.objects.get(action="approval.vote_change")
    assert change.before["choice"] == "approve" and change.after["choice"] == "request_changes"


@pytest.mark.django_db
def test_votes_are_refused_after_the_deadline_even_before_the_sweep(submitted):
    _, approval, members = submitted
    svc.approval_vote_cast(actor=members[0], approval=approval, choice="approve", reason="Good.")
    with time_machine.travel(approval.deadline + datetime.timedelta(seconds=1)):
        with pytest.raises(svc.VoteError, match="closed"):
            svc.approval_vote_cast(
                actor=members[0], approval=approval, choice="abstain", reason="Changed mind."
            )
        with pytest.raises(svc.VoteError):
            svc.approval_vote_cast(actor=members[1], approval=approval, choice="approve", reason="Late.")
    assert Vote.objects.get(member=members[0]).choice == "approve"


@pytest.mark.django_db
def test_a_vote_needs_a_reason(submitted):
    _, approval, members = submitted
    with pytest.raises(svc.VoteError, match="reason"):
        svc.approval_vote_cast(actor=members[0], approval=approval, choice="approve", reason="  ")


@pytest.mark.django_db
def test_only_sitting_members_vote(submitted, staff, participant, public_user):
    _, approval, _ = submitted
    former = BodyMembershipFactory(
        steering_committee=True,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    ).user
    for user in (staff, participant, public_user, former):
        with pytest.raises(PermissionDenied):
            svc.approval_vote_cast(actor=user, approval=approval, choice="approve", reason="x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "choices,decision,stage",
    [
        (["approve", "approve", "request_changes"], Decision.APPROVED, ReviewStage.APPROVED),
        (
            ["approve", "request_changes", "abstain"],
            Decision.CHANGES_REQUESTED,
            ReviewStage.CHANGES_REQUESTED,
        ),
        (["approve", "approve"], Decision.NO_QUORUM, ReviewStage.REVISING),
    ],
)
def test_the_sweep_decides_at_the_deadline_and_moves_the_deliverable(
    submitted, choices, decision, stage, django_capture_on_commit_callbacks
):
    deliverable, approval, members = submitted
    for member, choice in zip(members, choices, strict=False):
        svc.approval_vote_cast(actor=member, approval=approval, choice=choice, reason="r")
    assert svc.approvals_sweep(now=approval.deadline - datetime.timedelta(minutes=1))["decided"] == 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svc.approvals_sweep(now=approval.deadline)
    approval.refresh_from_db()
    deliverable.refresh_from_db()
    assert approval.decision == decision and deliverable.stage == stage
    assert approval.votes_cast == len(choices)
    row = DeliverableTransition.objects.filter(deliverable=deliverable).first()
    assert row.actor is None and row.to_stage == stage
    assert callbacks  # the decision email is queued
    # running the sweep again decides nothing twice
    assert svc.approvals_sweep(now=approval.deadline + datetime.timedelta(hours=1))["decided"] == 0
    assert DeliverableTransition.objects.filter(deliverable=deliverable, from_stage="submitted").count() == 1


@pytest.mark.django_db
def test_chair_may_close_early_only_with_a_quorum(submitted):
    deliverable, approval, members = submitted
    chair = BodyMembershipFactory(steering_committee=True, role="chair").user
    svc.approval_vote_cast(actor=members[0], approval=approval, choice="approve", reason="r")
    with pytest.raises(svc.VoteError, match="quorum"):
        svc.approval_close(actor=chair, approval=approval)
    with pytest.raises(PermissionDenied):
        svc.approval_close(actor=members[0], approval=approval)
    for m in members[1:3]:
        svc.approval_vote_cast(actor=m, approval=approval, choice="approve", reason="r")
    svc.approval_close(actor=chair, approval=approval)
    approval.refresh_from_db()
    assert approval.decision == Decision.APPROVED and approval.decided_by == chair
    with pytest.raises(svc.VoteError):
        svc.approval_vote_cast(actor=members[4], approval=approval, choice="approve", reason="too late")


@pytest.mark.django_db
def test_a_member_who_joins_after_the_vote_opened_does_not_vote_in_it(submitted, client):
    """The quorum was fixed from the members sitting when the vote opened; a newcomer's vote would push
    the count past them ("6 of 5 members have voted"), so it is refused and the page offers no form."""
    _, approval, members = submitted
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    newcomer = BodyMembershipFactory(steering_committee=True, starts_on=tomorrow).user
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        with pytest.raises(svc.VoteError, match="joined the committee after this vote opened"):
            svc.approval_vote_cast(actor=newcomer, approval=approval, choice="approve", reason="Fine.")
        client.force_login(newcomer)
        response = client.get(f"/approvals/{approval.pk}/")
        assert response.status_code == 200 and b'name="reason"' not in response.content
        svc.approval_vote_cast(actor=members[0], approval=approval, choice="approve", reason="Fine.")
    assert approval.votes.count() == 1
