"""Pages about single comments: the moderation queue, replies and posting through the page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import Flag, Review
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


# Replies ------------------------------------------------------------------------------------------------
def _panel_url(comment):
    return reverse(
        "consultations:paragraph-comments",
        args=[comment.version.deliverable_id, comment.version.number, comment.paragraph_key or "whole"],
    )


def test_a_reply_without_javascript_goes_back_to_the_paragraph_at_the_new_reply(client, public_user):
    from consultations.models import Comment

    parent = CommentFactory()
    client.force_login(public_user)
    response = client.post(reverse("consultations:comment-reply", args=[parent.pk]), {"body": "I agree."})
    reply = Comment.objects.get(parent=parent)
    assert response.status_code == 302 and response["Location"] == f"{_panel_url(parent)}#comment-{reply.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "Your reply has been posted." in html and "I agree." in html


def test_a_reply_with_htmx_answers_the_panel_in_place(client, public_user):
    parent = CommentFactory(body="The parent comment")
    client.force_login(public_user)
    response = client.post(
        reverse("consultations:comment-reply", args=[parent.pk]),
        {"body": "Seconded."},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="panel-{parent.paragraph_key}"' in html
    assert "Your reply has been posted." in html and "Seconded." in html


def test_an_over_long_reply_is_refused_and_kept_open_with_its_text(client, public_user):
    from consultations.models import Comment

    parent = CommentFactory()
    client.force_login(public_user)
    text = "r" * 5003
    response = client.post(
        reverse("consultations:comment-reply", args=[parent.pk]),
        {"body": text},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "this one has 5,003" in html and text in html
    assert '<details class="margin-top-1" open>' in html and "3 characters over the limit" in html
    assert 'maxlength="5000"' not in html
    assert not Comment.objects.filter(parent=parent).exists()


# The paragraph's count ----------------------------------------------------------------------------------
def test_a_new_comment_sent_with_htmx_also_updates_the_paragraphs_count_out_of_band(client, public_user):
    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    CommentFactory(review=review, paragraph_key=key)
    client.force_login(public_user)
    response = client.post(
        reverse("consultations:comment-create", args=[review.version.deliverable_id, 1]),
        {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": "Mine."},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert f'<a id="comments-button-{key}" hx-swap-oob="true"' in html
    assert "2</span> comments" in html and "on paragraph 1" in html


def _post_htmx(client, version, key: str, body: str):
    return client.post(
        reverse("consultations:comment-create", args=[version.deliverable_id, version.number]),
        {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": body},
        headers={"HX-Request": "true"},
    )


def test_the_count_after_a_new_comment_includes_the_earlier_versions_comments(client, public_user):
    """On a second version the paragraph's count also holds the comments made on it in the first
    version's consultation (the answer cannot take the new count row alone)."""
    from tests.consultations.factories import make_version

    first = ReviewFactory(
        opens_at=timezone.now() - timezone.timedelta(days=20),
        closes_at=timezone.now() - timezone.timedelta(days=10),
    )
    key = first.version.paragraphs.first().key
    CommentFactory(review=first, paragraph_key=key)
    CommentFactory(review=first, paragraph_key=key)
    second = ReviewFactory(version=make_version(deliverable=first.version.deliverable))
    assert second.version.number == 2 and second.version.paragraphs.first().key == key
    client.force_login(public_user)
    html = _post_htmx(client, second.version, key, "On the second version.").content.decode()
    assert "3</span> comments" in html and "3 comments on paragraph 1" in html


def test_the_count_after_a_new_comment_leaves_out_a_member_review_the_author_cannot_see(client, public_user):
    """A member review of the same version holds comments a member of the public is not shown: the
    public consultation's count alone, the other review's comments not added."""
    consultation = ReviewFactory()
    key = consultation.version.paragraphs.first().key
    members = ReviewFactory(
        version=consultation.version,
        kind=Review.Kind.MEMBER_REVIEW,
        opens_at=timezone.now() - timezone.timedelta(days=20),
        closes_at=timezone.now() - timezone.timedelta(days=10),
    )
    CommentFactory(review=members, paragraph_key=key)
    CommentFactory(review=consultation, paragraph_key=key)
    client.force_login(public_user)
    html = _post_htmx(client, consultation.version, key, "Public view.").content.decode()
    assert "2 comments on paragraph 1" in html


