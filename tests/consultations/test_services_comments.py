"""Commenting rules: the window, who may comment, input checks, attachments, replies, on-behalf,
campaigns, moderation, dispositions, carried and orphaned comments, and the staff digest."""

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from consultations import selectors
from consultations.models import Comment, Disposition, Review
from consultations.selectors import comments as comment_selectors
from consultations.services import comments as services
from consultations.services.reviews import review_close
from initiative import outbox
from initiative.models import AuditEvent
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import DeliverableFactory, EnrollmentFactory, UserFactory
from workstreams.models import IllustrativeQuestion

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _key(review, i=0):
    return list(review.version.paragraphs.values_list("key", flat=True))[i]


@pytest.fixture
def review():
    return ReviewFactory()


# The window ---------------------------------------------------------------------------------------------
def test_comment_refused_before_the_review_opens(public_user):
    opens = timezone.now() + datetime.timedelta(days=2)
    review = ReviewFactory(opens_at=opens, closes_at=opens + datetime.timedelta(days=10))
    with pytest.raises(services.CommentError) as exc:
        services.comment_create(actor=public_user, review=review, body="Too early")
    assert exc.value.code == "closed"
    with time_machine.travel(opens + datetime.timedelta(minutes=1)):
        assert services.comment_create(actor=public_user, review=review, body="Now it is open").pk


def test_comment_refused_after_closing_time_even_if_nothing_closed_it(public_user, review):
    """No sweep has run (closed_at is empty): the timestamps alone refuse the comment."""
    with time_machine.travel(review.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(services.CommentError) as exc:
            services.comment_create(actor=public_user, review=review, body="Too late")
    assert exc.value.code == "closed"
    assert Review.objects.get(pk=review.pk).closed_at is None


def test_comment_refused_after_an_early_close(public_user, staff, review):
    review_close(actor=staff, review=review)
    review.refresh_from_db()
    with pytest.raises(services.CommentError):
        services.comment_create(actor=public_user, review=review, body="After the early close")


# Who may comment ----------------------------------------------------------------------------------------
def test_public_comment_needs_a_verified_email(review):
    unverified = UserFactory()
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=unverified, review=review, body="Hello")
    assert not Comment.objects.exists()


def test_member_review_refuses_non_members_and_accepts_members(public_user):
    review = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=public_user, review=review, body="I am not a member")
    member = EnrollmentFactory(workstream=review.version.deliverable.workstream).user
    comment = services.comment_create(
        actor=member, review=review, body="Member comment", paragraph_key=_key(review)
    )
    assert comment.paragraph_key == _key(review)


def test_member_of_another_workstream_cannot_comment_in_a_member_review(participant):
    review = ReviewFactory(kind=Review.Kind.MEMBER_REVIEW)  # a different workstream from the participant's
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=participant, review=review, body="Wrong workstream")


# Input --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "code"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 5001, "too_long"), ("bad \x00 byte", "malformed")],
)
def test_bad_input_is_refused_with_a_clear_error(public_user, review, body, code):
    with pytest.raises(services.CommentError) as exc:
        services.comment_create(actor=public_user, review=review, body=body)
    assert exc.value.code == code
    assert str(exc.value)


def test_exactly_5000_characters_is_accepted(public_user, review):
    assert services.comment_create(actor=public_user, review=review, body="x" * 5000).pk


def test_unknown_paragraph_is_refused(public_user, review):
    with pytest.raises(services.CommentError) as exc:
        services.comment_create(actor=public_user, review=review, body="Hi", paragraph_key="p-nothere")
    assert exc.value.code == "paragraph"


def test_answering_a_question_of_the_workstream(public_user, review):
    ws = review.version.deliverable.workstream
    question = IllustrativeQuestion.objects.create(
        workstream=ws, number=1, text="What data should be shared?"
    )
    other = IllustrativeQuestion.objects.create(
        workstream=DeliverableFactory().workstream, number=1, text="Other?"
    )
    comment = services.comment_create(
        actor=public_user, review=review, body="Load forecasts.", question=question
    )
    assert comment.question == question
    with pytest.raises(services.CommentError):
        services.comment_create(actor=public_user, review=review, body="Answer", question=other)


