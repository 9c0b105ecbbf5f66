"""Campaign grouping when copies of a form letter arrive at once (PostgreSQL, threads): never two
campaigns for one letter, and a copy of a letter that already has a campaign joins it without waiting
for anyone's lock."""

import contextlib
import threading

import pytest
from django.db import connection, transaction

from consultations.models import Campaign, Comment
from consultations.services import comments as services
from tests.consultations.factories import ReviewFactory
from tests.consultations.test_services_comments_counts import _run
from tests.factories import UserFactory

LETTER = (
    "As a ratepayer I urge the initiative to require utilities to publish hosting capacity maps "
    "updated monthly, so that customers and installers can plan rooftop solar without delays."
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serializes writers)")


@contextlib.contextmanager
def held_in_another_transaction(work, *, release_after: float | None = None):
    """Run `work()` in a transaction on another thread (its own connection) and keep that transaction
    open — its row locks held — while the block runs: until the block ends, or `release_after` seconds
    into it (for a block that itself waits on those locks). Yields {"result": what `work` returned}."""
    done, release, out = threading.Event(), threading.Event(), {}

    def hold():
        with transaction.atomic():
            out["result"] = work()
            done.set()
            release.wait(timeout=30)

    holder = threading.Thread(target=lambda: _run([hold]))
    holder.start()
    try:
        assert done.wait(timeout=30)
        if release_after is not None:
            threading.Timer(release_after, release.set).start()
        yield out
    finally:
        release.set()
        holder.join(timeout=30)


def test_copies_posted_at_once_never_make_two_campaigns():
    review = ReviewFactory()
    people = [UserFactory(verified=True) for _ in range(8)]
    services.comment_create(actor=people[0], review=review, body=LETTER)  # the first copy, alone
    barrier = threading.Barrier(len(people) - 1)

    def poster(person, n):
        def post():
            barrier.wait(timeout=30)
            body = LETTER if n % 2 else LETTER.replace("monthly", "every month")  # identical and near
            services.comment_create(actor=person, review=review, body=body)

        return post

    _run([poster(p, n) for n, p in enumerate(people[1:])])
    assert Campaign.objects.filter(review=review).count() == 1
    first = Comment.objects.filter(review=review).earliest("created_at", "pk")
    assert Campaign.objects.get(review=review).representative == first
    assert set(Comment.objects.filter(review=review).values_list("campaign_id", flat=True)) == {
        first.campaign_id
    }


def test_a_copy_joins_an_existing_campaign_while_its_representative_is_locked():
    """Joining reads the campaign from the candidate row: no lock on the representative, so a popular
    letter's copies do not queue behind each other."""
    review = ReviewFactory()
    first = services.comment_create(actor=UserFactory(verified=True), review=review, body=LETTER)
    services.comment_create(actor=UserFactory(verified=True), review=review, body=LETTER)
    first.refresh_from_db()
    with held_in_another_transaction(lambda: Comment.objects.select_for_update().get(pk=first.pk)):
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")  # waiting for the lock would fail the post
        try:
            third = services.comment_create(actor=UserFactory(verified=True), review=review, body=LETTER)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    assert third.campaign_id == first.campaign_id is not None


def test_a_copy_that_loses_the_race_to_make_the_campaign_joins_the_winners():
    """Two copies match the same first copy at once: the one whose update of the first copy waited for
    the other's lock drops the campaign it made and joins the other's; one campaign is left."""
    review = ReviewFactory()
    first = services.comment_create(actor=UserFactory(verified=True), review=review, body=LETTER)

    def make_the_campaign():
        return services.comment_create(actor=UserFactory(verified=True), review=review, body=LETTER)

    with held_in_another_transaction(make_the_campaign, release_after=1.0) as winner:
        # the loser waits on the first copy's row until the winner's transaction ends
        loser = services.comment_create(actor=UserFactory(verified=True), review=review, body=LETTER)
    first.refresh_from_db()
    assert Campaign.objects.filter(review=review).count() == 1
    assert loser.campaign_id == winner["result"].campaign_id == first.campaign_id is not None
    assert not hasattr(loser, "campaign_size")  # joined: its size is counted by whoever shows it
