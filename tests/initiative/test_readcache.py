"""The shared read cache (initiative.readcache): reads every request makes are kept between requests,
and a write to any row they come from shows on the very next request, whoever wrote it.

Each test turns the cache on (it is off without Redis) in a local-memory cache of its own, and reads
through fresh objects from the database, as each request does."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations.models import Redaction, Review
from consultations.services import publication
from initiative import policy, readcache
from initiative.models import BodyMembership, User
from tests.consultations.factories import ReviewFactory
from tests.factories import BodyMembershipFactory, EnrollmentFactory, UserFactory
from workstreams.models import Enrollment, IllustrativeQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def read_cache(private_cache, settings):
    settings.READ_CACHE_SECONDS = 600


def fresh(user) -> User:
    """The user as the next request loads it (nothing cached on the object)."""
    return User.objects.get(pk=user.pk)


def queries_of(fn) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_roles_are_read_once_then_come_from_the_cache():
    user = UserFactory(verified=True)
    assert queries_of(lambda: policy.can(fresh(user), "initiative.view_staff_area"))[1] >= 1
    user = fresh(user)
    assert queries_of(lambda: policy.can(user, "initiative.view_staff_area")) == (False, 0)


def test_a_new_membership_counts_on_the_next_request():
    user = UserFactory(verified=True)
    assert not policy.can(fresh(user), "initiative.view_staff_area")  # cached: not staff
    BodyMembershipFactory(user=user, implementation_team=True)
    assert policy.can(fresh(user), "initiative.view_staff_area")


def test_an_ended_membership_stops_counting_on_the_next_request(django_capture_on_commit_callbacks):
    membership = BodyMembershipFactory(implementation_team=True)
    assert policy.can(fresh(membership.user), "initiative.view_staff_area")
    membership.ends_on = datetime.date.today() - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        membership.save()
    assert not policy.can(fresh(membership.user), "initiative.view_staff_area")
    BodyMembership.objects.filter(pk=membership.pk).delete()
    assert not policy.can(fresh(membership.user), "initiative.view_staff_area")


def test_a_withdrawn_enrollment_stops_counting_on_the_next_request():
    from workstreams.rules import enrolled_workstream_ids

    enrollment = EnrollmentFactory()
    assert enrolled_workstream_ids(fresh(enrollment.user)) == {enrollment.workstream_id}
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()
    assert enrolled_workstream_ids(fresh(enrollment.user)) == frozenset()


def test_roles_cached_yesterday_are_read_again_today(time_machine):
    """Memberships start and end on days: a term that ends today must not count tomorrow."""
    membership = BodyMembershipFactory(implementation_team=True, ends_on=datetime.date(2026, 12, 4))
    time_machine.move_to(datetime.datetime(2026, 12, 4, 12, tzinfo=datetime.UTC))
    assert policy.can(fresh(membership.user), "initiative.view_staff_area")
    time_machine.move_to(datetime.datetime(2026, 12, 5, 12, tzinfo=datetime.UTC))
    assert not policy.can(fresh(membership.user), "initiative.view_staff_area")


def test_a_value_read_while_its_rows_were_written_is_never_used():
    """A request that read the old rows before a write committed stores them under the generation it
    started with; the write replaced that generation, so the next read computes again."""
    computed = []

    def compute_during_a_write():
        computed.append(1)
        readcache.changed("roles:test")  # another process commits a change meanwhile
        return "old rows"

    assert readcache.read("roles:test", "day", compute_during_a_write) == "old rows"
    assert readcache.read("roles:test", "day", lambda: "new rows") == "new rows"
    assert readcache.read("roles:test", "day", lambda: "never computed") == "new rows"
    assert computed == [1]


def test_without_the_cache_every_read_is_computed(settings):
    settings.READ_CACHE_SECONDS = 0
    assert readcache.read("g", "k", lambda: 1) == 1
    assert readcache.read("g", "k", lambda: 2) == 2


def test_questions_chosen_for_a_review_show_on_the_next_request():
    review = ReviewFactory()
    workstream = review.version.deliverable.workstream
    own = IllustrativeQuestion.objects.create(workstream=workstream, number=1, text="Who plans?")
    assert Review.objects.get(pk=review.pk).offered_questions() == [own]
    other = IllustrativeQuestion.objects.create(
        workstream=EnrollmentFactory().workstream, number=1, text="Who operates?"
    )
    review.questions.add(other)
    assert Review.objects.get(pk=review.pk).offered_questions() == [other]
    other.text = "Who operates the feeders?"
    other.save()
    assert Review.objects.get(pk=review.pk).offered_questions()[0].text == "Who operates the feeders?"


def test_a_new_redaction_is_withheld_on_the_next_request():
    review = ReviewFactory()
    version = review.version
    deliverable_id = version.deliverable_id
    assert publication.withheld_phrases(deliverable_id=deliverable_id) == []
    paragraph = version.paragraphs.get(order=0)
    Redaction.objects.create(
        version=version, paragraph_key=paragraph.key, start=0, end=5, reason=Redaction.Reason.PRIVACY
    )
    assert [w.phrase for w in publication.withheld_phrases(deliverable_id=deliverable_id)] == [
        paragraph.text[:5]
    ]
    Redaction.objects.filter(version=version).delete()
    assert publication.withheld_phrases(deliverable_id=deliverable_id) == []


def test_a_paragraph_is_found_by_its_key_and_its_text_loads_when_read():
    version = ReviewFactory().version
    paragraph = version.paragraphs.get(order=1)
    found, n = queries_of(lambda: type(version).objects.get(pk=version.pk).paragraph_at(paragraph.key))
    assert (found.pk, found.order, found.text) == (paragraph.pk, 1, paragraph.text)
    again, n = queries_of(lambda: type(version).objects.get(pk=version.pk).paragraph_at(paragraph.key))
    assert n == 1 and again.pk == paragraph.pk  # the version's own query only
    assert type(version).objects.get(pk=version.pk).paragraph_at("p-nowhere") is None


def version_of(review):
    from consultations.selectors.comments import version_get

    version = review.version
    return version_get(deliverable_id=version.deliverable_id, number=version.number)


def test_a_version_is_read_once_with_its_reviews_then_comes_from_the_cache():
    review = ReviewFactory()
    assert queries_of(lambda: version_of(review))[1] == 2  # the version with its rows, its reviews
    version, n = queries_of(lambda: version_of(review))
    assert n == 0 and version.deliverable.workstream_id == review.version.deliverable.workstream_id
    assert queries_of(lambda: [r.pk for r in version.reviews.all()]) == ([review.pk], 0)


def test_a_closed_review_and_a_new_one_show_on_the_next_request():
    from django.utils import timezone

    review = ReviewFactory()
    assert version_of(review).reviews.get(pk=review.pk).closed_at is None
    review.closed_at = timezone.now()
    review.save()
    assert version_of(review).reviews.all()[0].closed_at == review.closed_at
    later = ReviewFactory(version=review.version)
    assert {r.pk for r in version_of(review).reviews.all()} == {review.pk, later.pk}


def test_a_review_updated_in_bulk_shows_on_the_next_request():
    from django.utils import timezone

    review = ReviewFactory()
    assert version_of(review).reviews.all()[0].opened_notified_at is None
    Review.objects.filter(pk=review.pk).update(opened_notified_at=timezone.now())
    assert version_of(review).reviews.all()[0].opened_notified_at is not None


def test_a_renamed_deliverable_or_workstream_shows_on_the_next_request():
    review = ReviewFactory()
    assert version_of(review).deliverable.title != "Renamed"
    deliverable = review.version.deliverable
    deliverable.title = "Renamed"
    deliverable.save()
    assert version_of(review).deliverable.title == "Renamed"
    workstream = deliverable.workstream
    workstream.name = "Renamed workstream"
    workstream.save()
    assert version_of(review).deliverable.workstream.name == "Renamed workstream"


def test_a_version_that_does_not_exist_is_not_found_and_a_new_one_is():
    from django.http import Http404

    from tests.consultations.factories import make_version

    review = ReviewFactory()
    deliverable = review.version.deliverable
    with pytest.raises(Http404):
        version_of(type(review)(version=type(review.version)(deliverable=deliverable, number=2)))
    second = make_version(deliverable=deliverable)
    assert version_of(ReviewFactory(version=second)).pk == second.pk


def test_a_version_published_shows_as_readable_to_the_public_on_the_next_request():
    """The versions a draft page starts from come from the cache; rendering the publication (a bulk
    update, no signal) makes its version public at once."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from consultations.models import Publication
    from consultations.selectors.drafts import draft_access
    from consultations.services import approvals as approval_services
    from consultations.services import workflow as wf
    from consultations.tasks.workflow import build_publication
    from tests.consultations.factories import make_version
    from tests.consultations.factories_workflow import committee, deliverable_at, held_webinar, staff_user

    staff = staff_user()
    deliverable = deliverable_at("revising", staff=staff)
    make_version(deliverable=deliverable, body="# Revised\n\nA revised paragraph.\n", actor=staff)
    members = committee(3)
    held_webinar(deliverable)
    now = timezone.now()
    Review.objects.filter(version__deliverable=deliverable).update(closed_at=now)
    wf.deliverable_transition(
        actor=staff, deliverable=deliverable, name="submit", deadline=now + datetime.timedelta(days=7)
    )
    approval = deliverable.approvals.get()
    for member in members:
        approval_services.approval_vote_cast(actor=member, approval=approval, choice="approve", reason="Ok.")
    approval_services.approval_close(actor=None, approval=approval, now=approval.deadline)
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")

    public = AnonymousUser()
    access = draft_access(user=public, deliverable=deliverable)
    assert access.version.number == 1 and [v.readable for v in access.versions] == [True, False]
    assert queries_of(lambda: draft_access(user=public, deliverable=deliverable))[1] == 0
    build_publication.run(Publication.objects.get(deliverable=deliverable).pk)
    access = draft_access(user=public, deliverable=deliverable)
    assert access.version.number == 2 and [v.readable for v in access.versions] == [True, True]


