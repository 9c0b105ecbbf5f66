"""Every consultation and webinar resource of the API refuses exactly whom its page refuses: per role
(anonymous, a public user, a participant of another workstream, a participant, staff, a committee member,
a superuser who holds no role) and per visibility (a draft in member review, a hidden comment). Each
request is made with the person's own write-scoped API token; every refusal is a problem document."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Review
from initiative import services as initiative_services
from tests.consultations.factories import CommentFactory, ReviewFactory, make_version
from tests.consultations.factories_workflow import deliverable_at
from tests.factories import BodyMembershipFactory, DeliverableFactory, EnrollmentFactory, UserFactory
from tests.webinars.factories import RegistrationFactory, WebinarFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "public_user", "other_participant", "participant", "staff", "committee", "superuser"]


def _person(role, *, workstream, other_workstream):
    if role == "anonymous":
        return None
    if role == "public_user":
        return UserFactory(verified=True)
    if role == "other_participant":
        return EnrollmentFactory(workstream=other_workstream).user
    if role == "participant":
        return EnrollmentFactory(workstream=workstream).user
    if role == "staff":
        return BodyMembershipFactory(implementation_team=True).user
    if role == "committee":
        return BodyMembershipFactory(steering_committee=True).user
    return UserFactory(verified=True, is_superuser=True, is_staff=True, second_factor=True)


@pytest.fixture
def world():
    """A workstream with a draft in member review (and a member's comment on it), a public consultation
    with a visible comment and a hidden one, a version submitted for the committee's vote, a webinar."""
    deliverable = DeliverableFactory()
    workstream = deliverable.workstream
    now = timezone.now()
    member_review = ReviewFactory(
        version=make_version(deliverable=deliverable), kind=Review.Kind.MEMBER_REVIEW
    )
    member_comment = CommentFactory(review=member_review, body="A member's remark.")
    consultation = ReviewFactory(version=make_version(deliverable=DeliverableFactory(workstream=workstream)))
    public_comment = CommentFactory(review=consultation, body="A public remark.")
    hidden = CommentFactory(review=consultation, body="Advertising.", hidden_at=now, hidden_reason="Spam.")
    return {
        "workstream": workstream,
        "other_workstream": DeliverableFactory().workstream,
        "member_review": member_review,
        "member_comment": member_comment,
        "consultation": consultation,
        "public_comment": public_comment,
        "hidden": hidden,
        "webinar": WebinarFactory(starts_at=now + datetime.timedelta(days=10)),
    }


def _member_draft(w):
    return reverse("api:version-detail", args=[w["member_review"].version.deliverable_id, 1])


def _public_draft(w):
    return reverse("api:version-detail", args=[w["consultation"].version.deliverable_id, 1])


#: (name, method, url, body, {role: status}); a missing role means the `*` entry
MEMBERS_ONLY = {
    "*": 403,
    "anonymous": 401,
    "participant": 200,
    "staff": 200,
    "committee": 200,
}
EVERYONE = {"*": 200}
STAFF_ONLY = {"*": 403, "anonymous": 401, "staff": 200}
MATRIX = {"*": 403, "anonymous": 401, "staff": 200, "committee": 200}

READS = [
    ("member-review draft", lambda w: _member_draft(w), MEMBERS_ONLY),
    ("public draft", lambda w: _public_draft(w), EVERYONE),
    (
        "member-review draft's versions",
        lambda w: reverse("api:version-list", args=[w["member_review"].version.deliverable_id]),
        EVERYONE,  # the list says which are readable; it never shows their text
    ),
    ("member review", lambda w: reverse("api:review-detail", args=[w["member_review"].pk]), MEMBERS_ONLY),
    ("consultation", lambda w: reverse("api:review-detail", args=[w["consultation"].pk]), EVERYONE),
    ("review list", lambda w: reverse("api:review-list"), EVERYONE),
    ("consultation list", lambda w: reverse("api:consultation-list"), EVERYONE),
    (
        "member review's comments",
        lambda w: reverse("api:review-comments", args=[w["member_review"].pk]),
        MEMBERS_ONLY,
    ),
    (
        "consultation's comments",
        lambda w: reverse("api:review-comments", args=[w["consultation"].pk]),
        EVERYONE,
    ),
    (
        "member review's comment",
        lambda w: reverse("api:comment-detail", args=[w["member_comment"].pk]),
        MEMBERS_ONLY,
    ),
    ("public comment", lambda w: reverse("api:comment-detail", args=[w["public_comment"].pk]), EVERYONE),
    (
        "hidden comment",
        lambda w: reverse("api:comment-detail", args=[w["hidden"].pk]),
        {"*": 404, "staff": 200},  # moderators only; to others it does not exist
    ),
    ("matrix", lambda w: reverse("api:review-matrix", args=[w["consultation"].pk]), MATRIX),
    ("webinar list", lambda w: reverse("api:webinar-list"), EVERYONE),
    ("webinar", lambda w: reverse("api:webinar-detail", args=[w["webinar"].slug]), EVERYONE),
    (
        "registrants",
        lambda w: reverse("api:webinar-registrants", args=[w["webinar"].slug]),
        STAFF_ONLY,
    ),
]

SIGNED_IN_201 = {"*": 201, "anonymous": 401}
WRITES = [
    (
        "comment in a member review",
        "post",
        lambda w: reverse("api:review-comments", args=[w["member_review"].pk]),
        {"body": "Members' comment."},
        {"*": 403, "anonymous": 401, "participant": 201, "staff": 201},
    ),
    (
        "comment in a consultation",
        "post",
        lambda w: reverse("api:review-comments", args=[w["consultation"].pk]),
        {"body": "Everyone's comment."},
        SIGNED_IN_201,
    ),
    (
        "reply to a public comment",
        "post",
        lambda w: reverse("api:comment-replies", args=[w["public_comment"].pk]),
        {"body": "A reply."},
        SIGNED_IN_201,
    ),
    (
        "reply to a hidden comment",
        "post",
        lambda w: reverse("api:comment-replies", args=[w["hidden"].pk]),
        {"body": "A reply."},
        {"*": 404, "anonymous": 401, "staff": 409},
    ),
    (
        "flag a public comment",
        "post",
        lambda w: reverse("api:comment-flags", args=[w["public_comment"].pk]),
        {"reason": "Off topic."},
        SIGNED_IN_201,
    ),
    (
        "flag a member review's comment",
        "post",
        lambda w: reverse("api:comment-flags", args=[w["member_comment"].pk]),
        {"reason": "Off topic."},
        {"*": 403, "anonymous": 401, "participant": 201, "staff": 201, "committee": 201},
    ),
    (
        "dispose of a comment",
        "put",
        lambda w: reverse("api:comment-disposition", args=[w["public_comment"].pk]),
        {"disposition": "accepted", "response": "Done in version 2."},
        {"*": 403, "anonymous": 401, "staff": 200},
    ),
    (
        "register for a webinar",
        "post",
        lambda w: reverse("api:webinar-registration", args=[w["webinar"].slug]),
        {"consent": True},
        SIGNED_IN_201,
    ),
    (
        "cancel that registration",
        "delete",
        lambda w: reverse("api:webinar-registration", args=[w["webinar"].slug]),
        None,
        {"*": 200, "anonymous": 401},
    ),
]


def _auth(user) -> dict:
    if user is None:
        return {}
    secret = initiative_services.api_token_create(actor=user, name="t", scope="write", lifetime_days=30)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _check(response, expected: int, name: str) -> str | None:
    if response.status_code != expected:
        return f"{name}: {response.status_code} != {expected}"
    if expected >= 400 and response["Content-Type"] != "application/problem+json":
        return f"{name}: {response['Content-Type']}"
    return None


@pytest.mark.parametrize("role", ROLES)
def test_reads_are_refused_as_the_pages_refuse(client, world, role):
    auth = _auth(_person(role, workstream=world["workstream"], other_workstream=world["other_workstream"]))
    wrong = []
    for name, url, statuses in READS:
        expected = statuses.get(role, statuses["*"])
        wrong.append(_check(client.get(url(world), **auth), expected, name))
    assert [w for w in wrong if w] == []


@pytest.mark.parametrize("role", ROLES)
def test_writes_are_refused_as_the_pages_refuse(client, world, role):
    auth = _auth(_person(role, workstream=world["workstream"], other_workstream=world["other_workstream"]))
    wrong = []
    for name, method, url, body, statuses in WRITES:
        expected = statuses.get(role, statuses["*"])
        response = getattr(client, method)(url(world), body, content_type="application/json", **auth)
        wrong.append(_check(response, expected, name))
    assert [w for w in wrong if w] == []


@pytest.mark.parametrize("role", ROLES)
def test_only_sitting_committee_members_vote(client, role):
    workstream, other = DeliverableFactory().workstream, DeliverableFactory().workstream
    person = _person(role, workstream=workstream, other_workstream=other)
    auth = _auth(person)
    deliverable = deliverable_at("submitted", is_key=False)
    approval = deliverable.approvals.get()
    response = client.put(
        reverse("api:approval-vote", args=[approval.pk]),
        {"choice": "approve", "reason": "Ready."},
        content_type="application/json",
        **auth,
    )
    expected = {"anonymous": 401, "committee": 200}.get(role, 403)
    assert _check(response, expected, "vote") is None
    if expected == 200:
        assert response.json()["choice"] == "approve"
        assert approval.votes.get(member=person).reason == "Ready."


def test_members_only_reviews_are_left_out_of_the_review_list_for_others(client, world):
    member_review, consultation = world["member_review"].pk, world["consultation"].pk
    ids = {r["id"] for r in client.get(reverse("api:review-list")).json()["results"]}
    assert consultation in ids and member_review not in ids
    client.force_login(EnrollmentFactory(workstream=world["workstream"]).user)
    ids = {r["id"] for r in client.get(reverse("api:review-list")).json()["results"]}
    assert {consultation, member_review} <= ids


def test_a_read_token_cannot_comment_and_a_session_needs_its_csrf_token(world):
    from django.test import Client

    user = UserFactory(verified=True)
    url = reverse("api:review-comments", args=[world["consultation"].pk])
    secret = initiative_services.api_token_create(actor=user, name="r", scope="read", lifetime_days=30)[1]
    client = Client(enforce_csrf_checks=True)
    refused = client.post(
        url, {"body": "Hi."}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert refused.status_code == 403
    client.force_login(user)
    assert client.post(url, {"body": "Hi."}, content_type="application/json").status_code == 403
    client.get("/")  # a page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    posted = client.post(url, {"body": "Hi."}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert posted.status_code == 201, posted.content


def test_registration_round_trip(client, world):
    user = UserFactory(verified=True)
    auth = _auth(user)
    url = reverse("api:webinar-registration", args=[world["webinar"].slug])
    assert client.delete(url, **auth).status_code == 404  # nothing to cancel yet
    assert client.post(url, {"consent": False}, content_type="application/json", **auth).status_code == 400
    made = client.post(url, {"consent": True}, content_type="application/json", **auth)
    assert made.status_code == 201 and made.json()["status"] == "confirmed"
    assert made.json()["join_url"] is None  # not before the address is confirmed from the email
    again = client.post(url, {"consent": True}, content_type="application/json", **auth)
    assert again.status_code == 200
    RegistrationFactory(webinar=world["webinar"])  # someone else
    cancelled = client.delete(url, **auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get(url, **auth).json()["status"] == "cancelled"


# Redacted words ---------------------------------------------------------------------------------------
from tests.consultations.test_views_drafts import SECRET, redacted_record  # noqa: E402, F401


@pytest.mark.parametrize("role", ROLES)
def test_redacted_words_never_reach_who_may_not_read_the_original(client, redacted_record, role):  # noqa: F811
    """After a redacted publication the consulted version and its comments stay readable through the API,
    with the withheld words masked (and the attached file withheld) for everyone but the implementation
    team and the committee, who read the original."""
    v1, comment, review = redacted_record["v1"], redacted_record["comment"], redacted_record["review"]
    workstream = v1.deliverable.workstream
    auth = _auth(_person(role, workstream=workstream, other_workstream=DeliverableFactory().workstream))
    sees_original = role in {"staff", "committee"}
    urls = [
        reverse("api:version-detail", args=[v1.deliverable_id, 1]),
        reverse("api:review-comments", args=[review.pk]),
        reverse("api:comment-detail", args=[comment.pk]),
    ]
    if sees_original:
        urls.append(reverse("api:review-matrix", args=[review.pk]))
    for url in urls:
        response = client.get(url, **auth)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert (SECRET.lower() in content.lower()) is sees_original, url
        assert ("Redacted — Commercial" in content) is not sees_original, url  # Markdown escapes [ ]
    shown = client.get(reverse("api:comment-detail", args=[comment.pk]), **auth).json()
    assert len(shown["attachments"]) == (1 if sees_original else 0)
    assert shown["withheld_attachments"] == (0 if sees_original else 1)
