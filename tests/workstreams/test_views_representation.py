"""Representation: enrolled participants by stakeholder type against the report's list, gaps
flagged, a chart with a table alternative, and invitations sent from the page."""

import pytest

from tests.factories import EnrollmentFactory, OrganizationFactory, WorkstreamStakeholderFactory
from workstreams import selectors
from workstreams.models import Invitation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws_with_gap(workstream):
    WorkstreamStakeholderFactory(workstream=workstream, type="iou")
    WorkstreamStakeholderFactory(workstream=workstream, type="state_regulator")
    EnrollmentFactory(workstream=workstream)  # an IOU
    EnrollmentFactory(workstream=workstream, organization=OrganizationFactory(type="national_lab"))
    return workstream


def test_missing_stakeholder_type_is_flagged(ws_with_gap):
    data = selectors.representation(ws_with_gap)
    by_type = {r["type"]: r for r in data["rows"]}
    assert by_type["iou"]["count"] == 1 and not by_type["iou"]["missing"]
    assert by_type["state_regulator"]["missing"] and by_type["state_regulator"]["count"] == 0
    assert by_type["national_lab"]["count"] == 1 and not by_type["national_lab"]["wanted"]
    assert [r["type"] for r in data["missing"]] == ["state_regulator"]


def test_page_shows_gap_chart_and_table(client, staff, ws_with_gap):
    client.force_login(staff)
    page = client.get(f"/workstreams/{ws_with_gap.slug}/representation/").content.decode()
    assert "<strong>Missing:</strong> State regulator." in page
    assert 'class="bar-chart"' in page and "<caption>Participants by stakeholder type</caption>" in page
    assert "bar-chart__bar--missing" in page


def test_staff_invite_from_the_page(
    client, staff, ws_with_gap, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from workstreams.tasks import send_invitation

    # Run the enqueued email task in-process (the broker is not what this test is about).
    monkeypatch.setattr(send_invitation, "delay", lambda *a, **k: send_invitation.apply(a, k))
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/workstreams/{ws_with_gap.slug}/representation/",
            {"email": "Regulator@Example.org", "message": "We need a regulator."},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "regulator@example.org" and invitation.workstream == ws_with_gap
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["regulator@example.org"]


def test_htmx_invite_returns_the_form_fragment(client, staff, ws_with_gap):
    client.force_login(staff)
    response = client.post(
        f"/workstreams/{ws_with_gap.slug}/representation/",
        {"email": "x@example.org"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'id="invite-form"' in body and "Invitation sent to x@example.org" in body and "<h1>" not in body


@pytest.mark.parametrize("role", ["public_user", "participant", "committee_member"])
def test_representation_page_is_refused_to_non_staff(client, roles, role, ws_with_gap):
    client.force_login(roles[role])
    assert client.get(f"/workstreams/{ws_with_gap.slug}/representation/").status_code == 403
    assert (
        client.post(f"/workstreams/{ws_with_gap.slug}/representation/", {"email": "a@b.org"}).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_invite_form_labels_say_optional_once(client, staff, ws_with_gap):
    client.force_login(staff)
    page = client.get(f"/workstreams/{ws_with_gap.slug}/representation/").content.decode()
    assert "Organization they represent <span" in page and "(optional) <span" not in page
