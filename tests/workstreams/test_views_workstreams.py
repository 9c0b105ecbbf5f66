"""Track, workstream and glossary pages, and the public API, for anyone."""

import pytest
from django.urls import reverse

from tests.factories import EnrollmentFactory, OrganizationFactory, WorkstreamStakeholderFactory
from workstreams.models import Track, Workstream

pytestmark = pytest.mark.django_db


def test_each_track_page_shows_objective_and_workstreams(client, loaded_initiative):
    for track in Track.objects.prefetch_related("workstreams"):
        page = client.get(track.get_absolute_url()).content.decode()
        assert track.title in page
        for ws in track.workstreams.all():
            assert ws.get_absolute_url() in page


def test_workstream_page_flags_missing_stakeholder_types(client, workstream):
    WorkstreamStakeholderFactory(workstream=workstream, type="iou")
    WorkstreamStakeholderFactory(workstream=workstream, type="state_regulator")
    EnrollmentFactory(workstream=workstream, organization=OrganizationFactory(type="iou"))
    page = client.get(workstream.get_absolute_url()).content.decode()
    assert "1 participant enrolled" in page
    row = page.split("State regulator", 1)[1].split("</tr>", 1)[0]
    assert "Missing" in row
    iou_row = page.split("Investor-owned distribution utility", 1)[1].split("</tr>", 1)[0]
    assert "Missing" not in iou_row


def test_workstream_page_shows_staff_actions_only_to_staff(client, workstream, staff, participant):
    invite = reverse("workstreams:invitation-manage", kwargs={"slug": workstream.slug})
    assert invite not in client.get(workstream.get_absolute_url()).content.decode()
    client.force_login(participant)
    assert invite not in client.get(workstream.get_absolute_url()).content.decode()
    client.force_login(staff)
    assert invite in client.get(workstream.get_absolute_url()).content.decode()


def test_unknown_workstream_is_404(client, db):
    assert client.get("/workstreams/nope/").status_code == 404


def test_glossary_search_with_htmx_returns_the_results_fragment(client, loaded_initiative):
    page = client.get(reverse("workstreams:glossary")).content.decode()
    assert "Distribution system operator" in page
    fragment = client.get(
        reverse("workstreams:glossary"), {"q": "transmission system"}, headers={"HX-Request": "true"}
    )
    body = fragment.content.decode()
    assert "<html" not in body and 'id="results"' in body
    assert "TSO" in body and "Distributed energy resource" not in body


def test_api_lists_workstreams_and_tracks(client, loaded_initiative, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        data = client.get("/api/v1/workstreams/").json()
    assert [w["code"] for w in data["results"]] == ["A", "B", "C", "D", "E", "T3"]
    assert len(data["results"][0]["steps"]) == 5
    tracks = client.get("/api/v1/tracks/").json()["results"]
    assert tracks[1]["workstreams"] == ["B", "C", "D", "E"]
    assert client.get("/api/schema/").status_code == 200


def test_home_query_count_does_not_grow_with_workstreams(
    client, loaded_initiative, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(Workstream.objects.get(code="B").get_absolute_url()).status_code == 200