# The signed-in user (initiative.auth) and reads fetched together (readcache.prefetch) -----------------
def user_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if 'FROM "initiative_user"' in q["sql"]]


def test_the_signed_in_user_is_read_from_the_cache_after_the_first_request(client):
    from django.urls import reverse

    user = UserFactory(verified=True, full_name="Ada Cached")
    client.force_login(user)
    account = reverse("initiative:account")
    with CaptureQueriesContext(connection) as first:
        assert client.get(account).status_code == 200
    with CaptureQueriesContext(connection) as second:
        response = client.get(account)
    assert response.status_code == 200 and "Ada Cached" in response.content.decode()
    assert user_queries(first) and not user_queries(second)


def test_a_deactivated_account_is_signed_out_on_its_next_request(client):
    from django.urls import reverse

    user = UserFactory(verified=True)
    client.force_login(user)
    account = reverse("initiative:account")
    assert client.get(account).status_code == 200  # now cached
    user.is_active = False
    user.save()
    response = client.get(account)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_password_signs_out_the_other_sessions_on_their_next_request(client):
    from django.urls import reverse

    user = UserFactory(verified=True)
    client.force_login(user)
    account = reverse("initiative:account")
    assert client.get(account).status_code == 200  # now cached
    user.set_password("a new long passphrase 42")
    user.save()
    response = client.get(account)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_renamed_user_shows_with_the_new_name_on_the_next_request(client):
    from django.urls import reverse

    user = UserFactory(verified=True, full_name="Old Name")
    client.force_login(user)
    account = reverse("initiative:account")
    assert "Old Name" in client.get(account).content.decode()
    edited = User.objects.get(pk=user.pk)
    edited.full_name = "New Name"
    edited.save()
    assert "New Name" in client.get(account).content.decode()


