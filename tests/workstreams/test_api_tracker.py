"""Deliverables through the API: what the workstream pages show (kind, due date, stage) for everyone,
filterable, in a number of queries that does not grow with the list; the staff tracker stays staff's."""

import datetime

import pytest
from django.urls import reverse

from tests.api_roles import ROLES, queries, sign_in
from tests.factories import DeliverableFactory, WorkstreamFactory
from tests.workstreams.factories import LOCAL_CACHE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_deliverables_are_public_and_the_tracker_is_staffs(client, role):
    deliverable = DeliverableFactory(due_date=datetime.date(2027, 6, 30), stage="member_review")
    sign_in(client, role, deliverable.workstream)
    listed = client.get(reverse("api:deliverable-list"))
    assert listed.status_code == 200
    (row,) = listed.json()["results"]
    assert row["due_date"] == "2027-06-30" and row["stage"] == "member_review"
    assert "owner" not in row  # the owner is the tracker's, for staff
    assert row["transitions"] == reverse("api:deliverable-transitions", args=[deliverable.pk])
    detail = client.get(reverse("api:deliverable-detail", args=[deliverable.pk]))
    assert detail.status_code == 200 and detail.json()["title"] == deliverable.title
    assert client.get(reverse("api:deliverable-detail", args=[deliverable.pk + 999])).status_code == 404
    tracker = client.get(reverse("api:deliverable-tracker"))
    assert tracker.status_code == {"anonymous": 401, "staff": 200}.get(role, 403)


def test_deliverables_filter_by_workstream_stage_and_due_date(client):
    first = DeliverableFactory(due_date=datetime.date(2027, 1, 31), stage="drafting")
    DeliverableFactory(workstream=first.workstream, due_date=datetime.date(2028, 1, 31), stage="published")
    DeliverableFactory(due_date=datetime.date(2027, 3, 31), stage="revising")
    url = reverse("api:deliverable-list")
    assert client.get(url, {"workstream": first.workstream.code}).json()["count"] == 2
    assert [
        r["id"] for r in client.get(url, {"stage": "drafting", "due_before": "2027-12-31"}).json()["results"]
    ] == [first.pk]
    ordered = client.get(url, {"ordering": "-due_date"}).json()["results"]
    assert ordered[0]["due_date"] == "2028-01-31"
    assert client.get(url, {"due_after": "not-a-date"}).status_code == 400


def test_the_list_makes_as_many_queries_for_twenty_deliverables_as_for_two(client, settings):
    settings.CACHES = LOCAL_CACHE
    for _ in range(2):
        DeliverableFactory(workstream=WorkstreamFactory())
    few = queries(client, reverse("api:deliverable-list"))
    for _ in range(18):
        DeliverableFactory(workstream=WorkstreamFactory())
    assert queries(client, reverse("api:deliverable-list")) == few
