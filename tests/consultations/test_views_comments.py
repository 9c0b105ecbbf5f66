"""Pages about single comments: the moderation queue, replies and posting through the page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Flag
from tests.consultations.factories import CommentFactory, ReviewFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_moderation_queue_lists_only_comments_with_an_open_flag(client, staff):
    """Staff see exactly the comments someone flagged and nobody has dealt with yet: a comment with no
    flag, or whose flags were all resolved, is not in the queue, and the caption counts only the others."""
    review = ReviewFactory()
    flagged = CommentFactory(review=review, body="Flagged twice")
    resolved = CommentFactory(review=review, body="Flag resolved")
    CommentFactory(review=review, body="Never flagged")
    CommentFactory(review=review, body="Also never flagged")
    for reason in ("Abusive", "Spam"):
        Flag.objects.create(comment=flagged, flagged_by=UserFactory(verified=True), reason=reason)
    Flag.objects.create(
        comment=resolved, flagged_by=UserFactory(verified=True), reason="Old", resolved_at=timezone.now()
    )
    client.force_login(staff)
    html = client.get(reverse("consultations:moderation-queue")).content.decode()
    assert "1 flagged comment" in html and "flagged comments" not in html
    assert "Flagged twice" in html
    assert "Flag resolved" not in html and "Never flagged" not in html and "Also never flagged" not in html


def test_moderation_queue_with_nothing_flagged_says_so(client, staff):
    CommentFactory(body="Never flagged")
    client.force_login(staff)
    html = client.get(reverse("consultations:moderation-queue")).content.decode()
    assert "Nothing flagged." in html and "Never flagged" not in html
