"""The staff and participant dashboards: what each shows, who may see the staff one, and query counts
that do not grow with the number of deliverables, sessions and action items."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import DeliverableFactory, EnrollmentFactory, WorkstreamFactory
from tests.workstreams.factories import (
    LOCAL_CACHE,
    ActionItemFactory,
    BallotFactory,
    RoundFactory,
    SessionFactory,
)
from workstreams.services import lifecycle

pytestmark = pytest.mark.django_db


def populate(n: int, user=None, workstream=None):
    today = timezone.localdate()
    for _ in range(n):
        ws = workstream or WorkstreamFactory()
        DeliverableFactory(workstream=ws, due_date=today - datetime.timedelta(days=3), owner=user)
        SessionFactory(workstream=ws, starts_at=timezone.now() + datetime.timedelta(hours=2))
        ActionItemFactory(
            workstream=ws, due_date=today - datetime.timedelta(days=2), **({"owner": user} if user else {})
        )


def test_staff_dashboard_shows_the_week(client, staff, workstream):
    workstream.lead = staff
    workstream.save()
    lifecycle.step_start(actor=staff, step=workstream.steps.get(number=1))
    today = timezone.localdate()
    DeliverableFactory(
        workstream=workstream, title="Overdue matrix", due_date=today - datetime.timedelta(days=4)
    )
    SessionFactory(
        workstream=workstream, title="Kickoff call", starts_at=timezone.now() + datetime.timedelta(minutes=30)
    )
    ActionItemFactory(
        workstream=workstream, description="Overdue homework", due_date=today - datetime.timedelta(days=1)
    )
    client.force_login(staff)
    page = client.get("/staff/dashboard/").content.decode()
    for text in (workstream.title, "step 1: Step 1", "Kickoff call", "Overdue matrix", "Overdue homework"):
        assert text in page


@pytest.mark.parametrize("role", ["public_user", "participant", "committee_member"])
def test_staff_dashboard_refused_to_others(client, roles, role):
    client.force_login(roles[role])
    assert client.get("/staff/dashboard/").status_code == 403


def test_participant_dashboard(client, participant, workstream):
    rnd = RoundFactory(workstream=workstream, title="Rank planning topics")
    SessionFactory(workstream=workstream, title="Next working session")
    SessionFactory(title="Someone else's session")
    ActionItemFactory(workstream=workstream, owner=participant, description="My homework")
    ActionItemFactory(workstream=workstream, description="Not mine")
    client.force_login(participant)
    page = client.get("/dashboard/").content.decode()
    assert workstream.title in page
    assert "Rank planning topics" in page and "you have not voted yet" in page
    assert "Next working session" in page and "Someone else&#x27;s session" not in page
    assert "My homework" in page and "Not mine" not in page
    BallotFactory(round=rnd, voter=participant)
    assert "you have voted" in client.get("/dashboard/").content.decode()


def test_dashboard_needs_login(client):
    assert client.get("/dashboard/").status_code == 302


def measure(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_staff_dashboard_query_count_is_constant(client, staff, django_assert_max_num_queries, settings):
    settings.CACHES = LOCAL_CACHE  # a shared Redis flushed by other test processes would add a query
    client.force_login(staff)
    populate(2)
    client.get("/staff/dashboard/")
    few = measure(client, "/staff/dashboard/")
    populate(25)
    with django_assert_max_num_queries(few):
        client.get("/staff/dashboard/")


def test_participant_dashboard_query_count_is_constant(client, django_assert_max_num_queries, settings):
    settings.CACHES = LOCAL_CACHE  # a shared Redis flushed by other test processes would add a query
    user = EnrollmentFactory().user
    client.force_login(user)
    populate(2, user=user)
    client.get("/dashboard/")
    few = measure(client, "/dashboard/")
    for _ in range(5):
        ws = WorkstreamFactory()
        EnrollmentFactory(workstream=ws, user=user, organization=user.organization)
        RoundFactory(workstream=ws)
        populate(4, user=user, workstream=ws)
    client.get("/dashboard/")  # the new enrollments made the cached roles stale: read them again first
    with django_assert_max_num_queries(few):
        client.get("/dashboard/")


def test_wide_tables_scroll_inside_their_box_on_a_phone(client, staff, workstream):
    """Each table sits in a USWDS scrollable container so a 390px-wide page does not scroll sideways."""
    populate(1, user=staff, workstream=workstream)
    EnrollmentFactory(workstream=workstream)
    client.force_login(staff)
    for url in (
        "/staff/dashboard/",
        "/dashboard/",
        "/staff/deliverables/",
        "/staff/deliverables/timeline/",
        f"/workstreams/{workstream.slug}/representation/",
    ):
        page = client.get(url).content.decode()
        assert page.count("<table") >= 1, url
        assert page.count('<div class="usa-table-container--scrollable" tabindex="0"><table') == page.count(
            "<table"
        ), url


def test_staff_dashboard_has_no_dangling_step_text_for_a_workstream_not_started(client, staff):
    ws = WorkstreamFactory(name="Idle workstream")
    EnrollmentFactory(workstream=ws)
    client.force_login(staff)
    page = client.get("/staff/dashboard/").content.decode()
    assert "Idle workstream</a> — 1 participant</li>" in page


def _open_review(workstream, *, kind="member_review", title="Draft", days_left=5):
    """A review of a new draft in `workstream`, open for `days_left` more days (closed a day ago when
    `days_left` is negative)."""
    from tests.consultations.factories import ReviewFactory, make_version

    version = make_version(deliverable=DeliverableFactory(workstream=workstream), title=title)
    now = timezone.now()
    return ReviewFactory(
        version=version,
        kind=kind,
        opens_at=now - datetime.timedelta(days=10),
        closes_at=now + datetime.timedelta(days=days_left),
    )


def test_participant_dashboard_lists_drafts_open_for_review_with_the_comments_left(
    client, participant, workstream
):
    """Member reviews and public consultations open in the participant's workstreams, soonest to close
    first, each saying how many comments the participant has left there; nothing from elsewhere."""
    from tests.consultations.factories import CommentFactory

    member = _open_review(workstream, title="Member draft", days_left=3)
    public = _open_review(workstream, kind="public_consultation", title="Public draft", days_left=9)
    _open_review(workstream, title="Closed draft", days_left=-1)
    _open_review(WorkstreamFactory(), title="Elsewhere draft")
    CommentFactory.create_batch(2, review=member, author=participant)
    CommentFactory(review=public)  # someone else's
    client.force_login(participant)
    page = client.get("/dashboard/").content.decode()
    section = page.split('id="drafts-title"', 1)[1].split("</section>", 1)[0]
    assert section.index("Member draft") < section.index("Public draft")
    assert "Closed draft" not in section and "Elsewhere draft" not in section
    assert f"/drafts/{member.version.deliverable_id}/v1/" in section
    assert "member review, closes" in section and "you have left 2 comments" in section
    assert "public consultation, closes" in section and "you have not commented yet" in section


def test_participant_dashboard_queries_do_not_grow_with_open_reviews(
    client, participant, workstream, django_assert_max_num_queries, settings
):
    settings.CACHES = LOCAL_CACHE
    _open_review(workstream)
    client.force_login(participant)
    client.get("/dashboard/")
    few = measure(client, "/dashboard/")
    for _ in range(6):
        _open_review(workstream)
    with django_assert_max_num_queries(few):
        client.get("/dashboard/")


def test_staff_dashboard_links_each_open_matrix_and_the_moderation_queue_with_counts(
    client, staff, workstream
):
    from consultations.models import Flag
    from tests.consultations.factories import CommentFactory

    review = _open_review(workstream, kind="public_consultation", title="Consulted draft")
    answered, pending = (
        CommentFactory(review=review, disposition="accepted", response="Yes"),
        CommentFactory(review=review),
    )
    CommentFactory(review=review)  # unflagged comments are not in the queue
    Flag.objects.create(comment=pending, reason="Off topic")
    Flag.objects.create(comment=pending, reason="Spam")
    Flag.objects.create(comment=answered, reason="Old", resolved_at=timezone.now())
    client.force_login(staff)
    page = client.get("/staff/dashboard/").content.decode()
    section = page.split('id="consult-title"', 1)[1].split("</section>", 1)[0]
    assert (
        '<a href="/moderation/">Moderation queue</a>' in section
        and "<strong>1 flagged comment</strong>" in section
    )
    assert f'href="/reviews/{review.pk}/matrix/"' in section and "1 of 3 comments answered" in section


def test_staff_dashboard_queries_do_not_grow_with_open_consultations(
    client, staff, workstream, django_assert_max_num_queries, settings
):
    settings.CACHES = LOCAL_CACHE
    _open_review(workstream, kind="public_consultation")
    client.force_login(staff)
    client.get("/staff/dashboard/")
    few = measure(client, "/staff/dashboard/")
    for _ in range(6):
        _open_review(WorkstreamFactory(), kind="public_consultation")
    with django_assert_max_num_queries(few):
        client.get("/staff/dashboard/")


@pytest.mark.parametrize(
    "role, tracker, audit",
    [("staff", True, True), ("committee_member", False, True), ("participant", False, False)],
)
def test_main_navigation_offers_the_tracker_and_audit_log_to_those_who_may_see_them(
    client, roles, role, tracker, audit
):
    client.force_login(roles[role])
    nav = client.get("/").content.decode().split('aria-label="Primary navigation"', 1)[1].split("</nav>")[0]
    assert ('href="/staff/deliverables/"' in nav) is tracker
    assert ('href="/staff/audit/"' in nav) is audit
