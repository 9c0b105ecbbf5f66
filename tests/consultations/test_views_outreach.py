"""The outreach page: staff only; invited vs responded by type and organization with gaps flagged; the
invite form (labelled checkboxes, defaults to the workstream's list) works as a plain POST."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Review
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import DeliverableFactory, OrganizationFactory, WorkstreamStakeholderFactory


@pytest.fixture
def consultation(staff):
    deliverable = DeliverableFactory(is_key=True, stage="public_consultation")
    WorkstreamStakeholderFactory(workstream=deliverable.workstream, type="state_regulator")
    return ReviewFactory(
        version=make_version(deliverable=deliverable, actor=staff),
        kind=Review.Kind.PUBLIC_CONSULTATION,
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )


@pytest.mark.django_db
def test_outreach_page_is_for_staff(client, participant, consultation):
    url = reverse("consultations:outreach", args=[consultation.pk])
    client.force_login(participant)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_outreach_page_shows_an_empty_state_then_the_tally_with_gaps(client, staff, consultation):
    url = reverse("consultations:outreach", args=[consultation.pk])
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert "No organization has been invited" in page
    assert 'type="checkbox" name="invite_types" value="state_regulator"' in page
    assert "checked" in page.split('value="state_regulator"')[1][:60]  # the workstream's list by default
    assert '<label class="usa-label" for="id_invite_organizations">' in page
    regulator = OrganizationFactory(type="state_regulator", name="Public Utility Commission of Ohio")
    response = client.post(url, {"invite_types": ["state_regulator"]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Public Utility Commission of Ohio" in page and "gap: no response" in page
    assert regulator.outreach_invitations.count() == 1


@pytest.mark.django_db
def test_workflow_page_offers_the_outreach_choices_when_opening_a_consultation(client, staff):
    deliverable = DeliverableFactory(is_key=True, stage="member_review")
    make_version(deliverable=deliverable, actor=staff)
    WorkstreamStakeholderFactory(workstream=deliverable.workstream, type="iso_rto")
    client.force_login(staff)
    page = client.get(reverse("consultations:deliverable-workflow", args=[deliverable.pk])).content.decode()
    assert 'name="open_public_consultation-invite_types" value="iso_rto"' in page
    assert "Invite every organization of these stakeholder types" in page
