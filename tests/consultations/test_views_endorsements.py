"""The endorsement pages as people use them, and the tally and statements on the approval, publication
and decisions pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Approval, Endorsement, EndorsementWindow, Publication
from consultations.services import endorsements as services
from consultations.tasks.workflow import build_publication
from tests.consultations.factories import make_version
from tests.consultations.factories_endorsements import open_window, participating_org
from tests.consultations.factories_workflow import deliverable_at, staff_user
from tests.factories import DeliverableFactory


@pytest.mark.django_db
def test_staff_open_a_window_from_the_manage_page_others_may_not(client, staff, participant):
    deliverable = DeliverableFactory(is_key=True, stage="revising")
    version = make_version(deliverable=deliverable, actor=staff)
    url = reverse("consultations:endorsement-manage", args=[deliverable.pk])
    client.force_login(participant)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert '<label class="usa-label" for="id_closes_at">' in page
    closes = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"version": version.pk, "closes_at": closes})
    window = EndorsementWindow.objects.get(version=version)
    assert response.status_code == 302 and response["Location"].endswith(f"/endorsements/{window.pk}/")


@pytest.mark.django_db
def test_window_page_is_for_staff_committee_members_and_representatives(client, roles, staff):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream)
    url = reverse("consultations:endorsement-window", args=[window.pk])
    expected = {"staff": 200, "committee_member": 200, "public_user": 403, "participant": 403}
    for role, code in expected.items():
        client.force_login(roles[role])
        assert client.get(url).status_code == code, role
    client.force_login(org.representative)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to log in


@pytest.mark.django_db
def test_representative_sees_a_labelled_radio_group_and_records_by_plain_post(client, staff):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream, name="Bayview Electric")
    client.force_login(org.representative)
    url = reverse("consultations:endorsement-window", args=[window.pk])
    html = client.get(url).content.decode()
    assert '<legend class="usa-legend">Position</legend>' in html
    assert '<label class="usa-radio__label" for="id_position_1">Endorse with reservations</label>' in html
    assert "On behalf of Bayview Electric" in html
    response = client.post(
        url, {"organization": org.pk, "position": "reservations", "statement": "Section 4 needs costs."}
    )
    assert response.status_code == 302
    assert Endorsement.objects.get(window=window, organization=org).position == "reservations"
    page = client.get(url).content.decode()
    assert "Bayview Electric has recorded: <strong>Endorse with reservations</strong>" in page


@pytest.mark.django_db
def test_htmx_post_swaps_the_panel_with_a_status_message(client, staff):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream, name="Bayview Electric")
    client.force_login(org.representative)
    url = reverse("consultations:endorsement-window", args=[window.pk])
    response = client.post(
        url, {"organization": org.pk, "position": "endorse"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="position-panel"') and "<h1" not in html
    assert 'role="status"' in html and "Recorded for Bayview Electric: Endorse." in html
    missing = client.post(
        url, {"organization": org.pk, "position": "cannot_endorse"}, headers={"HX-Request": "true"}
    )
    assert missing.status_code == 200 and "needs a statement" in missing.content.decode()


@pytest.mark.django_db
def test_post_after_close_is_refused_409_and_from_others_403(client, staff, participant):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream)
    url = reverse("consultations:endorsement-window", args=[window.pk])
    client.force_login(participant)
    assert client.post(url, {"organization": org.pk, "position": "endorse"}).status_code == 403
    services.endorsement_window_close(actor=staff, window=window)
    client.force_login(org.representative)
    response = client.post(url, {"organization": org.pk, "position": "endorse"})
    assert response.status_code == 409 and "not open" in response.content.decode()
    assert not Endorsement.objects.exists()


@pytest.mark.django_db
def test_staff_close_the_window_from_its_page(client, staff, participant):
    window = open_window(staff=staff)
    url = reverse("consultations:endorsement-window-close", args=[window.pk])
    client.force_login(participant)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    assert client.post(url).status_code == 302
    window.refresh_from_db()
    assert window.closed_at is not None


def _positions_on(version, deliverable):
    """Positions recorded on `version` (made directly: the window closed before submission)."""
    now = timezone.now()
    window = EndorsementWindow.objects.create(
        version=version,
        deliverable=deliverable,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now - datetime.timedelta(days=3),
    )
    ws = deliverable.workstream
    rows = [
        ("Open Co-op", "cooperative_utility", "cannot_endorse", "We object to section 3.", False),
        ("Quiet Utility", "iou", "reservations", "Our private reservations.", True),
        ("Fan Aggregator", "der_developer", "endorse", "", False),
    ]
    for name, kind, position, statement, withhold in rows:
        org = participating_org(ws, type=kind, name=name)
        Endorsement.objects.create(
            window=window,
            organization=org,
            stakeholder_type=kind,
            position=position,
            statement=statement,
            withhold_statement=withhold,
        )
    return window


@pytest.mark.django_db
def test_approval_page_shows_tally_and_every_statement_to_the_committee(client, committee_member):
    deliverable = deliverable_at("submitted")
    approval = Approval.objects.get(deliverable=deliverable)
    _positions_on(approval.version, deliverable)
    client.force_login(committee_member)
    html = client.get(reverse("consultations:approval-detail", args=[approval.pk])).content.decode()
    assert "Endorsements by participating organizations" in html
    assert "Cooperative distribution utility" in html and "DER developer or aggregator" in html
    assert "We object to section 3." in html and "Our private reservations." in html
    assert "Withheld from publication at the organization’s request" in html


@pytest.mark.django_db
def test_publication_and_public_decision_show_published_dissent_only(client):
    staff = staff_user()
    deliverable = deliverable_at("published", staff=staff)
    publication = Publication.objects.get(deliverable=deliverable)
    build_publication(publication.pk)
    _positions_on(publication.version, deliverable)
    pub_html = client.get(reverse("consultations:publication-detail", args=[publication.pk])).content.decode()
    decision_html = client.get(
        reverse("consultations:decision-detail", args=[publication.approval_id])
    ).content.decode()
    for html in (pub_html, decision_html):
        assert "We object to section 3." in html and "Open Co-op" in html
        assert "Our private reservations." not in html and "Quiet Utility" not in html
        assert "1 dissenting statement is not published" in html
        assert "<caption>3 organizations recorded a position, by stakeholder type</caption>" in html


@pytest.mark.django_db
def test_decision_list_shows_the_counts_without_more_queries_per_row(client, django_assert_max_num_queries):
    staff = staff_user()
    deliverable = deliverable_at("approved", staff=staff)
    approval = Approval.objects.get(deliverable=deliverable)
    _positions_on(approval.version, deliverable)
    url = reverse("consultations:decision-list")
    with django_assert_max_num_queries(7):
        html = client.get(url).content.decode()
    assert "Cannot endorse: 1" in html and "Endorse: 1" in html and "Abstain: 0" in html
