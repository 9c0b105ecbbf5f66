"""The governance core through the API: the initiative with its goals and gaps for everyone, and the
audit log for implementation staff and the steering committee only (cursor pagination, newest first)."""

import datetime

import pytest
from django.urls import reverse

from initiative import audit
from initiative.models import Gap, Goal, Initiative
from tests.api_roles import ROLES, queries, sign_in
from tests.factories import WorkstreamFactory
from tests.workstreams.factories import LOCAL_CACHE

pytestmark = pytest.mark.django_db


def _initiative() -> Initiative:
    initiative = Initiative.objects.create(
        slug="der",
        name="National DER Integration Initiative",
        short_name="DER initiative",
        summary="Close the gaps.",
        duration="three to four years",
        start_date=datetime.date(2026, 1, 1),
        source_title="The report",
        source_publisher="The publisher",
        source_year=2025,
        citation="The report (2025).",
    )
    Goal.objects.create(initiative=initiative, number=1, title="Coordinate planning", description="…")
    Gap.objects.create(initiative=initiative, number=1, title="No shared framework")
    return initiative


@pytest.mark.parametrize("role", ROLES)
def test_the_initiative_is_public(client, role):
    sign_in(client, role, WorkstreamFactory())
    assert client.get(reverse("api:initiative")).status_code == 404  # not loaded yet
    _initiative()
    body = client.get(reverse("api:initiative")).json()
    assert body["name"] == "National DER Integration Initiative"
    assert [g["title"] for g in body["goals"]] == ["Coordinate planning"]
    assert [g["title"] for g in body["gaps"]] == ["No shared framework"]


@pytest.mark.parametrize("role", ROLES)
def test_the_audit_log_is_for_staff_and_the_committee(client, role):
    workstream = WorkstreamFactory()
    sign_in(client, role, workstream)
    audit.record(actor=None, action="deliverable.update", obj=workstream, after={"title": "x"})
    response = client.get(reverse("api:audit-event-list"))
    expected = {"anonymous": 401, "staff": 200, "committee": 200}.get(role, 403)
    assert response.status_code == expected
    if expected == 200:
        (event,) = [e for e in response.json()["results"] if e["action"] == "deliverable.update"]
        assert event["object_type"] == "workstreams.workstream" and event["after"] == {"title": "x"}
    else:
        assert response["Content-Type"] == "application/problem+json"


def test_the_audit_log_pages_by_cursor_newest_first_and_filters(client, staff):
    workstream = WorkstreamFactory()
    for n in range(5):
        audit.record(actor=staff, action=f"round.open.{n}", obj=workstream)
    audit.record(actor=staff, action="ballot.cast", obj=workstream)
    client.force_login(staff)
    url = reverse("api:audit-event-list")
    first = client.get(url, {"page_size": 2, "action": "round."}).json()
    assert [e["action"] for e in first["results"]] == ["round.open.4", "round.open.3"]
    second = client.get(first["next"]).json()
    assert [e["action"] for e in second["results"]] == ["round.open.2", "round.open.1"]
    typed = client.get(url, {"object_type": "workstreams.workstream", "action": "ballot"}).json()
    assert [e["action"] for e in typed["results"]] == ["ballot.cast"]
    assert typed["results"][0]["actor"] == staff.display_name
    assert client.get(url, {"cursor": "garbage"}).status_code == 404


def test_the_audit_log_makes_as_many_queries_for_twenty_events_as_for_two(client, staff, settings):
    settings.CACHES = LOCAL_CACHE
    client.force_login(staff)
    url = reverse("api:audit-event-list")
    for _ in range(2):
        audit.record(actor=staff, action="x.y", obj=WorkstreamFactory())
    few = queries(client, url)
    for _ in range(18):
        audit.record(actor=staff, action="x.y", obj=WorkstreamFactory())
    assert queries(client, url) == few


def test_the_audit_page_and_the_api_filter_with_the_same_filterset(client, staff):
    workstream = WorkstreamFactory()
    audit.record(actor=staff, action="round.open", obj=workstream)
    audit.record(actor=staff, action="ballot.cast", obj=workstream)
    client.force_login(staff)
    page = client.get(reverse("initiative:audit-log"), {"action": "round.", "since": "not-a-date"})
    assert page.status_code == 200
    assert "round.open" in page.content.decode() and "ballot.cast" not in page.content.decode()
    api = client.get(reverse("api:audit-event-list"), {"action": "round."}).json()
    assert [e["action"] for e in api["results"]] == ["round.open"]
