"""A public consultation whose closing task never ran still refuses comments after `closes_at`: the
window is computed from its timestamps when a comment arrives, not from anything a task does."""

import datetime

import pytest
import time_machine

from consultations.models import Review
from consultations.services.comments import CommentError, comment_create
from tests.consultations.factories_workflow import deliverable_at


@pytest.mark.django_db
def test_comments_refused_after_closes_at_though_no_task_closed_the_window(public_user):
    deliverable = deliverable_at("public_consultation")
    review = Review.objects.get(version__deliverable=deliverable, kind="public_consultation")
    key = review.version.paragraphs.first().key
    comment_create(
        actor=public_user, review=review, body="Before the close.", paragraph_key=key, rate_limit=False
    )
    with time_machine.travel(review.closes_at + datetime.timedelta(seconds=1)):
        review.refresh_from_db()
        assert review.closed_at is None  # the sweep never ran …
        assert review.opened_notified_at is None and review.closed_notified_at is None
        assert not review.is_open()
        assert not Review.objects.open_at().filter(pk=review.pk).exists()
        with pytest.raises(CommentError) as exc:  # … and the comment is refused all the same
            comment_create(
                actor=public_user, review=review, body="After the close.", paragraph_key=key, rate_limit=False
            )
        assert exc.value.code == "closed"
    deliverable.refresh_from_db()
    assert deliverable.stage == "public_consultation"  # the stage is the sweep's business, the guard is not
