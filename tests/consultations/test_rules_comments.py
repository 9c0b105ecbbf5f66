"""Permission matrix of the comment rules: every role × review kind, asserted both ways."""

import pytest

from consultations.models import Review
from initiative import policy
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import DeliverableFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "unverified", "public_user", "participant", "staff", "committee_member"]

# rule → kind → roles allowed
MATRIX = {
    "consultations.comment_on_review": {
        "public_consultation": {"public_user", "participant", "staff", "committee_member"},
        "member_review": {"participant", "staff"},
    },
    "consultations.view_review": {
        "public_consultation": set(ROLES),
        "member_review": {"participant", "staff", "committee_member"},
    },
    "consultations.view_draft": {
        "public_consultation": set(ROLES),
        "member_review": {"participant", "staff", "committee_member"},
    },
    "consultations.flag_comment": {  # anyone can flag, signed in or not (the view limits per IP)
        "public_consultation": set(ROLES),
        "member_review": set(ROLES),
    },
    "consultations.moderate_comments": {"public_consultation": {"staff"}, "member_review": {"staff"}},
    "consultations.dispose_comments": {"public_consultation": {"staff"}, "member_review": {"staff"}},
    "consultations.export_matrix": {
        "public_consultation": {"staff", "committee_member"},
        "member_review": {"staff", "committee_member"},
    },
}


@pytest.mark.parametrize("kind", ["public_consultation", "member_review"])
@pytest.mark.parametrize("rule", sorted(MATRIX))
def test_permission_matrix(rule, kind, roles, workstream):
    users = {**roles, "unverified": UserFactory()}
    version = make_version(deliverable=DeliverableFactory(workstream=workstream))
    review = ReviewFactory(version=version, kind=kind)
    obj = version if rule == "consultations.view_draft" else review
    for role in ROLES:
        expected = role in MATRIX[rule][kind]
        assert policy.can(users[role], rule, obj) is expected, (rule, kind, role)


def test_a_draft_with_only_an_upcoming_public_consultation_is_not_public_yet(anonymous):
    import datetime

    from django.utils import timezone

    version = make_version()
    ReviewFactory(
        version=version,
        kind=Review.Kind.PUBLIC_CONSULTATION,
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=5),
    )
    assert not policy.can(anonymous, "consultations.view_draft", version)


@pytest.mark.parametrize("redacted", [False, True])
def test_download_attachment_matrix(redacted, roles, workstream):
    """Files attached to comments are for everyone who sees the comment, until a redaction withholds
    words of the deliverable: a file cannot be masked, so then only staff and the committee get it."""
    from consultations.models import Redaction
    from tests.consultations.factories import CommentFactory

    users = {**roles, "unverified": UserFactory()}
    version = make_version(deliverable=DeliverableFactory(workstream=workstream))
    comment = CommentFactory(review=ReviewFactory(version=version))
    if redacted:
        paragraph = version.paragraphs.first()
        Redaction.objects.create(
            version=version, paragraph_key=paragraph.key, start=0, end=3, reason="privacy"
        )
    allowed = {"staff", "committee_member"} if redacted else set(ROLES)
    for role in ROLES:
        expected = role in allowed
        assert policy.can(users[role], "consultations.download_attachment", comment) is expected, role
