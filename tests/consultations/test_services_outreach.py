"""Targeted consultation outreach: staff invite stakeholder types and organizations when a public
consultation opens (defaulting to the workstream's list from the report); each invited organization is
emailed once; responses are matched to invited organizations with gaps flagged; the reminder goes once,
two days before the close, only to organizations that have not commented."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from consultations.models import Outreach, OutreachInvitation, Review
from consultations.selectors.outreach import outreach_report
from consultations.services import outreach as services
from consultations.services.comments import comment_create
from consultations.services.workflow import deliverable_transition
from initiative import outbox
from initiative.models import AuditEvent, Delivery
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import (
    DeliverableFactory,
    OrganizationFactory,
    UserFactory,
    WorkstreamStakeholderFactory,
)


def org_with_rep(type="iou", **kw):
    org = OrganizationFactory(type=type, **kw)
    org.representative = UserFactory(verified=True, organization=org)
    org.save(update_fields=["representative"])
    return org


@pytest.fixture
def consultation(staff):
    deliverable = DeliverableFactory(is_key=True, stage="member_review")
    version = make_version(deliverable=deliverable, actor=staff)
    return ReviewFactory(
        version=version,
        kind=Review.Kind.PUBLIC_CONSULTATION,
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )


@pytest.mark.django_db
def test_invitations_go_once_to_each_organization_of_the_chosen_types_and_the_chosen_ones(
    staff, consultation, django_capture_on_commit_callbacks, mailoutbox, eager_tasks
):
    utility = org_with_rep("iou")
    regulator = org_with_rep("state_regulator")
    lab_people = OrganizationFactory(type="national_lab")
    lab_person = UserFactory(organization=lab_people)
    org_with_rep("consumer_advocate")  # not chosen: not invited
    with django_capture_on_commit_callbacks(execute=True):
        new = services.outreach_invite(
            actor=staff,
            review=consultation,
            stakeholder_types=["iou", "state_regulator"],
            organizations=[lab_people],
        )
    assert {i.organization for i in new} == {utility, regulator, lab_people}
    sent_to = sorted(m.to[0] for m in mailoutbox)
    assert sent_to == sorted([utility.representative.email, regulator.representative.email, lab_person.email])
    assert "invited to comment" in mailoutbox[0].body
    assert AuditEvent.objects.filter(action="outreach.invite", object_id=str(consultation.pk)).exists()

    # inviting the same again (and one more) emails only the new one
    late = org_with_rep("iou")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.outreach_invite(actor=staff, review=consultation, stakeholder_types=["iou"])
    assert [i.organization for i in again] == [late]
    assert [m.to for m in mailoutbox] == [[late.representative.email]]
    assert OutreachInvitation.objects.filter(outreach__review=consultation).count() == 4
    # a sweep finds nothing left to send
    assert outbox.sweep().sent == 0


@pytest.mark.django_db
def test_only_staff_invite_and_only_to_an_open_public_consultation(participant, staff, consultation):
    with pytest.raises(PermissionDenied):
        services.outreach_invite(actor=participant, review=consultation, stakeholder_types=["iou"])
    member_review = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)
    with pytest.raises(services.OutreachError):
        services.outreach_invite(actor=staff, review=member_review, stakeholder_types=["iou"])
    with pytest.raises(services.OutreachError):
        services.outreach_invite(
            actor=staff, review=consultation, stakeholder_types=["iou"], now=consultation.closes_at
        )


@pytest.mark.django_db
def test_opening_a_consultation_with_the_default_list_invites_the_workstreams_stakeholders(
    staff, django_capture_on_commit_callbacks, mailoutbox, eager_tasks
):
    deliverable = DeliverableFactory(is_key=True, stage="member_review")
    make_version(deliverable=deliverable, actor=staff)
    WorkstreamStakeholderFactory(workstream=deliverable.workstream, type="iso_rto")
    iso = org_with_rep("iso_rto")
    chosen = org_with_rep("der_developer")
    assert services.default_stakeholder_types(deliverable.workstream) == ["iso_rto"]
    with django_capture_on_commit_callbacks(execute=True):
        deliverable_transition(
            actor=staff,
            deliverable=deliverable,
            name="open_public_consultation",
            closes_at=timezone.now() + datetime.timedelta(days=14),
            invite_types=services.default_stakeholder_types(deliverable.workstream),
            invite_organizations=[chosen.pk],
        )
    review = Review.objects.get(version__deliverable=deliverable, kind=Review.Kind.PUBLIC_CONSULTATION)
    assert set(review.outreach.invitations.values_list("organization", flat=True)) == {iso.pk, chosen.pk}
    invited = {m.to[0] for m in mailoutbox if "invited to comment" in m.body}
    assert invited == {iso.representative.email, chosen.representative.email}


@pytest.mark.django_db
def test_responses_are_matched_to_invited_organizations_and_gaps_flagged(staff, consultation):
    utility = org_with_rep("iou")
    regulator = org_with_rep("state_regulator")
    outsider = OrganizationFactory(type="der_developer")
    services.outreach_invite(
        actor=staff, review=consultation, stakeholder_types=["iou", "state_regulator", "iso_rto"]
    )
    # a person of the utility comments (not on its behalf): the utility has responded
    comment_create(actor=UserFactory(verified=True, organization=utility), review=consultation, body="Yes.")
    comment_create(actor=UserFactory(verified=True, organization=outsider), review=consultation, body="Hi.")
    report = outreach_report(consultation)
    by_type = {r.type: r for r in report.rows}
    assert (by_type["iou"].invited, by_type["iou"].responded, by_type["iou"].gap) == (1, 1, False)
    assert by_type["state_regulator"].gap and by_type["state_regulator"].organizations == [(regulator, False)]
    assert by_type["iso_rto"].gap and by_type["iso_rto"].invited == 0  # a type with no organization
    assert report.uninvited_responders == [outsider]
    assert (report.invited, report.responded, report.gaps) == (2, 1, 2)


@pytest.mark.django_db
def test_the_reminder_goes_once_two_days_before_close_to_those_who_have_not_answered(
    staff, consultation, django_capture_on_commit_callbacks, mailoutbox, eager_tasks
):
    answered = org_with_rep("iou")
    silent = org_with_rep("iou")
    services.outreach_invite(actor=staff, review=consultation, stakeholder_types=["iou"])
    comment_create(actor=answered.representative, review=consultation, body="Our view.", on_behalf=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outreach_reminders_sweep() == 0  # ten days before: not yet
    three_days_before = consultation.closes_at - datetime.timedelta(days=3)
    with time_machine.travel(three_days_before + datetime.timedelta(days=1, minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.outreach_reminders_sweep() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert services.outreach_reminders_sweep() == 0  # a rerun reminds nobody twice
    assert [m.to for m in mailoutbox] == [[silent.representative.email]]
    assert "only reminder" in mailoutbox[0].body
    assert Outreach.objects.get(review=consultation).reminded_at is not None
    assert Delivery.objects.filter(kind="consultations.outreach_reminder").count() == 1
    assert AuditEvent.objects.filter(action="outreach.remind").count() == 1


@pytest.mark.django_db
def test_the_beat_task_runs_the_reminder_sweep(staff, consultation, eager_tasks):
    from consultations.tasks.outreach import remind_outreach

    org_with_rep("iou")
    services.outreach_invite(actor=staff, review=consultation, stakeholder_types=["iou"])
    with time_machine.travel(consultation.closes_at - datetime.timedelta(hours=47), tick=False):
        assert remind_outreach.run() == 1
        assert remind_outreach.run() == 0
