"""Every list the consultation and webinar API adds asks the database the same number of times for 2 rows
as for 20: joins, counts and questions are read in bulk by the selectors, never per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Review
from tests.consultations.factories import ReviewFactory, bulk_comments, make_version
from tests.factories import BodyMembershipFactory, DeliverableFactory, EnrollmentFactory, WorkstreamFactory
from tests.webinars.factories import RegistrationFactory, WebinarFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # warm the caches (the reader's roles, kept in the shared cache)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def _reviews(n: int) -> str:
    for i in range(n):
        workstream = WorkstreamFactory()
        kind = Review.Kind.MEMBER_REVIEW if i % 2 else Review.Kind.PUBLIC_CONSULTATION
        review = ReviewFactory(
            version=make_version(deliverable=DeliverableFactory(workstream=workstream)), kind=kind
        )
        if i % 3 == 0:
            review.questions.set(workstream.questions.all()[:1])
    return reverse("api:review-list")


def _comments(n: int) -> str:
    review = ReviewFactory()
    bulk_comments(review, n)
    return reverse("api:review-comments", args=[review.pk])


def _matrix(n: int) -> str:
    review = ReviewFactory()
    bulk_comments(review, n)
    return reverse("api:review-matrix", args=[review.pk])


def _webinars(n: int) -> str:
    for i in range(n):
        webinar = WebinarFactory(deliverable=DeliverableFactory() if i % 2 else None)
        RegistrationFactory(webinar=webinar)
    return reverse("api:webinar-list")


def _registrants(n: int) -> str:
    webinar = WebinarFactory(capacity=5)
    for i in range(n):
        RegistrationFactory(webinar=webinar, status="confirmed" if i < 5 else "waitlisted")
    return reverse("api:webinar-registrants", args=[webinar.slug])


def _versions(n: int) -> str:
    deliverable = DeliverableFactory()
    for i in range(min(n, 6)):
        make_version(deliverable=deliverable, body=f"# V{i}\n\nText {i}.\n")
    return reverse("api:version-list", args=[deliverable.pk])


def _paragraphs(n: int) -> str:
    body = "\n\n".join(f"## Section {i}\n\nParagraph {i} of the draft." for i in range(n))
    review = ReviewFactory(version=make_version(body=body))
    bulk_comments(review, n)
    return reverse("api:version-detail", args=[review.version.deliverable_id, 1])


@pytest.mark.parametrize(
    "build",
    [_reviews, _comments, _matrix, _webinars, _registrants, _versions, _paragraphs],
    ids=lambda f: f.__name__,
)
def test_a_list_asks_the_database_as_often_for_20_rows_as_for_2(client, build):
    staff = BodyMembershipFactory(implementation_team=True).user
    client.force_login(staff)
    few = _queries(client, build(2))
    many = _queries(client, build(20))
    assert many == few


def test_a_participant_reads_the_review_list_in_as_many_queries_whatever_its_size(client):
    workstream = WorkstreamFactory()
    client.force_login(EnrollmentFactory(workstream=workstream).user)
    counts = []
    for n in (2, 20):
        for _ in range(n):
            ReviewFactory(
                version=make_version(deliverable=DeliverableFactory(workstream=workstream)),
                kind=Review.Kind.MEMBER_REVIEW,
                opens_at=timezone.now() - datetime.timedelta(days=1),
            )
        counts.append(_queries(client, reverse("api:review-list")))
    assert counts[0] == counts[1]


def test_the_matrix_filters_as_its_page_does(client):
    from tests.consultations.factories import CommentFactory

    review = ReviewFactory()
    first, second = review.version.paragraphs.all()[:2]
    answered = CommentFactory(review=review, paragraph_key=first.key, disposition="accepted", response="Yes.")
    open_one = CommentFactory(review=review, paragraph_key=second.key)
    CommentFactory(review=review, parent=open_one)  # replies are not rows of the matrix
    client.force_login(BodyMembershipFactory(implementation_team=True).user)
    url = reverse("api:review-matrix", args=[review.pk])
    rows = client.get(url).json()["results"]
    assert [(r["id"], r["paragraph_number"]) for r in rows] == [
        (answered.pk, first.order + 1),
        (open_one.pk, second.order + 1),
    ]
    assert [r["id"] for r in client.get(url, {"disposition": "none"}).json()["results"]] == [open_one.pk]
    assert [r["id"] for r in client.get(url, {"paragraph_key": first.key}).json()["results"]] == [answered.pk]
