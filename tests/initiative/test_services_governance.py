"""Governance administration in the platform: staff and the committee chair manage seats, roles and
terms (audited, history kept); the charter and the work plan are versioned documents approved by the
committee through the same vote rule as deliverables; the governance page shows those in force."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from initiative import services
from initiative.models import AuditEvent, Body, BodyMembership, GovernanceDocument
from tests.factories import BodyMembershipFactory, UserFactory


@pytest.fixture
def committee(db):
    chair = BodyMembershipFactory(steering_committee=True, role="chair").user
    members = [BodyMembershipFactory(steering_committee=True).user for _ in range(3)]
    return chair, members


@pytest.mark.django_db
def test_seats_are_managed_by_staff_and_the_chair_and_every_change_is_audited(staff, committee, participant):
    chair, members = committee
    body = Body.objects.get(kind=Body.Kind.STEERING_COMMITTEE)
    newcomer = UserFactory()
    today = timezone.localdate()
    for refused in (participant, members[0]):
        with pytest.raises(PermissionDenied):
            services.membership_add(actor=refused, body=body, user=newcomer, role="member", starts_on=today)
    seat = services.membership_add(
        actor=chair,
        body=body,
        user=newcomer,
        role="member",
        starts_on=today,
        reason="Elected at the May meeting",
    )
    added = AuditEvent.objects.get(action="membership.add", object_id=str(seat.pk))
    assert added.actor == chair and added.reason == "Elected at the May meeting"
    assert added.after["role"] == "member"
    services.membership_update(
        actor=staff, membership=seat, role="chair", starts_on=today, reason="New chair"
    )
    changed = AuditEvent.objects.get(action="membership.change")
    assert (changed.before["role"], changed.after["role"]) == ("member", "chair")
    end = today + datetime.timedelta(days=30)
    services.membership_update(actor=staff, membership=seat, role="chair", starts_on=today, ends_on=end)
    ended = AuditEvent.objects.get(action="membership.end")
    assert ended.before["ends_on"] is None and ended.after["ends_on"] == end.isoformat()
    assert BodyMembership.objects.filter(pk=seat.pk).exists()  # the record of who served stays
    with pytest.raises(services.GovernanceError):
        services.membership_update(
            actor=staff,
            membership=seat,
            role="chair",
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
        )


@pytest.mark.django_db
def test_body_page_seats_someone_with_labelled_fields_and_shows_the_history(client, staff, committee):
    url = reverse("initiative:body-manage", args=["steering_committee"])
    client.force_login(staff)
    page = client.get(url).content.decode()
    for field in ("id_user", "id_role", "id_starts_on", "id_ends_on", "id_reason"):
        assert f'for="{field}"' in page
    person = UserFactory(full_name="Morgan Regulator")
    response = client.post(
        url,
        {
            "user": person.pk,
            "role": "member",
            "starts_on": timezone.localdate().isoformat(),
            "reason": "Seat",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Morgan Regulator" in page and "membership.add" in page
    seat = BodyMembership.objects.get(user=person)
    response = client.post(
        reverse("initiative:membership-update", args=[seat.pk]),
        {
            f"m{seat.pk}-role": "member",
            f"m{seat.pk}-starts_on": seat.starts_on.isoformat(),
            f"m{seat.pk}-ends_on": (seat.starts_on - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400 and "cannot end before it starts" in response.content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def charter():
    return GovernanceDocument.objects.get(kind="charter")


@pytest.mark.django_db
def test_the_charter_is_approved_by_the_committees_vote_and_shown_on_the_governance_page(
    client, staff, committee
):
    chair, members = committee
    version = services.document_version_create(
        actor=staff,
        document=charter(),
        body="## Purpose\n\nThe committee approves work products.",
        change_note="First",
    )
    approval = services.document_submit(actor=chair, version=version)
    assert (approval.eligible, approval.quorum) == (4, 3)  # the deliverables' quorum rule
    with pytest.raises(PermissionDenied):
        services.document_vote_cast(actor=staff, approval=approval, choice="approve", reason="x")
    with pytest.raises(services.GovernanceError):
        services.document_vote_cast(actor=members[0], approval=approval, choice="approve", reason="")
    for member in members[:2]:
        services.document_vote_cast(actor=member, approval=approval, choice="approve", reason="Clear roles")
    services.document_vote_cast(
        actor=members[0], approval=approval, choice="request_changes", reason="Quorum?"
    )
    with pytest.raises(services.GovernanceError):  # two votes of four: no quorum yet
        services.document_approval_close(actor=chair, approval=approval)
    services.document_vote_cast(actor=chair, approval=approval, choice="approve", reason="Agreed")
    with pytest.raises(PermissionDenied):
        services.document_approval_close(actor=members[1], approval=approval)
    decided = services.document_approval_close(actor=chair, approval=approval)
    assert (decided.decision, decided.approve_count, decided.changes_count) == ("approved", 2, 1)
    version.refresh_from_db()
    assert version.approved_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "governance_document.version",
        "governance_document.submit",
        "governance_document.vote_cast",
        "governance_document.vote_change",
        "governance_document.decide",
    } <= actions
    page = client.get(reverse("initiative:governance")).content.decode()
    assert "The committee approves work products." in page and "Version 1, approved" in page
    assert "Work plan" in page and "Not yet approved by the steering committee." in page


@pytest.mark.django_db
def test_putting_a_version_to_the_vote_emails_each_sitting_member_once(
    staff, committee, django_capture_on_commit_callbacks, mailoutbox, eager_tasks
):
    from initiative import outbox

    chair, members = committee
    version = services.document_version_create(actor=staff, document=charter(), body="Text.")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_submit(actor=staff, version=version)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in [chair, *members])
    assert "version 1 of the steering committee charter" in mailoutbox[0].body
    assert outbox.sweep().sent == 0


@pytest.mark.django_db
def test_a_vote_without_quorum_at_the_deadline_approves_nothing(staff, committee):
    version = services.document_version_create(actor=staff, document=charter(), body="Text.")
    approval = services.document_submit(
        actor=staff, version=version, deadline=timezone.now() + datetime.timedelta(days=3)
    )
    services.document_vote_cast(actor=committee[1][0], approval=approval, choice="approve", reason="Yes")
    assert services.document_approvals_sweep() == 0
    with time_machine.travel(approval.deadline + datetime.timedelta(minutes=1), tick=False):
        assert services.document_approvals_sweep() == 1
        assert services.document_approvals_sweep() == 0
    approval.refresh_from_db()
    version.refresh_from_db()
    assert approval.decision == "no_quorum" and version.approved_at is None


@pytest.mark.django_db
def test_members_who_have_not_voted_are_reminded_once_and_everyone_hears_the_decision(
    staff, committee, django_capture_on_commit_callbacks, mailoutbox, eager_tasks
):
    """Within APPROVAL_REMINDER_HOURS of the deadline the sweep reminds, once, the sitting members who
    have not voted; at the deadline it decides, and the committee and staff get the decision."""
    chair, members = committee
    version = services.document_version_create(actor=staff, document=charter(), body="Text.")
    with django_capture_on_commit_callbacks(execute=True):
        approval = services.document_submit(
            actor=staff, version=version, deadline=timezone.now() + datetime.timedelta(days=5)
        )
    mailoutbox.clear()
    for member in (chair, members[0]):
        services.document_vote_cast(actor=member, approval=approval, choice="approve", reason="Clear")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_approvals_sweep()  # five days out: nobody is reminded yet
    assert mailoutbox == []
    with time_machine.travel(approval.deadline - datetime.timedelta(hours=20), tick=False):
        for _ in range(2):  # the beat runs again: nobody twice
            with django_capture_on_commit_callbacks(execute=True):
                services.document_approvals_sweep()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(m.email for m in members[1:])
    assert "you have not voted yet" in mailoutbox[0].body and "Reminder" in mailoutbox[0].subject
    mailoutbox.clear()
    services.document_vote_cast(actor=members[1], approval=approval, choice="request_changes", reason="No")
    with time_machine.travel(approval.deadline + datetime.timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.document_approvals_sweep() == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in [chair, *members, staff])
    decision = next(m for m in mailoutbox if m.to == [staff.email])
    assert decision.subject.endswith(": Approved") and "2 approve, 1 request changes" in decision.body


@pytest.mark.django_db
def test_document_page_for_staff_writes_and_submits_and_members_vote(client, staff, committee):
    chair, members = committee
    url = reverse("initiative:document-detail", args=["work_plan"])
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "No version has been written yet." in page and 'for="id_body"' in page
    assert (
        client.post(url, {"action": "version", "body": "# Work plan\n\nYear one: Track 1."}).status_code
        == 302
    )
    assert client.post(url, {"action": "submit"}).status_code == 302
    client.force_login(members[0])
    page = client.get(url).content.decode()
    assert "Cast your vote" in page
    assert client.post(url, {"action": "vote", "choice": "approve", "reason": "Fine"}).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
