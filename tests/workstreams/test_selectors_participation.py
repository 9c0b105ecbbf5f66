"""Participant roles and continuity: what an active member and a feedback provider may see and are
asked; drop-off detection on known attendance (held sessions with recorded attendance); the
representation page (active vs enrolled by type, role changes audited) and the staff dashboard."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from initiative import policy
from initiative.models import AuditEvent, User
from tests.factories import DeliverableFactory, EnrollmentFactory, OrganizationFactory, WorkstreamFactory
from tests.workstreams.factories import RoundFactory, SessionFactory
from workstreams.selectors.sessions import drop_offs
from workstreams.selectors.tracker import participant_dashboard
from workstreams.services.sessions import session_record


def fresh(user):
    return User.objects.get(pk=user.pk)  # roles are cached on the user object for a request


@pytest.mark.django_db
def test_feedback_providers_are_not_asked_to_sessions_or_ballots_but_active_members_are():
    ws = WorkstreamFactory()
    active = EnrollmentFactory(workstream=ws).user
    feedback = EnrollmentFactory(workstream=ws, role="feedback_provider").user
    session = SessionFactory(workstream=ws)
    rnd = RoundFactory(workstream=ws)
    deliverable = DeliverableFactory(workstream=ws)
    for user, expected in ((active, True), (feedback, False)):
        user = fresh(user)
        assert policy.can(user, "workstreams.view_session_private", session) is expected
        assert policy.can(user, "workstreams.vote_in_round", rnd) is expected
        assert policy.can(user, "workstreams.view_round", rnd) is expected
        # the members' area (action items, rounds, minutes) is the active members'; drafts are both's
        assert policy.can(user, "workstreams.view_members_area", ws) is expected
        assert policy.can(user, "consultations.view_member_comments", deliverable) is True
        dashboard = participant_dashboard(user=user)
        assert (rnd in dashboard["open_rounds"]) is expected
        assert (session in dashboard["upcoming_sessions"]) is expected


@pytest.mark.django_db
def test_a_feedback_provider_comments_on_drafts_in_member_review(staff):
    from consultations.models import Review
    from tests.consultations.factories import ReviewFactory, make_version
    from tests.factories import DeliverableFactory

    deliverable = DeliverableFactory(stage="member_review")
    review = ReviewFactory(
        version=make_version(deliverable=deliverable, actor=staff), kind=Review.Kind.MEMBER_REVIEW
    )
    feedback = fresh(EnrollmentFactory(workstream=deliverable.workstream, role="feedback_provider").user)
    assert policy.can(feedback, "consultations.view_draft", review.version)
    assert policy.can(feedback, "consultations.comment_on_review", review)


def held(ws, days_ago, attendees=(), staff=None):
    session = SessionFactory(workstream=ws, starts_at=timezone.now() - datetime.timedelta(days=days_ago))
    session_record(actor=staff, session=session, minutes="Notes.", attendee_ids=[u.pk for u in attendees])
    return session


@pytest.mark.django_db
def test_drop_off_is_an_active_member_absent_from_the_last_three_held_sessions(staff):
    ws = WorkstreamFactory()
    long_ago = timezone.now() - datetime.timedelta(days=100)
    gone = EnrollmentFactory(workstream=ws, committed_at=long_ago)
    steady = EnrollmentFactory(workstream=ws, committed_at=long_ago)
    feedback = EnrollmentFactory(workstream=ws, committed_at=long_ago, role="feedback_provider")
    EnrollmentFactory(workstream=ws, committed_at=timezone.now() - datetime.timedelta(days=15))  # newcomer
    held(ws, 60, attendees=[gone.user, steady.user], staff=staff)  # older than the last three
    held(ws, 30, attendees=[steady.user], staff=staff)
    assert drop_offs() == []  # only two held sessions in the window so far: no pattern yet
    held(ws, 20, staff=staff)
    SessionFactory(workstream=ws, starts_at=timezone.now() - datetime.timedelta(days=12))  # not recorded
    held(ws, 10, staff=staff)
    flagged = drop_offs()
    assert [e.pk for e in flagged] == [gone.pk]
    assert len(flagged[0].missed) == 3
    assert feedback.pk not in [e.pk for e in flagged]
    # one more session attended brings them back
    held(ws, 1, attendees=[gone.user, steady.user], staff=staff)
    assert drop_offs() == []


@pytest.mark.django_db
def test_drop_offs_show_on_the_staff_dashboard_and_the_representation_page(client, staff):
    ws = WorkstreamFactory()
    org = OrganizationFactory(type="cooperative_utility", name="Prairie Co-op")
    gone = EnrollmentFactory(
        workstream=ws, organization=org, committed_at=timezone.now() - datetime.timedelta(days=90)
    )
    gone.user.full_name = "Dana Absent"
    gone.user.save(update_fields=["full_name"])
    EnrollmentFactory(workstream=ws, role="feedback_provider")
    for days in (30, 20, 10):
        held(ws, days, staff=staff)
    client.force_login(staff)
    dashboard = client.get(reverse("workstreams:staff-dashboard")).content.decode()
    assert "Dana Absent" in dashboard and "Prairie Co-op" in dashboard
    page = client.get(reverse("workstreams:representation", args=[ws.slug])).content.decode()
    assert "Dropped off</strong>" in page
    assert f'<label class="usa-sr-only" for="role-{gone.pk}">Role of Dana Absent</label>' in page
    # role change from the page, audited
    response = client.post(
        reverse("workstreams:enrollment-role", args=[gone.pk]), {"role": "feedback_provider"}
    )
    assert response.status_code == 302
    gone.refresh_from_db()
    assert gone.role == "feedback_provider"
    event = AuditEvent.objects.get(action="enrollment.role_change")
    assert (event.before, event.after) == ({"role": "active_member"}, {"role": "feedback_provider"})
    assert drop_offs() == []  # a feedback provider is not expected at sessions


@pytest.mark.django_db
def test_only_staff_change_roles(client, participant):
    enrollment = participant.enrollments.get()
    client.force_login(participant)
    response = client.post(
        reverse("workstreams:enrollment-role", args=[enrollment.pk]), {"role": "feedback_provider"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["active_member", "feedback_provider"])
def test_the_pages_keep_the_members_area_from_feedback_providers(client, role):
    """The session page's meeting link, minutes and action items, the action-items page and the
    workstream page's members' links: an active member's, not a feedback provider's."""
    from tests.workstreams.factories import ActionItemFactory

    session = SessionFactory(minutes="We chose the wombat option.")
    ActionItemFactory(workstream=session.workstream, session=session, description="Draft the queue memo")
    client.force_login(EnrollmentFactory(workstream=session.workstream, role=role).user)
    member = role == "active_member"
    page = client.get(session.get_absolute_url()).content.decode()
    assert ("secret-room" in page) is member and ("wombat" in page) is member
    assert ("Draft the queue memo" in page) is member
    items = client.get(reverse("workstreams:action-item-list", args=[session.workstream.slug]))
    assert items.status_code == (200 if member else 403)
    detail = client.get(reverse("workstreams:workstream-detail", args=[session.workstream.slug]))
    action_link = reverse("workstreams:action-item-list", args=[session.workstream.slug])
    assert (action_link in detail.content.decode()) is member
