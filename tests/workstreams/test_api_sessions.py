"""Sessions, action items and Track 3 issue areas through the API, with the pages' visibility: when a
session is and what it is about for everyone; its meeting link, minutes and attendance, and action
items, for the workstream's members, staff and the committee only."""

import pytest
from django.urls import reverse

from tests.api_roles import MEMBERS, ROLES, WITH_FEEDBACK_PROVIDER, queries, sign_in
from tests.factories import UserFactory, WorkstreamFactory
from tests.workstreams.factories import LOCAL_CACHE, ActionItemFactory, IssueAreaFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", WITH_FEEDBACK_PROVIDER)
def test_a_sessions_members_fields_are_withheld_from_everyone_else(client, role):
    session = SessionFactory(minutes="We agreed on the hosting capacity method.")
    attendee = UserFactory(full_name="Ada Attendee")
    session.attendees.add(attendee)
    sign_in(client, role, session.workstream)
    listed = client.get(reverse("api:session-list"))
    detail = client.get(reverse("api:session-detail", args=[session.pk]))
    assert listed.status_code == detail.status_code == 200
    (row,) = listed.json()["results"]
    for body in (row, detail.json()):
        assert body["title"] == session.title and body["workstream"] == session.workstream.code
        if role in MEMBERS:
            assert body["meeting_url"] == "https://meet.example.org/secret-room"
            assert body["minutes"].startswith("We agreed")
            assert body["attendees"] == ["Ada Attendee"]
        else:
            assert body["meeting_url"] is body["minutes"] is body["attendees"] is None
            assert b"secret-room" not in listed.content + detail.content
    assert client.get(reverse("api:session-detail", args=[session.pk + 999])).status_code == 404


@pytest.mark.parametrize("role", WITH_FEEDBACK_PROVIDER)
def test_action_items_are_listed_only_to_the_workstreams_members(client, role):
    item = ActionItemFactory(description="Draft the interconnection queue memo")
    ActionItemFactory()  # another workstream's item
    sign_in(client, role, item.workstream)
    response = client.get(reverse("api:action-item-list"))
    if role == "anonymous":
        assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
        return
    assert response.status_code == 200
    descriptions = {r["description"] for r in response.json()["results"]}
    if role == "participant":
        assert descriptions == {"Draft the interconnection queue memo"}
    elif role in MEMBERS:
        assert len(descriptions) == 2
    else:
        assert descriptions == set()


def test_action_items_filter_by_workstream_status_and_issue_area(client, staff):
    area = IssueAreaFactory()
    item = ActionItemFactory(issue_area=area, status="in_progress")
    ActionItemFactory(workstream=item.workstream, status="done")
    client.force_login(staff)
    url = reverse("api:action-item-list")
    assert client.get(url, {"workstream": item.workstream.code}).json()["count"] == 2
    assert [r["id"] for r in client.get(url, {"status": "in_progress"}).json()["results"]] == [item.pk]
    assert [r["id"] for r in client.get(url, {"issue_area": area.slug}).json()["results"]] == [item.pk]
    assert client.get(url, {"status": "nonsense"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_issue_areas_are_public(client, role):
    area = IssueAreaFactory()
    ActionItemFactory(issue_area=area)
    sign_in(client, role, WorkstreamFactory())
    listed = client.get(reverse("api:issue-area-list"))
    assert listed.status_code == 200 and listed.json()["results"][0]["open_actions"] == 1
    assert client.get(reverse("api:issue-area-detail", args=[area.slug])).json()["name"] == area.name
    assert client.get(reverse("api:issue-area-detail", args=["no-such-area"])).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("api:session-list", lambda: SessionFactory().attendees.add(UserFactory())),
        ("api:action-item-list", lambda: ActionItemFactory(issue_area=IssueAreaFactory())),
        ("api:issue-area-list", lambda: ActionItemFactory(issue_area=IssueAreaFactory())),
    ],
)
def test_lists_make_as_many_queries_for_twenty_rows_as_for_two(client, staff, settings, url_name, make):
    settings.CACHES = LOCAL_CACHE
    client.force_login(staff)
    for _ in range(2):
        make()
    few = queries(client, reverse(url_name))
    for _ in range(18):
        make()
    assert queries(client, reverse(url_name)) == few