def test_a_moderator_posting_is_answered_with_a_count_that_includes_hidden_comments(client, staff):
    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    CommentFactory(review=review, paragraph_key=key, hidden_at=timezone.now(), hidden_reason="Spam")
    client.force_login(staff)
    html = _post_htmx(client, review.version, key, "From the team.").content.decode()
    assert "2 comments on paragraph 1" in html


def test_the_plain_text_email_keeps_apostrophes(
    client, staff, mailoutbox, django_capture_on_commit_callbacks, eager_tasks
):
    """A moderator hides a comment through the page with a reason that has an apostrophe: the author's
    plain-text email says it as written, not as an HTML entity."""
    comment = CommentFactory(body="Buy cheap panels")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("consultations:comment-hide", args=[comment.pk]), {"reason": "It's an advert, isn't it?"}
        )
    assert len(mailoutbox) == 1
    text = mailoutbox[0].body
    assert "It's an advert, isn't it?" in text and "&#x27;" not in text
    html = mailoutbox[0].alternatives[0][0]
    assert "It&#x27;s an advert" in html  # the HTML part still escapes


def test_a_comment_sent_with_htmx_is_answered_with_itself_and_the_new_count_not_the_panel(
    client, public_user, django_assert_max_num_queries
):
    """The answer to an htmx comment is small whatever the paragraph holds: a fresh form in place of the
    sent one, the new comment for the top of the list (focused), and, out of band, the panel's count,
    the thanks and the draft page's button; the earlier comments are not sent again. A bounded number of
    queries, however many comments the review has."""
    from tests.consultations.factories import bulk_comments

    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    bulk_comments(review, 30, keys=[key], body="An earlier comment on this paragraph.")
    client.force_login(public_user)
    url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])
    client.get(reverse("consultations:draft-detail", args=[review.version.deliverable_id, 1]))  # session warm
    with django_assert_max_num_queries(20):
        response = client.post(
            url,
            {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": "My **new** point."},
            headers={"HX-Request": "true"},
        )
    from consultations.models import Comment

    new = Comment.objects.get(body="My **new** point.")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#comment-form-{key}" and response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith(f'<form id="comment-form-{key}"')  # the fresh form, empty
    assert "My **new** point." not in html.split("</form>")[0]
    assert f'<ol hx-swap-oob="afterbegin:#comment-list-{key}">' in html
    assert f'<li id="comment-{new.pk}"' in html and 'tabindex="-1" autofocus' in html
    assert "My <strong>new</strong> point." in html
    # its reply box (rendered once per process, then given each comment's ids) is its own
    assert f'<label class="usa-label" for="reply-{new.pk}-body">' in html
    assert f'id="reply-{new.pk}-body"' in html and '"reply-0-' not in html
    assert f'<div id="panel-count-{key}" hx-swap-oob="true">' in html and "31 comments" in html
    assert f'<a id="comments-button-{key}" hx-swap-oob="true"' in html
    assert '31</span> comments<span class="usa-sr-only"> on paragraph 1' in html
    assert "Thank you: your comment has been received." in html
    assert "An earlier comment on this paragraph." not in html  # not the whole panel again


def test_a_copy_of_a_form_letter_is_answered_with_its_campaigns_size(client, public_user):
    """The second copy makes the campaign (its size is 2, known without counting); a third joins it and
    its size is counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    letter = (
        "As a ratepayer I urge the initiative to require utilities to publish hosting capacity maps "
        "updated monthly, so that customers and installers can plan rooftop solar without delays."
    )
    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    client.force_login(public_user)
    assert "campaign of" not in _post_htmx(client, review.version, key, letter).content.decode()
    with CaptureQueriesContext(connection) as second:
        html = _post_htmx(client, review.version, key, letter).content.decode()
    assert "campaign of 2" in html
    assert not [q for q in second.captured_queries if "COUNT(" in q["sql"] and "campaign_id" in q["sql"]]
    assert "campaign of 3" in _post_htmx(client, review.version, key, letter.upper()).content.decode()
