"""The public activity pages and their Atom feeds: what happened (versions, consultations, decisions,
publications, sessions, webinars), newest first, with the public's visibility only."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Review
from consultations.tasks.workflow import build_publication
from tests.consultations.factories import ReviewFactory, make_version
from tests.consultations.factories_workflow import deliverable_at
from tests.factories import DeliverableFactory
from tests.webinars.factories import WebinarFactory
from tests.workstreams.factories import SessionFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    return {e.findtext(f"{ATOM}title"): e for e in root.findall(f"{ATOM}entry")}


@pytest.fixture
def history(workstream):
    """Public things and members-only things in `workstream`."""
    deliverable = DeliverableFactory(workstream=workstream, title="Hosting capacity maps")
    public = ReviewFactory(version=make_version(deliverable=deliverable))
    members_only = ReviewFactory(
        version=make_version(
            deliverable=DeliverableFactory(workstream=workstream, title="Secret members draft")
        ),
        kind=Review.Kind.MEMBER_REVIEW,
    )
    held = SessionFactory(
        workstream=workstream, title="Kickoff call", starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    SessionFactory(workstream=workstream, title="Future call")  # not held yet: not activity
    webinar = WebinarFactory(title="Maps webinar", deliverable=deliverable)
    return {"public": public, "members_only": members_only, "held": held, "webinar": webinar}


@pytest.mark.django_db
def test_the_initiative_feed_is_atom_with_the_public_entries_only(client, history):
    found = entries(client, reverse("discovery:activity-feed"))
    assert set(found) == {
        "New version: Hosting capacity maps (version 1)",
        "Consultation opened: Hosting capacity maps",
        "Session: Kickoff call",
        "Webinar: Maps webinar",
    }
    assert not any("Secret" in title or "Future" in title for title in found)
    link = found["Session: Kickoff call"].find(f"{ATOM}link").get("href")
    assert link.endswith(reverse("workstreams:session-detail", args=[history["held"].pk]))
    assert all(e.findtext(f"{ATOM}id").startswith("http://testserver/activity/#") for e in found.values())
    assert all(e.findtext(f"{ATOM}updated") for e in found.values())


@pytest.mark.django_db
def test_a_workstream_feed_holds_only_that_workstream(client, history, workstream):
    ReviewFactory()  # another workstream's consultation
    found = entries(client, reverse("discovery:workstream-activity-feed", args=[workstream.slug]))
    assert "Consultation opened: Hosting capacity maps" in found
    assert len([t for t in found if t.startswith("Consultation opened")]) == 1


@pytest.mark.django_db
def test_decisions_and_publications_appear(client):
    deliverable = deliverable_at("published")
    build_publication.run(deliverable.publications.get().pk)  # the task that renders the public copy
    titles = list(entries(client, reverse("discovery:activity-feed")))
    assert any(t.startswith("Decision: ") and t.endswith("Approved") for t in titles)
    assert any(t.startswith("Published: ") for t in titles)


@pytest.mark.django_db
def test_pages_link_their_feed_and_list_newest_first(client, history, workstream):
    html = client.get(reverse("discovery:activity")).content.decode()
    feed = reverse("discovery:activity-feed")
    assert f'type="application/atom+xml" title="What\'s new in the initiative" href="{feed}">' in html
    assert html.index("Webinar: Maps webinar") < html.index("Session: Kickoff call")
    assert "Secret members draft" not in html
    page = client.get(reverse("discovery:workstream-activity", args=[workstream.slug])).content.decode()
    assert reverse("discovery:workstream-activity-feed", args=[workstream.slug]) in page
    detail = client.get(workstream.get_absolute_url()).content.decode()
    assert 'type="application/atom+xml"' in detail
    assert client.get(reverse("discovery:workstream-activity", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_members_see_the_same_public_page(client, history, participant):
    client.force_login(participant)
    assert b"Secret members draft" not in client.get(reverse("discovery:activity")).content


@pytest.mark.django_db
def test_activity_is_paginated_with_flat_query_counts(client, workstream, django_assert_max_num_queries):
    for i in range(3):
        ReviewFactory(
            version=make_version(deliverable=DeliverableFactory(workstream=workstream, title=f"D{i}"))
        )
    url = reverse("discovery:activity")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(30):
        ReviewFactory(
            version=make_version(deliverable=DeliverableFactory(workstream=workstream, title=f"E{i}"))
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert "Page 1 of 3" in html
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("discovery:activity-feed"))
