"""The comment counts pages read (a row per review and paragraph, kept by the services): exact when many
people post at once, exact after hiding and showing again, and what the draft page shows."""

import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse

from consultations.models import Comment, CommentCount
from consultations.selectors import comments as selectors
from consultations.services import comments as services
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import BodyMembershipFactory, UserFactory

POSTERS = 8
EACH = 5


def _count(review, key) -> tuple[int, int]:
    row = CommentCount.objects.filter(review=review, paragraph_key=key).first()
    return (row.visible, row.hidden) if row else (0, 0)


def _run(threads_targets):
    errors = []

    def wrap(target):
        def go():
            try:
                target()
            except Exception as exc:  # noqa: BLE001  (reported below)
                errors.append(exc)
            finally:
                close_old_connections()
                connection.close()

        return go

    threads = [threading.Thread(target=wrap(t)) for t in threads_targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
def test_counts_stay_exact_when_many_post_and_moderate_at_once():
    """Eight people post five comments each on the same paragraph at the same moment (forty
    concurrent transactions on PostgreSQL): the paragraph's count is exactly forty. Then moderators
    hide ten of them while others post again, and show four of those again: visible and hidden counts
    match the comments one for one."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serializes writers)")
    review = ReviewFactory(version=make_version(body="# T\n\nOne.\n\nTwo.\n"))
    key = review.version.paragraphs.first().key
    people = [UserFactory(verified=True) for _ in range(POSTERS)]
    staff = BodyMembershipFactory(implementation_team=True).user
    barrier = threading.Barrier(POSTERS)

    def poster(person):
        def post():
            barrier.wait(timeout=30)
            for i in range(EACH):
                services.comment_create(
                    actor=person, review=review, body=f"Point {i} from {person.pk}.", paragraph_key=key
                )

        return post

    _run([poster(p) for p in people])
    assert Comment.objects.filter(review=review, paragraph_key=key).count() == POSTERS * EACH
    assert _count(review, key) == (POSTERS * EACH, 0)

    to_hide = list(Comment.objects.filter(review=review, paragraph_key=key).order_by("pk")[:10])
    barrier = threading.Barrier(len(to_hide) + 2)

    def hider(comment):
        def hide():
            barrier.wait(timeout=30)
            services.comment_hide(actor=staff, comment=comment, reason="Off topic")

        return hide

    def late_poster(person):
        def post():
            barrier.wait(timeout=30)
            services.comment_create(actor=person, review=review, body="Late point.", paragraph_key=key)

        return post

    _run([hider(c) for c in to_hide] + [late_poster(people[0]), late_poster(people[1])])
    # hiding twice changes nothing
    services.comment_hide(actor=staff, comment=to_hide[0], reason="Again")
    barrier = threading.Barrier(4)

    def unhider(comment):
        def unhide():
            barrier.wait(timeout=30)
            services.comment_unhide(actor=staff, comment=comment)

        return unhide

    _run([unhider(c) for c in to_hide[:4]])
    comments = Comment.objects.filter(review=review, paragraph_key=key, parent__isnull=True)
    visible, hidden = (
        comments.filter(hidden_at__isnull=True).count(),
        comments.exclude(hidden_at=None).count(),
    )
    assert (visible, hidden) == (POSTERS * EACH + 2 - 6, 6)
    assert _count(review, key) == (visible, hidden)


def test_hiding_and_showing_again_move_a_comment_between_the_counts(db, staff):
    """A moderator hides a comment: the draft page's count drops for the public and stays for staff
    (who see hidden comments); shown again, it counts again. Replies never count."""
    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    author = UserFactory(verified=True)
    first = services.comment_create(actor=author, review=review, body="First.", paragraph_key=key)
    services.comment_create(actor=author, review=review, body="Second.", paragraph_key=key)
    services.comment_reply(actor=author, parent=first, body="A reply.")
    reader = UserFactory(verified=True)

    def counts(user):
        page = selectors.draft_page(version=review.version, user=user)
        return page.paragraphs[0].comment_count

    assert counts(reader) == 2 and counts(staff) == 2
    services.comment_hide(actor=staff, comment=first, reason="Spam")
    assert _count(review, key) == (1, 1)
    assert counts(reader) == 1 and counts(staff) == 2
    services.comment_unhide(actor=staff, comment=first)
    assert _count(review, key) == (2, 0)
    assert counts(reader) == 2


def test_rebuilding_the_counts_gives_what_the_services_kept(db, staff):
    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    author = UserFactory(verified=True)
    for body in ("One.", "Two.", "Three."):
        services.comment_create(actor=author, review=review, body=body, paragraph_key=key)
    services.comment_create(actor=author, review=review, body="Whole.")
    services.comment_hide(actor=staff, comment=Comment.objects.get(body="Two."), reason="Spam")
    kept = sorted(CommentCount.objects.values_list("paragraph_key", "visible", "hidden"))
    services.comment_counts_rebuild(review_ids=[review.pk])
    assert sorted(CommentCount.objects.values_list("paragraph_key", "visible", "hidden")) == kept
    assert kept == sorted([(key, 2, 1), ("", 1, 0)])


def test_the_body_is_rendered_once_when_written_and_the_page_shows_it(client, db):
    """The comment's Markdown is rendered and sanitized when written; the page shows that HTML (no
    script ever), and the text typed stays as typed."""
    review = ReviewFactory()
    author = UserFactory(verified=True)
    comment = services.comment_create(
        actor=author, review=review, body="**Bold** point <script>alert(1)</script>"
    )
    assert comment.body == "**Bold** point <script>alert(1)</script>"
    assert "<strong>Bold</strong>" in comment.body_html and "<script" not in comment.body_html
    url = reverse("consultations:paragraph-comments", args=[review.version.deliverable_id, 1, "whole"])
    html = client.get(url).content.decode()
    assert "<strong>Bold</strong> point" in html and "<script>alert(1)" not in html