def test_on_behalf_of_the_organization_takes_its_stakeholder_type(review):
    user = EnrollmentFactory().user  # has an organization (an IOU)
    user.stakeholder_type = "consumer_advocate"
    user.save()
    comment = services.comment_create(actor=user, review=review, body="Formal comment", on_behalf=True)
    assert comment.organization == user.organization
    assert comment.stakeholder_type == "iou"
    mine = services.comment_create(actor=user, review=review, body="Personal comment")
    assert mine.organization is None


def test_on_behalf_without_an_organization_is_refused(public_user, review):
    with pytest.raises(services.CommentError) as exc:
        services.comment_create(actor=public_user, review=review, body="x", on_behalf=True)
    assert exc.value.code == "organization"


# Attachments --------------------------------------------------------------------------------------------
def test_pdf_attachment_is_accepted_by_content(public_user, review):
    f = SimpleUploadedFile("comments.pdf", PDF, content_type="text/plain")  # the client's claim is ignored
    comment = services.comment_create(actor=public_user, review=review, body="See attached", files=[f])
    attachment = comment.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(public_user, review):
    f = SimpleUploadedFile(
        "evil.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(services.CommentError) as exc:
        services.comment_create(actor=public_user, review=review, body="See attached", files=[f])
    assert exc.value.code == "file_type"
    assert not Comment.objects.exists()


def test_a_docx_is_accepted(public_user, review):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    f = SimpleUploadedFile("letter.docx", buf.getvalue())
    comment = services.comment_create(actor=public_user, review=review, body="Letter", files=[f])
    assert "wordprocessingml" in comment.attachments.get().content_type


def test_more_than_ten_files_or_an_oversized_file_is_refused(public_user, review, settings):
    files = [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(11)]
    with pytest.raises(services.CommentError) as exc:
        services.comment_create(actor=public_user, review=review, body="Many", files=files)
    assert exc.value.code == "too_many_files"
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(services.CommentError) as exc:
        services.comment_create(actor=public_user, review=review, body="Big", files=[big])
    assert exc.value.code == "file_too_large"


# Replies ------------------------------------------------------------------------------------------------
def test_one_level_of_replies(public_user, review):
    parent = services.comment_create(actor=public_user, review=review, body="Top")
    reply = services.comment_reply(actor=UserFactory(verified=True), parent=parent, body="A reply")
    assert reply.parent == parent and reply.paragraph_key == parent.paragraph_key
    with pytest.raises(services.CommentError) as exc:
        services.comment_reply(actor=public_user, parent=reply, body="Reply to a reply")
    assert exc.value.code == "nesting"


# Rate limit ---------------------------------------------------------------------------------------------
def test_rate_limit_refuses_a_flood(public_user, review, settings, private_cache):
    settings.COMMENT_RATE_LIMIT = 3
    for i in range(3):
        services.comment_create(actor=public_user, review=review, body=f"Comment {i}")
    with pytest.raises(services.RateLimited) as exc:
        services.comment_create(actor=public_user, review=review, body="One too many")
    assert "wait" in str(exc.value)
    assert Comment.objects.count() == 3
    # someone else is not affected
    assert services.comment_create(actor=UserFactory(verified=True), review=review, body="Other person").pk


# Campaigns ----------------------------------------------------------------------------------------------
LETTER = (
    "As a ratepayer I urge the initiative to require utilities to publish hosting capacity maps "
    "updated monthly, so that customers and installers can plan rooftop solar without delays."
)


def test_identical_and_near_identical_comments_form_one_campaign(review):
    people = [UserFactory(verified=True) for _ in range(4)]
    a = services.comment_create(actor=people[0], review=review, body=LETTER)
    b = services.comment_create(actor=people[1], review=review, body=LETTER.upper() + "  ")
    c = services.comment_create(
        actor=people[2], review=review, body=LETTER.replace("monthly", "every month") + " — Jo"
    )
    d = services.comment_create(
        actor=people[3], review=review, body="A completely different and original point."
    )
    for x in (a, b, c, d):
        x.refresh_from_db()
    assert a.campaign_id and a.campaign_id == b.campaign_id == c.campaign_id
    assert a.campaign.representative == a
    assert d.campaign_id is None
    rows = list(selectors.matrix_rows(review))
    assert [(r.pk, r.campaign_size) for r in rows] == [(a.pk, 3), (d.pk, 1)]
    summary = selectors.review_summary(review)
    assert (summary.total, summary.campaigns, summary.distinct) == (4, 1, 2)
    assert Comment.objects.count() == 4  # originals kept


def test_near_identical_check_agrees_with_difflib_on_every_pair():
    """The cheap bounds taken before building a matcher must never change the answer: on a thousand
    variants of a form letter (words dropped, added, swapped, reordered) the check says "near" exactly
    when difflib's ratio is at least NEAR_IDENTICAL."""
    import random
    from difflib import SequenceMatcher

    rng = random.Random(16)
    base = services.campaign_normalize(LETTER).split(" ")
    vocabulary = [*base, "solar", "storage", "feeder", "queue", "please", "jo"]
    near = 0
    for _ in range(1000):
        words = list(base)
        for _ in range(rng.randint(0, 6)):
            i = rng.randrange(len(words))
            match rng.choice(("drop", "add", "swap", "move")):
                case "drop" if len(words) > 1:
                    del words[i]
                case "add":
                    words.insert(i, rng.choice(vocabulary))
                case "swap":
                    words[i] = rng.choice(vocabulary)
                case _:
                    words.insert(rng.randrange(len(words)), words.pop(i))
        expected = SequenceMatcher(None, base, words, autojunk=False).ratio() >= services.NEAR_IDENTICAL
        assert services._near(services.words_of(base), services.words_of(words)) is expected, words
        near += expected
    assert 100 < near < 900  # both answers were exercised


# Moderation ---------------------------------------------------------------------------------------------
def test_hiding_keeps_the_record_and_tells_the_author(
    public_user, staff, review, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    from consultations.tasks.comments import notify_comment_hidden

    enqueued = []
    monkeypatch.setattr(notify_comment_hidden, "delay", lambda *args: enqueued.append(args))
    comment = services.comment_create(actor=public_user, review=review, body="Rude words")
    services.comment_flag(actor=UserFactory(verified=True), comment=comment, reason="Abusive")
    assert list(comment_selectors.flag_queue()) == [comment]
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_hide(actor=staff, comment=comment, reason="Personal attack")
    assert enqueued == [(comment.pk,)]  # enqueued after commit, ids only
    assert notify_comment_hidden(comment.pk) is True
    comment.refresh_from_db()
    assert comment.hidden_at and comment.hidden_reason == "Personal attack" and comment.body == "Rude words"
    assert AuditEvent.objects.filter(
        action="comment.hide", object_id=str(comment.pk), reason="Personal attack"
    ).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [public_user.email]
    assert "Personal attack" in mailoutbox[0].body
    assert list(comment_selectors.flag_queue()) == []
    # the public no longer sees it; staff still do
    assert not comment_selectors.comment_scope(
        user=public_user, deliverable=review.version.deliverable
    ).exists()
    assert comment_selectors.comment_scope(user=staff, deliverable=review.version.deliverable).count() == 1
    # the notification task is idempotent
    assert notify_comment_hidden(comment.pk) is False
    assert len(mailoutbox) == 1


def test_only_staff_hide(public_user, review):
    comment = services.comment_create(actor=public_user, review=review, body="x")
    with pytest.raises(PermissionDenied):
        services.comment_hide(actor=UserFactory(verified=True), comment=comment, reason="no")


# Dispositions -------------------------------------------------------------------------------------------
def test_disposition_with_response_and_addressing_version(public_user, staff, review):
    comment = services.comment_create(actor=public_user, review=review, body="Please define DERMS.")
    v2 = make_version(
        deliverable=review.version.deliverable, body="# Intro\n\nFirst paragraph.\n\nDERMS defined.\n"
    )
    services.comment_dispose(
        actor=staff,
        comment=comment,
        disposition=Disposition.ACCEPTED,
        response="Defined in section 1.",
        addressed_in=v2,
    )
    comment.refresh_from_db()
    assert (comment.disposition, comment.addressed_in) == ("accepted", v2)
    assert AuditEvent.objects.filter(action="comment.dispose", object_id=str(comment.pk)).exists()
    assert selectors.review_summary(review).accepted == 1
    with pytest.raises(PermissionDenied):
        services.comment_dispose(actor=public_user, comment=comment, disposition="accepted", response="x")


def test_disposition_of_a_campaign_representative_applies_to_every_copy(staff, review):
    copies = [
        services.comment_create(actor=UserFactory(verified=True), review=review, body=LETTER)
        for _ in range(3)
    ]
    services.comment_dispose(
        actor=staff, comment=copies[0], disposition=Disposition.NOTED, response="Out of scope."
    )
    assert set(Comment.objects.values_list("disposition", flat=True)) == {"noted"}


# Carried and orphaned comments --------------------------------------------------------------------------
KEEP = "Keep this paragraph exactly as it is."
V1 = f"# Intro\n\n{KEEP}\n\nThis paragraph will be rewritten beyond recognition.\n"
V2 = f"# Intro\n\n{KEEP}\n\nSomething else entirely about interconnection queues.\n"


def test_comments_carry_to_the_next_version_or_go_to_the_orphaned_list(public_user, staff):
    v1 = make_version(body=V1)
    review = ReviewFactory(version=v1)
    kept_key, gone_key = list(v1.paragraphs.values_list("key", flat=True))
    kept = services.comment_create(
        actor=public_user, review=review, body="On the kept one", paragraph_key=kept_key
    )
    gone = services.comment_create(
        actor=public_user, review=review, body="On the rewritten", paragraph_key=gone_key
    )
    v2 = make_version(deliverable=v1.deliverable, body=V2)
    page = comment_selectors.draft_page(version=v2, user=public_user)
    assert page.counts == {kept_key: 1}
    shown = list(comment_selectors.paragraph_comments(version=v2, key=kept_key, user=public_user))
    assert shown == [kept] and shown[0].version == v1  # shown "on version 1"
    assert list(comment_selectors.orphaned_comments(deliverable=v1.deliverable)) == [gone]


# Staff digest -------------------------------------------------------------------------------------------
def test_staff_get_one_digest_not_one_email_per_comment(public_user, staff, review, mailoutbox):
    for i in range(5):
        services.comment_create(actor=UserFactory(verified=True), review=review, body=f"Comment {i}")
    assert mailoutbox == []  # nothing per comment
    assert services.staff_digest_send() == 5
    staff_count = len(mailoutbox)
    assert [staff.email] in [m.to for m in mailoutbox]  # one message per staff member, for all five
    assert all("5 new comments" in m.subject for m in mailoutbox)
    assert "@example.org" not in mailoutbox[0].body  # no commenter addresses
    assert services.staff_digest_send() == 0  # idempotent
    assert len(mailoutbox) == staff_count


def test_a_digest_cut_short_by_a_failed_send_is_finished_by_the_outbox_sweep(
    staff, review, mailoutbox, monkeypatch
):
    from tests.factories import BodyMembershipFactory

    second = BodyMembershipFactory(implementation_team=True).user
    services.comment_create(actor=UserFactory(verified=True), review=review, body="A comment")
    real_send = EmailMultiAlternatives.send

    def send_but_fail_for_the_second(message, *args, **kwargs):
        if message.to == [second.email]:
            raise OSError("SMTP down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr("initiative.emails.EmailMultiAlternatives.send", send_but_fail_for_the_second)
    with pytest.raises(OSError):
        services.staff_digest_send()
    monkeypatch.undo()
    assert services.staff_digest_send() == 0  # the comment is reported already …
    outbox.sweep()  # … and the sweep sends the rest of that digest
    received = [m.to[0] for m in mailoutbox]
    assert len(received) == len(set(received)) and {staff.email, second.email} <= set(received)
    assert all("1 new comment" in m.subject for m in mailoutbox)
    assert outbox.sweep().sent == 0


def test_the_digest_runs_periodically_from_beat(settings):
    from initiative.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["consultations-comment-digest"]
    assert entry["task"] == "consultations.send_comment_digest"
    app.loader.import_default_modules()
    assert "consultations.send_comment_digest" in app.tasks


def test_a_comments_stakeholder_type_reads_as_its_label_in_the_readers_language():
    """Pages and exports show the label (from the enumeration, not Django's per-call rebuild of the
    choices); a stored value that is not one of the types shows as it is."""
    from django.utils import translation

    from consultations.models import Comment

    comment = Comment(stakeholder_type="iou")
    assert comment.get_stakeholder_type_display() == "Investor-owned distribution utility"
    assert type(comment.get_stakeholder_type_display()) is str  # exports write it as it is
    with translation.override("es"):
        assert comment.get_stakeholder_type_display() == "Distribuidora eléctrica de propiedad privada"
    assert Comment(stakeholder_type="retired_type").get_stakeholder_type_display() == "retired_type"
