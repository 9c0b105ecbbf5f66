"""The draft page, a paragraph's comments (htmx and plain), posting through the page, sanitizing,
the public list, version comparison, and query counts that do not grow with the number of comments."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment, Review
from consultations.services import comments as services
from tests.consultations.factories import ReviewFactory, bulk_comments, make_version
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = """# Coordinated planning

Distribution and transmission planning are not well coordinated.

Forecasts of DER adoption are rarely shared.

## Data

- load forecasts
- DER forecasts
"""


def draft_url(version):
    return reverse("consultations:draft-detail", args=[version.deliverable_id, version.number])


def para_url(version, key):
    return reverse(
        "consultations:paragraph-comments", args=[version.deliverable_id, version.number, key or "whole"]
    )


@pytest.fixture
def review():
    return ReviewFactory(version=make_version(body=BODY))


def test_draft_page_shows_text_toc_and_counts(client, review):
    bulk_comments(review, 7)
    response = client.get(draft_url(review.version))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'href="#' in html and "Coordinated planning" in html and "Data" in html  # table of contents
    assert "Distribution and transmission planning" in html
    keys = list(review.version.paragraphs.values_list("key", flat=True))
    assert f'hx-get="{para_url(review.version, keys[0])}"' in html
    assert f'href="{para_url(review.version, keys[0])}"' in html  # works without JS too


def test_paragraph_comments_load_in_place_with_htmx_and_paginate(client, review):
    key = review.version.paragraphs.first().key
    bulk_comments(review, 45, keys=[key])
    plain = client.get(para_url(review.version, key))
    assert plain.status_code == 200 and "<html" in plain.content.decode()
    partial = client.get(para_url(review.version, key), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html and 'id="panel-' in html
    assert "45 comments" in html and "Page 1 of 3" in html
    assert "HX-Request" in partial["Vary"]
    page3 = client.get(
        para_url(review.version, key) + "?page=3", headers={"HX-Request": "true"}
    ).content.decode()
    assert page3.count('<li id="comment-') == 5


def test_commenter_emails_are_never_shown(client, review):
    user = UserFactory(verified=True, email="secret.person@utility.example", full_name="")
    services.comment_create(actor=user, review=review, body="Visible text", rate_limit=False)
    html = client.get(para_url(review.version, "")).content.decode()
    assert "Visible text" in html and "secret.person" not in html and "Anonymous participant" in html
    matrix = client.get(reverse("consultations:matrix", args=[review.pk]) + "?format=csv")
    assert "secret.person" not in b"".join(matrix.streaming_content).decode()


def test_a_script_in_a_comment_or_a_draft_never_reaches_a_page(client, public_user):
    version = make_version(
        body="# Title\n\nSafe text <script>alert('draft')</script> here.\n\n<img src=x onerror=alert(1)>\n"
    )
    review = ReviewFactory(version=version)
    services.comment_create(
        actor=public_user, review=review, body="Hi <script>alert('comment')</script> [x](javascript:alert(1))"
    )
    pages = [draft_url(version), para_url(version, ""), reverse("consultations:matrix", args=[review.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), url
        assert 'href="javascript:' not in html, url
    v2 = make_version(
        deliverable=version.deliverable, body="# Title\n\nSafe text <script>alert('v2')</script> here.\n"
    )
    html = client.get(
        reverse("consultations:version-compare", args=[version.deliverable_id]) + f"?from=1&to={v2.number}"
    ).content.decode()
    assert "<script>alert" not in html


def test_posting_a_comment_through_the_page(client, public_user, review):
    client.force_login(public_user)
    key = review.version.paragraphs.first().key
    response = client.post(
        reverse("consultations:comment-create", args=[review.version.deliverable_id, 1]),
        {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": "Good point."},
    )
    assert response.status_code == 302
    assert Comment.objects.get().paragraph_key == key
    htmx = client.post(
        reverse("consultations:comment-create", args=[review.version.deliverable_id, 1]),
        {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": "Another."},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 200 and "your comment has been received" in htmx.content.decode()


def test_empty_and_oversized_comments_get_clear_errors(client, public_user, review):
    client.force_login(public_user)
    url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])
    empty = client.post(url, {"key": "whole", "c-whole-body": "   "})
    assert empty.status_code == 422 and "Write a comment before sending it." in empty.content.decode()
    long = client.post(url, {"key": "whole", "c-whole-body": "x" * 5001})
    assert long.status_code == 422 and "at most 5,000 characters; this one has 5,001" in long.content.decode()
    assert not Comment.objects.exists()


def test_the_comment_box_never_cuts_and_keeps_an_over_long_text(client, public_user, review):
    """The box has no maxlength (the browser would cut a paste silently); a text over the limit is
    refused with the count and the text is kept in the box to shorten."""
    client.force_login(public_user)
    page = client.get(para_url(review.version, "")).content.decode()
    box = re.search(r"<textarea[^>]*>", page).group(0)  # the comment box (the site search has its own limit)
    assert "maxlength" not in box and 'data-char-limit="5000"' in box
    assert "5,000 characters allowed" in page
    text = ("Prepared regulatory text. " * 196).strip()  # 5,095 characters
    url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])
    response = client.post(url, {"key": "whole", "c-whole-body": text}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "this one has 5,095" in html and "Your text is kept below" in html
    assert text in html  # kept in the box
    assert "95 characters over the limit" in html
    assert "Thank you" not in html and not Comment.objects.exists()


def test_the_server_refuses_a_comment_after_the_window_whatever_the_page_showed(client, public_user):
    review = (
        ReviewFactory(
            opens_at=timezone.now() - datetime.timedelta(days=5),
            closes_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        if False
        else ReviewFactory()
    )
    Review.objects.filter(pk=review.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1),
        opens_at=timezone.now() - datetime.timedelta(days=5),
    )
    client.force_login(public_user)
    response = client.post(
        reverse("consultations:comment-create", args=[review.version.deliverable_id, 1]),
        {"key": "whole", "c-whole-body": "Late"},
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_rate_limit_answers_429_with_a_clear_message(client, public_user, review, settings, private_cache):
    settings.COMMENT_RATE_LIMIT = 2
    client.force_login(public_user)
    url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])
    for i in range(2):
        assert client.post(url, {"key": "whole", "c-whole-body": f"Comment {i}"}).status_code == 302
    response = client.post(url, {"key": "whole", "c-whole-body": "Flood"})
    assert response.status_code == 429
    assert "Please wait" in response.content.decode()
    assert response["Retry-After"]
    assert Comment.objects.count() == 2


def test_rate_limited_comment_says_when_to_retry(client, public_user, settings, private_cache):
    """Retry-After is the time left in the window (the message says minutes), not a fixed minute."""
    settings.COMMENT_RATE_LIMIT, settings.COMMENT_RATE_WINDOW = 1, 3600
    with time_machine.travel(datetime.datetime(2031, 5, 1, 12, 10, tzinfo=datetime.UTC), tick=False):
        review = ReviewFactory(version=make_version(body=BODY))
        client.force_login(public_user)
        url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])
        assert client.post(url, {"key": "whole", "c-whole-body": "First"}).status_code == 302
        response = client.post(url, {"key": "whole", "c-whole-body": "Second"})
        assert response.status_code == 429 and response["Retry-After"] == str(50 * 60)
        assert "wait 50 minute(s)" in response.content.decode()


def test_member_review_draft_is_not_public(client, public_user):
    review = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)
    assert client.get(draft_url(review.version)).status_code == 403
    client.force_login(public_user)
    assert client.get(draft_url(review.version)).status_code == 403
    member = EnrollmentFactory(workstream=review.version.deliverable.workstream).user
    client.force_login(member)
    assert client.get(draft_url(review.version)).status_code == 200


def test_member_review_comments_stay_out_of_public_view(client, staff):
    version = make_version()
    member_review = Review.objects.create(
        version=version,
        kind=Review.Kind.MEMBER_REVIEW,
        opens_at=timezone.now() - datetime.timedelta(days=10),
        closes_at=timezone.now() - datetime.timedelta(days=5),
    )
    bulk_comments(member_review, 3, body="Members-only remark")
    ReviewFactory(version=version)  # a public consultation now
    html = client.get(para_url(version, version.paragraphs.first().key)).content.decode()
    assert "Members-only remark" not in html


def test_public_list_of_open_upcoming_and_closed_consultations(client):
    now = timezone.now()
    open_ = ReviewFactory()
    upcoming = ReviewFactory(
        opens_at=now + datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=30)
    )
    closed = ReviewFactory(
        opens_at=now - datetime.timedelta(days=30), closes_at=now - datetime.timedelta(days=1)
    )
    ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)  # not listed
    html = client.get(reverse("consultations:consultation-list")).content.decode()
    open_at, up_at, closed_at = (html.index(r.version.title) for r in (open_, upcoming, closed))
    assert (
        html.index("Open now") < open_at < html.index("Upcoming") < up_at < html.index("Closed") < closed_at
    )
    assert html.count("<tr>") - html.count("<thead>") >= 3
    assert reverse("consultations:review-summary", args=[closed.pk]) in html


def test_version_comparison_page(client, staff):
    v1 = make_version(body=BODY)
    ReviewFactory(version=v1)
    v2 = make_version(deliverable=v1.deliverable, body=BODY.replace("rarely shared", "seldom shared"))
    client.force_login(staff)
    html = client.get(
        reverse("consultations:version-compare", args=[v1.deliverable_id]) + "?from=1&to=2"
    ).content.decode()
    assert "<del>rarely</del>" in html and "<ins>seldom</ins>" in html
    assert v2.number == 2


def _queries(client, url, **kwargs) -> int:
    client.get(url, **kwargs)  # warm the per-process caches (navigation, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _reply_to_first_page(review, key, author):
    """Replies on the first page in both runs, so both runs take the same (non-empty) prefetches."""
    from consultations.selectors.comments import paragraph_comments

    for c in list(paragraph_comments(version=review.version, key=key, user=author))[:3]:
        Comment.objects.create(
            review=review,
            version=review.version,
            paragraph_key=key,
            parent=c,
            author=author,
            stakeholder_type="iou",
            body="A reply",
            body_digest="r",
        )


def test_query_counts_are_flat_from_10_to_1000_comments(client, staff, review, private_cache):
    """The draft page and a paragraph's first page of comments run the same number of queries with 10
    and with 1,000 comments (counts from one aggregate, comments a page at a time)."""
    client.force_login(staff)
    key = review.version.paragraphs.first().key
    bulk_comments(review, 10)
    _reply_to_first_page(review, key, staff)
    small = (
        _queries(client, draft_url(review.version)),
        _queries(client, para_url(review.version, key), headers={"HX-Request": "true"}),
    )
    bulk_comments(review, 990, authors=[UserFactory(verified=True) for _ in range(20)])
    _reply_to_first_page(review, key, staff)
    assert Comment.objects.filter(parent__isnull=True).count() == 1000
    large = (
        _queries(client, draft_url(review.version)),
        _queries(client, para_url(review.version, key), headers={"HX-Request": "true"}),
    )
    assert small == large
    assert large[0] <= 16 and large[1] <= 16  # one of them: the second-factor gate's check for staff


def test_htmx_errors_are_swapped_into_the_panel(client, public_user, review):
    client.force_login(public_user)
    url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])
    response = client.post(url, {"key": "whole", "c-whole-body": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["X-Status"] == "422"
    assert "Write a comment before sending it." in response.content.decode()


def test_attachment_upload_through_the_page_and_download(client, public_user, review):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    client.force_login(public_user)
    url = reverse("consultations:comment-create", args=[review.version.deliverable_id, 1])
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    refused = client.post(
        url, {"key": "whole", "c-whole-body": "See attached", "c-whole-attachments": [fake]}
    )
    assert refused.status_code == 422 and "checked by content" in refused.content.decode()
    good = SimpleUploadedFile("letter.pdf", pdf, content_type="application/octet-stream")
    response = client.post(
        url, {"key": "whole", "c-whole-body": "See attached", "c-whole-attachments": [good]}
    )
    assert response.status_code == 302
    attachment = Comment.objects.get().attachments.get()
    html = client.get(para_url(review.version, "")).content.decode()
    download_url = reverse("consultations:attachment-download", args=[attachment.pk])
    assert download_url in html and "letter.pdf" in html
    client.logout()
    download = client.get(download_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"] and b"".join(download.streaming_content) == pdf


# After a redacted publication ---------------------------------------------------------------------------
SECRET = "ACME-SECRET-PRICE"


@pytest.fixture
def redacted_record(settings, tmp_path):
    """A deliverable consulted publicly (version 1, with a comment that quotes the secret in lower case
    and attaches a file), then revised as version 2 with the same words, approved, redacted and
    published."""
    import hashlib

    from django.core.files.base import ContentFile

    from consultations.models import Attachment, Publication
    from consultations.services import approvals as approval_services
    from consultations.services import publication as publication_services
    from consultations.services import workflow as wf
    from consultations.tasks.workflow import build_publication
    from tests.consultations.factories import CommentFactory
    from tests.consultations.factories_workflow import committee, deliverable_at, held_webinar, staff_user

    settings.MEDIA_ROOT = tmp_path
    staff = staff_user()
    deliverable = deliverable_at("revising", staff=staff)
    v1 = deliverable.versions.get()
    consultation = v1.reviews.get(kind=Review.Kind.PUBLIC_CONSULTATION)
    key = next(p.key for p in v1.paragraphs.all() if SECRET in p.text)
    comment = CommentFactory(
        review=consultation, version=v1, paragraph_key=key, body=f"Why is {SECRET.lower()} so high?"
    )
    pdf = b"%PDF-1.4\n%%EOF\n"
    Attachment.objects.create(
        comment=comment,
        file=ContentFile(pdf, name="quote.pdf"),
        original_name="quote.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    v2 = make_version(deliverable=deliverable, body=v1.body + "\nOne more paragraph.\n", actor=staff)
    members = committee(3)
    held_webinar(deliverable)
    wf.deliverable_transition(
        actor=staff,
        deliverable=deliverable,
        name="submit",
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    approval = deliverable.approvals.get()
    for member in members:
        approval_services.approval_vote_cast(actor=member, approval=approval, choice="approve", reason="Ok.")
    approval_services.approval_close(actor=None, approval=approval, now=approval.deadline)
    publication_services.redaction_create(
        actor=staff,
        version=v2,
        paragraph_key=next(p.key for p in v2.paragraphs.all() if SECRET in p.text),
        text=SECRET,
        reason="commercial",
    )
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="publish")
    publication = Publication.objects.get(deliverable=deliverable)
    build_publication.run(publication.pk)
    return {"v1": v1, "v2": v2, "key": key, "comment": comment, "staff": staff, "review": consultation}


def test_the_public_keeps_the_consulted_version_and_its_comments_with_the_redacted_words_masked(
    client, redacted_record
):
    """After a redacted publication, the version that was consulted and its comments stay public; the
    redacted words are masked as in the publication, and the page says what is withheld and why."""
    v1, key = redacted_record["v1"], redacted_record["key"]
    for url in [
        draft_url(v1),
        para_url(v1, key),
        reverse("consultations:version-compare", args=[v1.deliverable_id]) + "?from=1&to=2",
        reverse("consultations:matrix", args=[redacted_record["review"].pk]),
        reverse("consultations:matrix", args=[redacted_record["review"].pk]) + "?format=csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        content = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert SECRET.lower() not in content.lower(), url
        assert "[Redacted — Commercial]" in content, url
    draft = client.get(draft_url(v1)).content.decode()
    assert "Some words are masked on this page ([Redacted — Commercial])" in draft
    assert "Read the published version" in draft
    comments = client.get(para_url(v1, key)).content.decode()
    assert "Why is [Redacted — Commercial] so high?" in comments
    assert "1 attached file withheld" in comments and "quote.pdf" not in comments


def test_a_file_attached_to_a_comment_is_withheld_from_the_public_and_says_why(client, redacted_record):
    attachment = redacted_record["comment"].attachments.get()
    url = reverse("consultations:attachment-download", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert "a file cannot be masked" in response.content.decode()
    client.force_login(redacted_record["staff"])
    assert client.get(url).status_code == 200


def test_staff_still_read_the_original_words(client, redacted_record):
    client.force_login(redacted_record["staff"])
    html = client.get(draft_url(redacted_record["v1"])).content.decode()
    assert SECRET in html and "Some words are masked" not in html


def test_an_upcoming_consultation_is_listed_without_a_link_it_would_refuse(client):
    """The public list names a consultation that has not opened yet but links its draft only once it
    is readable; the draft page of an open one is linked."""
    opens = timezone.now() + datetime.timedelta(days=3)
    upcoming = ReviewFactory(opens_at=opens, closes_at=opens + datetime.timedelta(days=30))
    open_now = ReviewFactory()
    html = client.get(reverse("consultations:consultation-list")).content.decode()
    assert f'href="{draft_url(upcoming.version)}"' not in html and "readable when it opens" in html
    assert f'href="{draft_url(open_now.version)}"' in html
    assert client.get(draft_url(open_now.version)).status_code == 200


def test_the_published_copy_links_agreed_terms_at_render_time_and_never_the_redacted_words(
    client, redacted_record
):
    """The publication page links the first use of an agreed term; its stored HTML and Markdown stay as
    published, and a term inside the redaction notice is not linked."""
    from consultations.models import Publication
    from tests.workstreams.factories import GlossaryTermFactory

    GlossaryTermFactory(term="Pilot", slug="pilot", definition="A first, small deployment.")
    GlossaryTermFactory(term="Commercial", slug="commercial", definition="Not the reason label.")
    publication = Publication.objects.get(deliverable=redacted_record["v2"].deliverable)
    stored = (publication.html, publication.body)
    html = client.get(reverse("consultations:publication-detail", args=[publication.pk])).content.decode()
    assert '<a class="glossary-link" href="/glossary/pilot/"' in html
    assert 'href="/glossary/commercial/"' not in html  # only inside "[Redacted — Commercial]"
    assert "A first, small deployment." in html
    publication.refresh_from_db()
    assert (publication.html, publication.body) == stored
    assert "glossary-link" not in publication.html


def test_a_paragraphs_comments_answer_304_until_someone_comments(client, public_user, review):
    """A participant's panel carries an ETag; asking again with it gets a bodiless 304 (the CSRF tokens
    in the forms, masked afresh each time, do not change it); once someone comments, the same ETag gets
    the new panel with a new ETag."""
    client.force_login(public_user)
    key = review.version.paragraphs.first().key
    bulk_comments(review, 3, keys=[key])
    url = para_url(review.version, key)
    first = client.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200 and first["ETag"]
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    services.comment_create(actor=UserFactory(verified=True), review=review, body="New.", paragraph_key=key)
    changed = client.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and "New." in changed.content.decode()
    assert changed["ETag"] != first["ETag"]
    plain = client.get(url)  # the page without JS is another representation: another ETag
    assert plain.status_code == 200 and plain["ETag"] != changed["ETag"]


def test_hiding_a_comment_changes_the_panel_its_count_and_its_etag(client, staff, review):
    """The public's panel counts from the count rows: a moderator hides one of three comments and the
    panel says two, under a new ETag (a reader revalidating gets the change, not a 304)."""
    key = review.version.paragraphs.first().key
    author = UserFactory(verified=True)
    comments = [
        services.comment_create(actor=author, review=review, body=f"Point {i}.", paragraph_key=key)
        for i in range(3)
    ]
    url = para_url(review.version, key)
    before = client.get(url, headers={"HX-Request": "true"})
    assert "3 comments" in before.content.decode()
    services.comment_hide(actor=staff, comment=comments[0], reason="Off topic")
    after = client.get(url, headers={"HX-Request": "true", "If-None-Match": before["ETag"]})
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    html = after.content.decode()
    assert "2 comments" in html and "Point 0." not in html
