"""A consultation's comments through the API: the page's visibility (members-only reviews refused to
the public, hidden comments only to moderators), no email addresses, a cursor through a growing list."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Review
from tests.consultations.factories import CommentFactory, ReviewFactory, bulk_comments
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def _url(review) -> str:
    return reverse("api:review-comments", args=[review.pk])


def test_anyone_reads_a_public_consultations_comments_without_hidden_ones_or_emails(client, staff):
    review = ReviewFactory()
    shown = CommentFactory(review=review, body="Define DSO.", disposition="accepted", response="Done.")
    reply = CommentFactory(review=review, parent=shown, body="Agreed.")
    CommentFactory(review=review, body="Spam.", hidden_at=timezone.now(), hidden_reason="Advertising.")
    response = client.get(_url(review))
    assert response.status_code == 200
    data = response.json()
    assert [c["body"] for c in data["results"]] == ["Define DSO.", "Agreed."]
    first = data["results"][0]
    assert first["disposition"] == "accepted" and first["response"] == "Done." and first["version"] == 1
    assert data["results"][1]["parent"] == shown.pk and data["results"][1]["id"] == reply.pk
    assert "@" not in response.content.decode() and shown.author.email not in response.content.decode()
    client.force_login(staff)  # a moderator sees hidden comments, marked
    assert [c["hidden"] for c in client.get(_url(review)).json()["results"]] == [False, False, True]


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("public_user", 403), ("member", 200), ("staff", 200), ("committee_member", 200)],
)
def test_members_only_review_comments_are_refused_to_the_public(client, roles, role, status):
    review = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)
    CommentFactory(review=review, body="Member remark.")
    if role == "member":
        client.force_login(EnrollmentFactory(workstream=review.version.deliverable.workstream).user)
    elif role != "anonymous":
        client.force_login(roles[role])
    response = client.get(_url(review))
    assert response.status_code == status
    assert ("Member remark." in response.content.decode()) is (status == 200)


def test_a_cursor_walks_every_comment_once_even_as_new_ones_arrive(client, django_assert_max_num_queries):
    review = ReviewFactory()
    bulk_comments(review, 7)
    seen, url = [], _url(review) + "?page_size=3"
    first = True
    while url:
        with django_assert_max_num_queries(6):
            page = client.get(url).json()
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
        if first:
            CommentFactory(review=review, body="Posted while paging.")
            first = False
    assert len(seen) == len(set(seen)) == 8
    assert client.get(_url(review), {"page": 2}).status_code == 200  # cursors ignore page numbers


def test_unknown_review_is_404(client):
    assert client.get(reverse("api:review-comments", args=[999999])).status_code == 404


# Writes -------------------------------------------------------------------------------------------------
def _write_token(user) -> dict:
    from initiative.services import api_token_create

    secret = api_token_create(actor=user, name="w", scope="write", lifetime_days=30)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_comment_with_a_file_is_checked_as_on_the_page(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    review = ReviewFactory()
    auth = _write_token(UserFactory(verified=True))
    key = review.version.paragraphs.first().key
    pdf = SimpleUploadedFile("position.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    made = client.post(
        _url(review), {"body": "See our paper.", "paragraph_key": key, "attachments": [pdf]}, **auth
    )
    assert made.status_code == 201, made.content
    assert made.json()["attachments"][0]["name"] == "position.pdf" and made.json()["paragraph_key"] == key
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(_url(review), {"body": "Again.", "attachments": [fake]}, **auth)
    assert refused.status_code == 400 and "attachments" in refused.json()["errors"]
    assert refused["Content-Type"] == "application/problem+json"


def test_a_closed_window_and_a_reply_to_a_reply_are_conflicts(client):
    from tests.factories import UserFactory

    review = ReviewFactory()
    auth = _write_token(UserFactory(verified=True))
    reply = CommentFactory(review=review, parent=CommentFactory(review=review))
    nested = client.post(
        reverse("api:comment-replies", args=[reply.pk]),
        {"body": "Deeper."},
        content_type="application/json",
        **auth,
    )
    assert nested.status_code == 409 and nested.json()["code"] == "nesting"
    blank = client.post(_url(review), {"body": "   "}, content_type="application/json", **auth)
    assert blank.status_code == 400 and "body" in blank.json()["errors"]
    Review.objects.filter(pk=review.pk).update(closed_at=timezone.now())
    closed = client.post(_url(review), {"body": "Too late."}, content_type="application/json", **auth)
    assert closed.status_code == 409 and closed.json()["code"] == "closed"


def test_a_disposition_is_given_by_staff_and_read_back(client, staff):
    comment = CommentFactory()
    auth = _write_token(staff)
    url = reverse("api:comment-disposition", args=[comment.pk])
    given = client.put(
        url,
        {"disposition": "accepted", "response": "Done.", "addressed_in_version": 1},
        content_type="application/json",
        **auth,
    )
    assert given.status_code == 200, given.content
    assert given.json()["disposition"] == "accepted" and given.json()["addressed_in_version"] == 1
    bad = client.put(
        url, {"disposition": "accepted", "response": " "}, content_type="application/json", **auth
    )
    assert bad.status_code == 400 and "response" in bad.json()["errors"]
