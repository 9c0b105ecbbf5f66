"""Working sessions and workshops: time zones, members-only link and minutes, attendance, and the
action items they raise."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied

from initiative.models import AuditEvent
from tests.factories import EnrollmentFactory, OrganizationFactory
from tests.workstreams.factories import ActionItemFactory, IssueAreaFactory, SessionFactory
from workstreams.models import ActionItem, WorkingSession
from workstreams.services import sessions

pytestmark = pytest.mark.django_db


def test_staff_schedule_a_session_in_its_time_zone(client, staff, workstream):
    client.force_login(staff)
    area = IssueAreaFactory()
    response = client.post(
        f"/workstreams/{workstream.slug}/sessions/new/",
        {
            "kind": "workshop",
            "title": "Planning workshop",
            "day": "2026-07-14",
            "time": "10:00",
            "time_zone": "America/Denver",
            "duration_minutes": "120",
            "meeting_url": "https://meet.example.org/x",
            "agenda": "1. Intro",
            "issue_areas": [area.pk],
        },
    )
    assert response.status_code == 302
    session = WorkingSession.objects.get()
    # 10:00 in Denver (MDT, UTC−6) is 16:00 UTC.
    assert session.starts_at == datetime.datetime(2026, 7, 14, 16, 0, tzinfo=datetime.UTC)
    assert session.time_zone == "America/Denver"
    assert list(session.issue_areas.all()) == [area]
    assert AuditEvent.objects.filter(action="session.schedule").exists()
    page = client.get(session.get_absolute_url()).content.decode()
    assert "10:00 AM MDT" in page and "America/Denver" in page


def test_naive_start_is_refused(staff, workstream):
    with pytest.raises(sessions.SessionError):
        sessions.session_schedule(
            actor=staff,
            workstream=workstream,
            title="x",
            starts_at=datetime.datetime(2026, 7, 1, 10),
            time_zone="UTC",
        )


@pytest.mark.parametrize(
    "role,sees",
    [
        ("anonymous", False),
        ("public_user", False),
        ("participant", True),
        ("staff", True),
        ("committee_member", True),
    ],
)
def test_meeting_link_and_minutes_are_for_members_only(client, roles, workstream, role, sees):
    session = SessionFactory(workstream=workstream, minutes="Agreed **the scope**.")
    if role != "anonymous":
        client.force_login(roles[role])
    page = client.get(session.get_absolute_url()).content.decode()
    assert session.title in page
    assert ("secret-room" in page) is sees
    assert ("<strong>the scope</strong>" in page) is sees


def test_member_of_another_workstream_does_not_see_the_link(client, workstream):
    session = SessionFactory(workstream=workstream)
    client.force_login(EnrollmentFactory().user)
    assert "secret-room" not in client.get(session.get_absolute_url()).content.decode()


def test_staff_record_attendance_and_minutes(client, staff, participant, workstream):
    session = SessionFactory(workstream=workstream)
    client.force_login(staff)
    response = client.post(
        f"/sessions/{session.pk}/record/", {"minutes": "We met.", "attendees": [participant.pk]}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "held" and session.minutes == "We met."
    assert list(session.attendees.all()) == [participant]
    assert AuditEvent.objects.filter(action="session.record").exists()


@pytest.mark.parametrize("role", ["participant", "public_user", "committee_member"])
def test_only_staff_change_sessions(roles, workstream, role):
    session = SessionFactory(workstream=workstream)
    with pytest.raises(PermissionDenied):
        sessions.session_record(actor=roles[role], session=session, minutes="x", attendee_ids=[])
    with pytest.raises(PermissionDenied):
        sessions.session_update(actor=roles[role], session=session, title="Hijacked")
    with pytest.raises(PermissionDenied):
        sessions.session_schedule(
            actor=roles[role],
            workstream=workstream,
            title="x",
            time_zone="UTC",
            starts_at=datetime.datetime(2026, 7, 1, 10, tzinfo=zoneinfo.ZoneInfo("UTC")),
        )


def test_a_session_raises_an_action_item(client, staff, participant, workstream):
    session = SessionFactory(workstream=workstream)
    area = IssueAreaFactory()
    client.force_login(staff)
    response = client.post(
        f"/workstreams/{workstream.slug}/action-items/",
        {
            "session": session.pk,
            "description": "Share the hosting-capacity study",
            "owner": participant.pk,
            "due_date": "2026-12-01",
            "issue_area": area.pk,
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.session == session and item.issue_area == area and item.owner == participant
    assert item.owner_organization == participant.organization  # defaults to the owner's
    assert AuditEvent.objects.filter(action="action_item.create").exists()
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Share the hosting-capacity study" in page


def test_owner_updates_status_other_participants_cannot(client, participant, workstream):
    item = ActionItemFactory(workstream=workstream, owner=participant)
    other = EnrollmentFactory(workstream=workstream).user
    with pytest.raises(PermissionDenied):
        sessions.action_item_set_status(actor=other, item=item, status="done")
    client.force_login(participant)
    client.post(f"/action-items/{item.pk}/status/", {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done" and item.completed_at is not None
    assert AuditEvent.objects.filter(action="action_item.status", actor=participant).exists()


def test_action_items_page_is_for_members(client, public_user, participant, workstream):
    ActionItemFactory(workstream=workstream, description="Members-only task")
    client.force_login(public_user)
    assert client.get(f"/workstreams/{workstream.slug}/action-items/").status_code == 403
    client.force_login(participant)
    page = client.get(f"/workstreams/{workstream.slug}/action-items/")
    assert page.status_code == 200 and "Members-only task" in page.content.decode()
    # a participant cannot add items
    response = client.post(
        f"/workstreams/{workstream.slug}/action-items/",
        {"description": "x", "owner": participant.pk, "due_date": "2026-12-01"},
    )
    assert response.status_code == 403


def test_issue_area_pages_link_action_items(client, loaded_initiative, staff):
    from workstreams.models import IssueArea, Workstream

    area = IssueArea.objects.get(slug="distribution-interconnection")
    assert area.track2_workstream.code == "E"
    t3 = Workstream.objects.get(code="T3")
    ActionItemFactory(workstream=t3, issue_area=area, description="Draft flexible-interconnection questions")
    client.force_login(staff)
    page = client.get("/track-3/issue-areas/").content.decode()
    assert "Distribution Interconnection" in page and "Flexible interconnection" in page
    detail = client.get(f"/track-3/issue-areas/{area.slug}/").content.decode()
    assert "Draft flexible-interconnection questions" in detail
    client.logout()
    assert (
        "Draft flexible-interconnection questions"
        not in client.get(f"/track-3/issue-areas/{area.slug}/").content.decode()
    )


def test_staff_reschedule_and_cancel_a_session(client, staff, workstream):
    session = SessionFactory(workstream=workstream, title="Old title")
    client.force_login(staff)
    response = client.post(
        f"/sessions/{session.pk}/edit/",
        {
            "kind": "working_session",
            "title": "New title",
            "day": "2026-12-02",
            "time": "09:30",
            "time_zone": "America/Los_Angeles",
            "duration_minutes": "60",
            "status": "cancelled",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "New title" and session.status == "cancelled"
    assert session.starts_at == datetime.datetime(2026, 12, 2, 17, 30, tzinfo=datetime.UTC)
    event = AuditEvent.objects.get(action="session.update")
    assert event.before["title"] == "Old title" and event.after["status"] == "cancelled"


def test_session_and_action_item_lists_have_constant_queries(
    client, participant, workstream, django_assert_max_num_queries, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tests.workstreams.factories import LOCAL_CACHE

    settings.CACHES = LOCAL_CACHE
    client.force_login(participant)

    def add(n):
        for i in range(n):
            s = SessionFactory(
                workstream=workstream, starts_at=timezone.now() + datetime.timedelta(days=(i % 2) * 6 - 3)
            )
            s.issue_areas.add(IssueAreaFactory())
            ActionItemFactory(workstream=workstream, session=s, issue_area=IssueAreaFactory())

    add(2)
    urls = [
        f"/workstreams/{workstream.slug}/sessions/",
        f"/workstreams/{workstream.slug}/action-items/?status=all",
    ]
    for url in urls:
        client.get(url)
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    add(15)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_an_action_item_always_has_an_owning_organization(client, staff, workstream):
    """An owner without an organization (e.g. implementation staff) needs one chosen explicitly."""
    client.force_login(staff)
    data = {"description": "Write the summary", "owner": staff.pk, "due_date": "2026-12-01"}
    response = client.post(f"/workstreams/{workstream.slug}/action-items/", data)
    assert response.status_code == 422 and "choose the organization accountable" in response.content.decode()
    assert not ActionItem.objects.exists()
    org = OrganizationFactory()
    response = client.post(
        f"/workstreams/{workstream.slug}/action-items/", {**data, "owner_organization": org.pk}
    )
    assert response.status_code == 302 and ActionItem.objects.get().owner_organization == org


def test_scheduling_a_session_tells_followers_of_its_workstream_and_issue_areas(staff):
    from initiative import notifications
    from initiative.models import Notification, NotificationEvent
    from tests.factories import UserFactory, WorkstreamFactory

    ws = WorkstreamFactory()
    area = IssueAreaFactory()
    area_follower, ws_follower, nobody = UserFactory(), UserFactory(), UserFactory()
    notifications.subscription_create(user=area_follower, target=f"workstreams.issue_area:{area.pk}")
    notifications.subscription_create(user=ws_follower, target=f"workstreams.workstream:{ws.pk}")
    session = sessions.session_schedule(
        actor=staff,
        workstream=ws,
        title="Data access workshop",
        starts_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3),
        time_zone="America/Chicago",
        issue_areas=[area],
    )
    event = NotificationEvent.objects.get(key=f"workstreams.session_scheduled:{session.pk}")
    notifications.fan_out(event_id=event.pk)
    told = set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))
    assert told == {area_follower.pk, ws_follower.pk} and nobody.pk not in told
    assert "Data access workshop" in event.title and event.url == session.get_absolute_url()