def in_request(fn):
    """Run `fn` as a view inside readcache's request scope (the middleware), returning its result."""
    from django.test import RequestFactory

    out = []
    readcache.RequestScope(lambda request: out.append(fn()))(RequestFactory().get("/"))
    return out[0]


def counting_round_trips(monkeypatch) -> list:
    from django.core.cache import caches

    cache, calls = caches["default"], []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(list(keys)) or real(keys))
    return calls


def test_reads_prefetched_together_cost_one_round_trip(monkeypatch):
    readcache.read("g1", "k", lambda: "one")
    readcache.read("g2", "k", lambda: "two")
    calls = counting_round_trips(monkeypatch)

    def view():
        readcache.prefetch(("g1", "k"), ("g2", "k"))
        return readcache.read("g1", "k", lambda: "never"), readcache.read("g2", "k", lambda: "never")

    assert in_request(view) == ("one", "two")
    assert len(calls) == 1


def test_a_prefetched_value_made_stale_in_the_same_request_is_read_again(monkeypatch):
    readcache.read("g1", "k", lambda: "old")

    def view():
        readcache.prefetch(("g1", "k"))
        readcache.changed("g1")  # this request writes a row the value came from
        return readcache.read("g1", "k", lambda: "new")

    assert in_request(view) == "new"
    assert readcache.read("g1", "k", lambda: "never") == "new"


def test_a_prefetched_miss_is_computed_once_and_cached():
    def view():
        readcache.prefetch(("g1", "fresh"))
        return readcache.read("g1", "fresh", lambda: "computed")

    assert in_request(view) == "computed"
    assert readcache.read("g1", "fresh", lambda: "never") == "computed"


def test_outside_a_request_a_prefetch_fetches_nothing(monkeypatch):
    readcache.read("g1", "k", lambda: "one")
    calls = counting_round_trips(monkeypatch)
    readcache.prefetch(("g1", "k"))
    assert calls == []
    assert readcache.read("g1", "k", lambda: "never") == "one" and len(calls) == 1


def test_a_comment_posted_with_htmx_reads_the_shared_cache_in_three_round_trips(client, monkeypatch):
    """Signed-in user with their roles, the version with the withheld words, the review's questions with
    the paragraph's place: each pair in one round trip, and the user not from the database."""
    from django.urls import reverse

    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    user = UserFactory(verified=True)
    client.force_login(user)
    url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])

    def post(body):
        return client.post(
            url,
            {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": body},
            headers={"HX-Request": "true"},
        )

    assert post("A first point.").status_code == 200  # every cached read now stored
    calls = counting_round_trips(monkeypatch)
    with CaptureQueriesContext(connection) as ctx:
        response = post("A second point.")
    assert response.status_code == 200 and "A second point." in response.content.decode()
    read_cache_trips = [keys for keys in calls if any(k.startswith("readcache:") for k in keys)]
    assert len(read_cache_trips) == 3, read_cache_trips
    assert not user_queries(ctx)
