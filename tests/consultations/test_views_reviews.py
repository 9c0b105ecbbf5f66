"""Staff pages for review windows, the matrix page and CSV, the export job (also with a real worker),
the summary page, moderation and dispositions through the pages."""

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Disposition, Flag, MatrixExport, Review
from consultations.services import comments as services
from initiative.models import AuditEvent
from tests.consultations.factories import CommentFactory, ReviewFactory, bulk_comments, make_version
from tests.factories import DeliverableFactory, EnrollmentFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_open_a_consultation_in_a_chosen_time_zone(client, staff):
    version = make_version()
    client.force_login(staff)
    url = reverse("consultations:review-manage", args=[version.deliverable_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": version.pk,
            "kind": "public_consultation",
            "opens_at": "2031-03-01T09:00",
            "closes_at": "2031-04-01T17:00",
            "time_zone": "America/Los_Angeles",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review = Review.objects.get()
    la = zoneinfo.ZoneInfo("America/Los_Angeles")
    assert review.opens_at == datetime.datetime(2031, 3, 1, 9, 0, tzinfo=la)
    assert review.closes_at == datetime.datetime(2031, 4, 1, 17, 0, tzinfo=la)  # PDT: 00:00 UTC next day
    assert review.closes_at.astimezone(datetime.UTC).hour == 0


def test_staff_extend_and_close_early(client, staff):
    review = ReviewFactory()
    client.force_login(staff)
    new_close = (timezone.now() + datetime.timedelta(days=60)).astimezone(
        zoneinfo.ZoneInfo("America/Chicago")
    )
    client.post(
        reverse("consultations:review-extend", args=[review.pk]),
        {"closes_at": new_close.strftime("%Y-%m-%dT%H:%M"), "time_zone": "America/Chicago"},
    )
    review.refresh_from_db()
    assert abs((review.closes_at - new_close).total_seconds()) < 60
    client.post(reverse("consultations:review-close", args=[review.pk]))
    review.refresh_from_db()
    assert review.closed_at is not None and not review.is_open()
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {"review.extend", "review.close"}


def test_non_staff_cannot_manage_reviews(client, public_user):
    review = ReviewFactory()
    client.force_login(public_user)
    assert (
        client.get(reverse("consultations:review-manage", args=[review.version.deliverable_id])).status_code
        == 403
    )
    assert client.post(reverse("consultations:review-close", args=[review.pk])).status_code == 403
    review.refresh_from_db()
    assert review.closed_at is None


def test_staff_write_a_new_version(client, staff):
    v1 = make_version()
    client.force_login(staff)
    url = reverse("consultations:version-create", args=[v1.deliverable_id])
    assert "First paragraph." in client.get(url).content.decode()  # prefilled with the latest text
    response = client.post(
        url,
        {"title": "Draft", "body": "# Intro\n\nFirst paragraph.\n\nNew one.\n", "change_note": "Added one"},
    )
    assert response.status_code == 302
    v2 = v1.deliverable.versions.get(number=2)
    assert v2.change_note == "Added one"
    assert v2.paragraphs.get(order=0).key == v1.paragraphs.get(order=0).key


def _matrix_setup():
    review = ReviewFactory()
    k1, k2 = list(review.version.paragraphs.values_list("key", flat=True))
    accepted = CommentFactory(
        review=review,
        paragraph_key=k1,
        stakeholder_type="state_regulator",
        body="Define DSO.",
        disposition=Disposition.ACCEPTED,
        response="Done.",
    )
    other = CommentFactory(review=review, paragraph_key=k2, stakeholder_type="iou", body="Too long.")
    return review, k1, k2, accepted, other


def test_matrix_page_filters(client, staff):
    review, k1, k2, accepted, other = _matrix_setup()
    client.force_login(staff)
    url = reverse("consultations:matrix", args=[review.pk])
    html = client.get(url).content.decode()
    assert "Define DSO." in html and "Too long." in html
    html = client.get(url, {"disposition": "accepted"}).content.decode()
    assert "Define DSO." in html and "Too long." not in html
    html = client.get(url, {"paragraph": k2}).content.decode()
    assert "Define DSO." not in html and "Too long." in html
    html = client.get(
        url, {"stakeholder_type": "state_regulator"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in html and "Define DSO." in html and "Too long." not in html


def test_matrix_csv_content(client, staff):
    review, k1, k2, accepted, other = _matrix_setup()
    v2 = make_version(deliverable=review.version.deliverable)
    Comment.objects.filter(pk=accepted.pk).update(addressed_in=v2)
    client.force_login(staff)
    response = client.get(
        reverse("consultations:matrix", args=[review.pk]), {"format": "csv", "disposition": "accepted"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["comment_id", "paragraph", "paragraph_key"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["comment"] == "Define DSO." and row["disposition"] == "Accepted" and row["response"] == "Done."
    assert (
        row["paragraph"] == "¶1"
        and row["stakeholder_type"] == "State regulator"
        and row["addressed_in_version"] == "2"
    )
    assert "@" not in "".join(rows[1])


def test_matrix_xlsx_has_the_same_rows_as_the_csv(client, staff):
    from tests.sheets import assert_same_rows, xlsx_sheet

    review, k1, k2, accepted, other = _matrix_setup()
    Comment.objects.filter(pk=other.pk).update(body="@SUM(A1:A9) is too long.")
    client.force_login(staff)
    url = reverse("consultations:matrix", args=[review.pk])
    xlsx = client.get(url, {"format": "xlsx"})
    assert f"matrix-review-{review.pk}.xlsx" in xlsx["Content-Disposition"]
    assert_same_rows(client.get(url, {"format": "csv"}), xlsx)
    sheet = xlsx_sheet(xlsx)
    bodies = [sheet.cell(row=r, column=8).value for r in range(2, sheet.max_row + 1)]
    assert "'@SUM(A1:A9) is too long." in bodies
    assert sheet.cell(row=2, column=13).is_date
    assert "format=xlsx" in client.get(url).content.decode()


def test_matrix_of_a_member_review_is_not_public(client):
    review = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)
    assert client.get(reverse("consultations:matrix", args=[review.pk])).status_code == 403


def test_export_job_builds_the_csv_with_progress(client, staff, monkeypatch):
    review = ReviewFactory()
    bulk_comments(review, 1200)
    from consultations.tasks import comments as comment_tasks

    enqueued = []
    monkeypatch.setattr(comment_tasks.export_matrix, "delay", lambda *a: enqueued.append(a))
    client.force_login(staff)
    with_capture = client.post(reverse("consultations:export-create", args=[review.pk]))
    export = MatrixExport.objects.get()
    assert with_capture.status_code == 302 and export.status == "pending"
    page = client.get(
        reverse("consultations:export-detail", args=[export.pk]), headers={"HX-Request": "true"}
    )
    assert 'hx-trigger="every 2s"' in page.content.decode()  # polls while running
    assert comment_tasks.export_matrix(export.pk) is True
    export.refresh_from_db()
    assert (export.status, export.processed, export.total, export.percent) == ("done", 1200, 1200, 100)
    assert comment_tasks.export_matrix(export.pk) is False  # a redelivery does nothing
    page = client.get(
        reverse("consultations:export-detail", args=[export.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "every 2s" not in page and reverse("consultations:export-download", args=[export.pk]) in page
    download = client.get(reverse("consultations:export-download", args=[export.pk]))
    assert len(b"".join(download.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1201


def test_public_cannot_export(client, public_user):
    review = ReviewFactory()
    client.force_login(public_user)
    assert client.post(reverse("consultations:export-create", args=[review.pk])).status_code == 403


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_export_job_run_by_a_real_worker(staff):
    """The export runs on a real Celery worker against the configured broker (Redis in CI), with the
    rows the test committed visible to the worker."""
    import threading

    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    from initiative.celery import app

    review = ReviewFactory()
    bulk_comments(review, 50)
    finished = threading.Event()

    def on_postrun(sender=None, **kwargs):
        if sender is not None and sender.name == "consultations.export_matrix":
            finished.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
            export = services.matrix_export_request(actor=staff, review=review)  # enqueued on commit
            assert finished.wait(timeout=60), "the worker did not run the export"
    finally:
        task_postrun.disconnect(on_postrun)
    export.refresh_from_db()
    assert export.status == "done", export.error
    assert export.processed == 50
    assert export.file.read().decode("utf-8-sig").count("\n") == 51


def test_summary_page_after_closing(client, staff):
    review = ReviewFactory()
    bulk_comments(review, 12)
    CommentFactory(review=review, disposition=Disposition.ACCEPTED)
    url = reverse("consultations:review-summary", args=[review.pk])
    assert client.get(url).status_code == 404  # still open: not yet for the public
    Review.objects.filter(pk=review.pk).update(closed_at=timezone.now())
    html = client.get(url).content.decode()
    assert "13 comments" in html and "1 accepted" in html
    assert "<svg" in html and "Comments by stakeholder type" in html and '<th scope="row">' in html


def test_flag_hide_and_dispose_through_the_pages(client, public_user, staff, monkeypatch):
    from consultations.tasks import comments as comment_tasks

    monkeypatch.setattr(comment_tasks.notify_comment_hidden, "delay", lambda *a: None)
    review = ReviewFactory()
    comment = services.comment_create(actor=public_user, review=review, body="Spam spam")
    flagger = UserFactory(verified=True)
    client.force_login(flagger)
    assert (
        client.post(reverse("consultations:comment-flag", args=[comment.pk]), {"reason": "Spam"}).status_code
        == 302
    )
    assert client.get(reverse("consultations:moderation-queue")).status_code == 403
    client.force_login(staff)
    queue = client.get(reverse("consultations:moderation-queue")).content.decode()
    assert "Spam spam" in queue and "1 flagged comment" in queue
    client.post(reverse("consultations:comment-hide", args=[comment.pk]), {"reason": "Commercial spam"})
    comment.refresh_from_db()
    assert comment.hidden_reason == "Commercial spam" and Comment.objects.filter(pk=comment.pk).exists()
    assert "Nothing flagged." in client.get(reverse("consultations:moderation-queue")).content.decode()
    other = services.comment_create(actor=public_user, review=review, body="Real point", rate_limit=False)
    response = client.post(
        reverse("consultations:comment-dispose", args=[other.pk]),
        {"disposition": "partly_accepted", "response": "Partly.", "addressed_in": ""},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.disposition == "partly_accepted"


@time_machine.travel(datetime.datetime(2031, 5, 1, 12, 10, tzinfo=datetime.UTC))  # mid-window
def test_anyone_can_flag_without_logging_in_limited_per_ip(client, public_user, settings, private_cache):
    settings.COMMENT_FLAG_ANON_RATE = "2/h"
    review = ReviewFactory()
    comment = services.comment_create(actor=public_user, review=review, body="Buy cheap widgets")
    page = client.get(
        reverse("consultations:paragraph-comments", args=[review.version.deliverable_id, 1, "whole"])
    )
    assert reverse("consultations:comment-flag", args=[comment.pk]) in page.content.decode()
    url = reverse("consultations:comment-flag", args=[comment.pk])
    assert client.get(url).status_code == 200
    for _ in range(2):
        assert client.post(url, {"reason": "Spam"}, REMOTE_ADDR="203.0.113.7").status_code == 302
    flags = list(Flag.objects.filter(comment=comment))
    assert len(flags) == 2 and all(f.flagged_by_id is None for f in flags)  # nobody's identity is stored
    refused = client.post(url, {"reason": "Spam"}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "Too many flags" in refused.content.decode()
    assert Flag.objects.filter(comment=comment).count() == 2
    assert client.post(url, {"reason": "Spam"}, REMOTE_ADDR="198.51.100.9").status_code == 302  # another IP
    assert Flag.objects.filter(comment=comment).count() == 3
    assert AuditEvent.objects.filter(action="comment.flag", actor__isnull=True).count() == 3


def test_anonymous_flag_only_reaches_comments_they_can_see(client, public_user, workstream):
    member_review = ReviewFactory(
        kind=Review.Kind.MEMBER_REVIEW,
        version=make_version(deliverable=DeliverableFactory(workstream=workstream)),
    )
    author = EnrollmentFactory(workstream=workstream).user
    comment = services.comment_create(actor=author, review=member_review, body="Members only")
    url = reverse("consultations:comment-flag", args=[comment.pk])
    assert client.post(url, {"reason": "Spam"}).status_code == 404
    assert not Flag.objects.exists()


def test_reply_on_behalf_of_the_organization_from_the_page(client, public_user):
    org = OrganizationFactory(name="Sunny Utility Co")
    member = UserFactory(verified=True, organization=org)
    review = ReviewFactory()
    comment = services.comment_create(actor=public_user, review=review, body="A point")
    client.force_login(member)
    page = client.get(
        reverse("consultations:paragraph-comments", args=[review.version.deliverable_id, 1, "whole"])
    )
    assert "Reply on behalf of Sunny Utility Co" in page.content.decode()
    response = client.post(
        reverse("consultations:comment-reply", args=[comment.pk]), {"body": "We agree", "on_behalf": "1"}
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=comment)
    assert reply.organization == org and reply.stakeholder_type == org.type
    client.post(reverse("consultations:comment-reply", args=[comment.pk]), {"body": "Personally, yes"})
    assert Comment.objects.get(parent=comment, body="Personally, yes").organization is None


def test_a_moderator_can_show_a_hidden_comment_again(client, public_user, staff, monkeypatch):
    """The author's email says the record is kept and can be restored: staff can undo a hide."""
    from consultations.tasks import comments as comment_tasks

    monkeypatch.setattr(comment_tasks.notify_comment_hidden, "delay", lambda *a: None)
    review = ReviewFactory()
    comment = services.comment_create(actor=public_user, review=review, body="Hidden by mistake")
    services.comment_hide(actor=staff, comment=comment, reason="Wrong button")
    url = reverse("consultations:comment-unhide", args=[comment.pk])
    client.force_login(public_user)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    panel = reverse("consultations:paragraph-comments", args=[review.version.deliverable_id, 1, "whole"])
    assert url in client.get(panel).content.decode()
    assert client.post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.hidden_at is None and comment.hidden_reason == ""
    assert AuditEvent.objects.filter(action="comment.unhide", object_id=str(comment.pk)).exists()
    client.logout()
    assert "Hidden by mistake" in client.get(panel).content.decode()


def test_staff_choose_the_consultations_questions_else_the_workstreams_are_offered(
    client, staff, public_user
):
    from workstreams.models import IllustrativeQuestion

    version = make_version()
    ws = version.deliverable.workstream
    q1 = IllustrativeQuestion.objects.create(workstream=ws, number=1, text="Which data should be shared?")
    q2 = IllustrativeQuestion.objects.create(workstream=ws, number=2, text="Who pays for hosting maps?")
    client.force_login(staff)
    start = timezone.localtime(timezone.now() - datetime.timedelta(hours=1), datetime.UTC)
    response = client.post(
        reverse("consultations:review-manage", args=[version.deliverable_id]),
        {
            "version": version.pk,
            "kind": "public_consultation",
            "opens_at": start.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (start + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
            "time_zone": "UTC",
            "questions": [q2.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    review = Review.objects.get()
    assert list(review.questions.all()) == [q2]
    client.force_login(public_user)
    panel = client.get(reverse("consultations:paragraph-comments", args=[version.deliverable_id, 1, "whole"]))
    html = panel.content.decode()
    assert "Who pays for hosting maps?" in html and "Which data should be shared?" not in html
    with pytest.raises(services.CommentError) as refused:
        services.comment_create(actor=public_user, review=review, body="Answer", question=q1)
    assert refused.value.code == "question"
    assert (
        services.comment_create(actor=public_user, review=review, body="Answer", question=q2).question == q2
    )
    # none chosen: every illustrative question of the workstream is offered
    review.questions.clear()
    html = client.get(
        reverse("consultations:paragraph-comments", args=[version.deliverable_id, 1, "whole"])
    ).content.decode()
    assert "Who pays for hosting maps?" in html and "Which data should be shared?" in html


def _matrix_of(n: int):
    """A review with `n` undisposed comments, all on its first paragraph."""
    review = ReviewFactory()
    key = review.version.paragraphs.first().key
    return review, bulk_comments(review, n, keys=[key])


def test_saving_a_disposition_without_javascript_returns_to_the_same_filters_and_page(client, staff):
    review, comments = _matrix_of(60)
    client.force_login(staff)
    matrix = reverse("consultations:matrix", args=[review.pk])
    page2 = client.get(matrix, {"disposition": "none", "page": 2}).content.decode()
    target = Comment.objects.filter(review=review).order_by("created_at", "pk")[55]
    back = f"{matrix}?disposition=none&page=2"
    assert f"?next={back.replace('?', '%3F').replace('=', '%3D').replace('&', '%26')}" in page2
    form = client.get(reverse("consultations:comment-dispose", args=[target.pk]), {"next": back})
    assert f'name="next" value="{back.replace("&", "&amp;")}"' in form.content.decode()
    response = client.post(
        reverse("consultations:comment-dispose", args=[target.pk]),
        {"disposition": "accepted", "response": "Done.", "addressed_in": "", "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{back}#matrix-c{target.pk}"


def test_a_disposition_never_redirects_off_the_matrix(client, staff):
    review, (comment,) = _matrix_of(1)
    client.force_login(staff)
    response = client.post(
        reverse("consultations:comment-dispose", args=[comment.pk]),
        {"disposition": "accepted", "response": "Done.", "next": "https://evil.example/"},
    )
    assert (
        response["Location"] == reverse("consultations:matrix", args=[review.pk]) + f"#matrix-c{comment.pk}"
    )


def test_with_htmx_the_form_opens_in_the_row_and_saving_swaps_the_row_and_the_count(client, staff):
    review, comments = _matrix_of(3)
    client.force_login(staff)
    matrix = reverse("consultations:matrix", args=[review.pk])
    assert "0 of 3 comments answered" in client.get(matrix).content.decode()
    url = reverse("consultations:comment-dispose", args=[comments[0].pk])
    form = client.get(url, {"next": matrix + "?page=1"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in form and f'<tr id="matrix-c{comments[0].pk}"' in form and "autofocus" in form
    invalid = client.post(url, {"disposition": "accepted", "response": ""}, headers={"HX-Request": "true"})
    assert invalid.status_code == 422 and 'aria-invalid="true"' in invalid.content.decode()
    saved = client.post(
        url, {"disposition": "accepted", "response": "Agreed."}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in saved and f'<tr id="matrix-c{comments[0].pk}"' in saved and "Agreed." in saved
    assert 'id="matrix-progress" class="margin-y-1 text-bold" hx-swap-oob="true"' in saved
    assert "1 of 3 comments answered" in saved


def test_the_matrix_page_needs_the_same_queries_for_10_or_60_comments(
    client, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    for n in (10, 60):
        review, _ = _matrix_of(n)
        with django_assert_max_num_queries(16):
            assert client.get(reverse("consultations:matrix", args=[review.pk])).status_code == 200
