"""The participation record: per participant and per organization, sessions attended, reviews
commented on, ballots cast and endorsements given; staff only; empty state."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.services.comments import comment_create
from tests.consultations.factories import ReviewFactory
from tests.consultations.factories_endorsements import open_window, participating_org
from tests.factories import EnrollmentFactory, WorkstreamFactory
from tests.workstreams.factories import BallotFactory, RoundFactory, SessionFactory
from workstreams.services.sessions import session_record


@pytest.mark.django_db
def test_participation_record_counts_each_kind_of_participation(client, staff):
    url = reverse("consultations:participation")
    client.force_login(staff)
    assert "Nobody has enrolled in a workstream yet." in client.get(url).content.decode()

    window = open_window(staff=staff)
    ws = window.deliverable.workstream
    org = participating_org(ws, name="Bayview Electric")
    person = EnrollmentFactory(workstream=ws, organization=org).user
    for days in (3, 2):
        session = SessionFactory(workstream=ws, starts_at=timezone.now() - datetime.timedelta(days=days))
        session_record(actor=staff, session=session, minutes="m", attendee_ids=[person.pk])
    review = ReviewFactory()
    comment_create(actor=person, review=review, body="One.")
    comment_create(actor=person, review=review, body="Two, same review.")
    BallotFactory(round=RoundFactory(workstream=ws), voter=person)
    from consultations.services.endorsements import endorsement_record

    endorsement_record(actor=org.representative, window=window, organization=org, position="endorse")

    response = client.get(url)
    page = response.content.decode()
    row = page.split(f'<th scope="row">{person.display_name}</th>')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    # organization, workstreams, sessions, reviews, ballots, endorsements
    assert cells[:6] == ["Bayview Electric", "1", "2", "1", "1", "0"]
    org_row = page.split('<th scope="row">Bayview Electric</th>')[1].split("</tr>")[0]
    org_cells = [c.split("</td>")[0] for c in org_row.split("<td>")[1:]]
    assert org_cells[2:] == ["2", "1", "1", "1"]


@pytest.mark.django_db
def test_participation_record_is_for_staff(client, participant):
    client.force_login(participant)
    assert client.get(reverse("consultations:participation")).status_code == 403


@pytest.mark.django_db
def test_participation_record_query_count_does_not_grow(client, staff, django_assert_max_num_queries):
    ws = WorkstreamFactory()
    for _ in range(15):
        EnrollmentFactory(workstream=ws)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("consultations:participation")).status_code == 200
