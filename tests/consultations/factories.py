"""Factories for drafts and reviews. Versions go through the service so they are split into
paragraphs exactly as in production."""

import datetime

import factory
from django.utils import timezone

from consultations.models import Review
from consultations.services.drafts import draft_version_create
from tests.factories import BodyMembershipFactory, DeliverableFactory


def make_version(
    *, deliverable=None, body="# Intro\n\nFirst paragraph.\n\nSecond paragraph.\n", actor=None, **kwargs
):
    deliverable = deliverable or DeliverableFactory()
    actor = actor or BodyMembershipFactory(implementation_team=True).user
    return draft_version_create(actor=actor, deliverable=deliverable, body=body, **kwargs)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    version = factory.LazyFunction(make_version)
    kind = Review.Kind.PUBLIC_CONSULTATION
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


# Comments ---------------------------------------------------------------------------------------------
from consultations.models import Comment  # noqa: E402
from consultations.services.comments import body_digest  # noqa: E402
from initiative.models import StakeholderType  # noqa: E402
from tests.factories import UserFactory  # noqa: E402


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment written straight to the table (for volume); use the service to test behaviour."""

    class Meta:
        model = Comment

    review = factory.SubFactory(ReviewFactory)
    version = factory.LazyAttribute(lambda o: o.review.version)
    paragraph_key = factory.LazyAttribute(lambda o: o.version.paragraphs.first().key)
    author = factory.SubFactory(UserFactory, verified=True)
    stakeholder_type = StakeholderType.IOU
    body = factory.Sequence(lambda n: f"Comment number {n} on the draft.")
    body_digest = factory.LazyAttribute(lambda o: body_digest(o.body))


def bulk_comments(review, n: int, *, authors=None, keys=None, **fields) -> list:
    """`n` comments spread over the review's paragraphs (one INSERT)."""
    authors = authors or [UserFactory(verified=True) for _ in range(5)]
    keys = keys if keys is not None else list(review.version.paragraphs.values_list("key", flat=True))
    types = [t for t, _ in StakeholderType.choices]
    rows = []
    for i in range(n):
        body = fields.get("body", f"Bulk comment {i} about paragraph {i % max(1, len(keys))}.")
        rows.append(
            Comment(
                review=review,
                version=review.version,
                paragraph_key=keys[i % len(keys)] if keys else "",
                author=authors[i % len(authors)],
                stakeholder_type=types[i % len(types)],
                body=body,
                body_digest=body_digest(body),
            )
        )
    return Comment.objects.bulk_create(rows, batch_size=1000)
