"""The review workflow's state machine: every legal transition per role, every illegal one, history,
audit and the task enqueued after commit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consultations import workflow
from consultations.models import DeliverableTransition, Review
from consultations.services import workflow as wf
from initiative.models import AuditEvent
from tests.consultations.factories_workflow import deliverable_at, inputs_for, staff_user
from tests.factories import DeliverableFactory
from workstreams.models import ReviewStage

USER_TRANSITIONS = [t for t in workflow.TRANSITIONS if not t.system]
ROLES = ["anonymous", "public_user", "participant", "staff", "committee_member"]


@pytest.mark.django_db
@pytest.mark.parametrize("transition", USER_TRANSITIONS, ids=lambda t: t.name)
@pytest.mark.parametrize("role", ROLES)
def test_each_transition_only_staff_may_take_it(transition, role, roles, django_capture_on_commit_callbacks):
    """Staff may take every non-system transition from its source stage; no other role may."""
    deliverable = deliverable_at(transition.source, is_key=not transition.skips_consultation)
    actor = roles[role]
    now = timezone.now()
    if transition.name == "submit":
        from tests.consultations.factories_workflow import committee, held_webinar

        committee(3)
        held_webinar(deliverable)  # a key deliverable's submission needs one
    if role != "staff":
        with pytest.raises(PermissionDenied):
            wf.deliverable_transition(
                actor=actor, deliverable=deliverable, name=transition.name, **inputs_for(transition.name, now)
            )
        deliverable.refresh_from_db()
        assert deliverable.stage == transition.source
        return
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        row = wf.deliverable_transition(
            actor=actor,
            deliverable=deliverable,
            name=transition.name,
            reason="Test move",
            **inputs_for(transition.name, now),
        )
    deliverable.refresh_from_db()
    assert deliverable.stage == transition.target
    assert (row.from_stage, row.to_stage, row.actor, row.reason) == (
        transition.source,
        transition.target,
        actor,
        "Test move",
    )
    audit = AuditEvent.objects.filter(
        action=f"deliverable.{transition.name}", object_id=str(deliverable.pk)
    ).get()
    assert audit.before == {"stage": transition.source} and audit.after == {"stage": transition.target}
    if transition.name in {
        "open_member_review",
        "open_public_consultation",
        "rereview",
        "submit",
        "publish",
        "start_revising",
        "skip_consultation",
        "withdraw_review",
        "withdraw_consultation",
    }:
        assert callbacks, "its Celery work is enqueued on commit"


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ReviewStage.values)
def test_every_move_not_in_the_table_is_refused_with_both_states(stage, staff):
    deliverable = DeliverableFactory(stage=stage)
    legal = {t.target for t in workflow.outgoing(stage)}
    for target in ReviewStage.values:
        if target in legal:
            continue
        with pytest.raises(workflow.IllegalTransition) as exc:
            wf.deliverable_transition(actor=staff, deliverable=deliverable, to=target)
        assert (exc.value.current, exc.value.requested) == (stage, target)
    deliverable.refresh_from_db()
    assert deliverable.stage == stage
    assert not DeliverableTransition.objects.filter(deliverable=deliverable).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["approve", "request_changes", "no_quorum"])
def test_only_the_vote_moves_a_submitted_deliverable(name, staff):
    deliverable = DeliverableFactory(stage=ReviewStage.SUBMITTED)
    with pytest.raises(workflow.IllegalTransition, match="steering committee"):
        wf.deliverable_transition(actor=staff, deliverable=deliverable, name=name)


@pytest.mark.django_db
def test_key_deliverable_cannot_skip_the_public_consultation():
    deliverable = deliverable_at("member_review", is_key=True)
    with pytest.raises(workflow.IllegalTransition, match="public consultation"):
        wf.deliverable_transition(actor=staff_user(), deliverable=deliverable, name="skip_consultation")
    assert "skip_consultation" not in [t.name for t in workflow.available(deliverable, staff_user())]


@pytest.mark.django_db
def test_other_deliverables_may_skip_it_and_be_submitted():
    from tests.consultations.factories_workflow import committee

    staff = staff_user()
    deliverable = deliverable_at("member_review", is_key=False, staff=staff)
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="skip_consultation")
    committee(2)
    wf.deliverable_transition(
        actor=staff,
        deliverable=deliverable,
        name="submit",
        deadline=timezone.now() + datetime.timedelta(days=3),
    )
    assert deliverable.stage == ReviewStage.SUBMITTED


@pytest.mark.django_db
def test_opening_member_review_opens_a_window_on_the_latest_version():
    deliverable = deliverable_at("member_review")
    review = Review.objects.get(version__deliverable=deliverable)
    assert review.kind == Review.Kind.MEMBER_REVIEW and review.is_open()
    assert review.version == deliverable.versions.order_by("-number").first()


@pytest.mark.django_db
def test_review_transition_without_closing_time_is_an_input_error(staff):
    from tests.consultations.factories import make_version

    deliverable = DeliverableFactory()
    make_version(deliverable=deliverable, actor=staff)
    with pytest.raises(wf.TransitionInputError):
        wf.deliverable_transition(actor=staff, deliverable=deliverable, name="open_member_review")
    deliverable.refresh_from_db()
    assert deliverable.stage == ReviewStage.DRAFTING


@pytest.mark.django_db
def test_no_version_no_review(staff):
    deliverable = DeliverableFactory()
    with pytest.raises(wf.TransitionInputError, match="no draft version"):
        wf.deliverable_transition(
            actor=staff,
            deliverable=deliverable,
            name="open_member_review",
            closes_at=timezone.now() + datetime.timedelta(days=3),
        )


@pytest.mark.django_db
def test_available_transitions_are_the_buttons(roles):
    deliverable = deliverable_at("member_review", is_key=True)
    assert [t.name for t in workflow.available(deliverable, roles["staff"])] == [
        "open_public_consultation",
        "withdraw_review",
    ]
    for role in ["anonymous", "public_user", "participant", "committee_member"]:
        assert workflow.available(deliverable, roles[role]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "public_user", "participant", "committee_member"])
def test_no_move_at_all_for_other_roles(role, roles):
    """Whatever the stage and target, a role other than staff is refused before anything changes."""
    for stage in ReviewStage.values:
        deliverable = DeliverableFactory(stage=stage)
        for target in ReviewStage.values:
            with pytest.raises(PermissionDenied):
                wf.deliverable_transition(actor=roles[role], deliverable=deliverable, to=target)
        deliverable.refresh_from_db()
        assert deliverable.stage == stage
    assert not DeliverableTransition.objects.exists()
