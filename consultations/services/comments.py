"""Writing comments and replies, flagging, moderating, dispositions, campaigns and matrix exports.

Every function checks the policy, then the state (the review window is asked at the moment of writing:
`Review.is_open(now)`, so a comment is refused outside the window whatever any task has done), locks
what it must, writes, records the audit row and enqueues effects on commit.
"""

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, markdown, outbox, policy, ratelimit
from initiative.models import StakeholderType
from workstreams.models import IllustrativeQuestion

from .. import fragments
from ..models import (
    Attachment,
    Campaign,
    Comment,
    CommentCount,
    Disposition,
    DraftVersion,
    Flag,
    MatrixExport,
    Review,
)
from ..models.comments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_COMMENT_LENGTH
from . import following


class CommentError(Exception):
    """A comment the server refuses; `code` says why (for tests and for the HTTP status)."""

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code


class RateLimited(CommentError):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message, code="rate_limited")
        self.retry_after = retry_after


# Attachments: PDF and common office formats, recognized by their content (magic bytes) -------------------
ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
    "application/rtf": "RTF",
}


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def attachments_check(files) -> list[CheckedFile]:
    """Read and check uploaded files: at most 10, at most 10 MB each, of an allowed type by content."""
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise CommentError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}, code="too_many_files")
    checked = []
    for f in files:
        name = re.sub(r"[^\w.\- ]", "_", getattr(f, "name", "attachment"))[-120:] or "attachment"
        if getattr(f, "size", 0) > MAX_ATTACHMENT_BYTES:
            raise CommentError(_("“%(name)s” is larger than 10 MB.") % {"name": name}, code="file_too_large")
        content = f.read(MAX_ATTACHMENT_BYTES + 1)
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise CommentError(_("“%(name)s” is larger than 10 MB.") % {"name": name}, code="file_too_large")
        kind = filetype.guess(content)
        if kind is None or kind.mime not in ALLOWED_ATTACHMENT_TYPES:
            raise CommentError(
                _("“%(name)s” is not a PDF or a common office document (checked by content, not by name).")
                % {"name": name},
                code="file_type",
            )
        checked.append(CheckedFile(name=name, content=content, content_type=kind.mime))
    return checked


# Input checks --------------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise CommentError(_("Write a comment before sending it."), code="empty")
    if len(body) > MAX_COMMENT_LENGTH:
        raise CommentError(
            _(
                "A comment can be at most %(max)s characters; this one has %(n)s. Your text is kept below:"
                " shorten it, or attach the full text as a file."
            )
            % {"max": f"{MAX_COMMENT_LENGTH:,}", "n": f"{len(body):,}"},
            code="too_long",
        )
    if _CONTROL.search(body):
        raise CommentError(
            _("The comment contains control characters; paste it as plain text."), code="malformed"
        )
    return unicodedata.normalize("NFC", body)


def campaign_normalize(text: str) -> str:
    """Form letters differ in case, spacing, punctuation and signatures; compare words only."""
    return " ".join(re.findall(r"\w+", text.lower()))


def body_digest(text: str) -> str:
    return hashlib.sha256(campaign_normalize(text).encode()).hexdigest()


def comment_body_html(body: str) -> str:
    """The body as pages show it: Markdown rendered and sanitized (nh3), once, when the comment is
    written. The body stays the source (a redacted page renders its masked text again)."""
    return str(markdown.render(body))


# Counts --------------------------------------------------------------------------------------------------
def _count_change(
    *, review_id: int, paragraph_key: str, visible: int = 0, hidden: int = 0
) -> tuple[int, int]:
    """Add to the count row of (review, paragraph key), inside the caller's transaction: an
    `UPDATE … SET visible = visible + n`, which holds the row's lock until commit, so concurrent posts
    add up exactly. The row is made on first use (the unique constraint settles a race). Returns the
    row as this change left it, (visible, hidden): the caller's answer can show the new count without
    reading it again. (SQL of our own only because the ORM's update cannot return the row.)"""
    table = CommentCount._meta.db_table  # from the model; every value is a parameter
    sql = (
        f"UPDATE {table} SET visible = visible + %s, hidden = hidden + %s"  # noqa: S608
        " WHERE review_id = %s AND paragraph_key = %s RETURNING visible, hidden"
    )
    params = [visible, hidden, review_id, paragraph_key]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            CommentCount.objects.get_or_create(review_id=review_id, paragraph_key=paragraph_key)
            cursor.execute(sql, params)
            row = cursor.fetchone()
    return row[0], row[1]


def comment_counts_rebuild(*, review_ids) -> None:
    """Recompute the count rows of these reviews from their comments (after rows were inserted in bulk,
    as data loaders and benchmarks do; the services keep them otherwise). Locks the reviews' rows."""
    review_ids = list(review_ids)
    with transaction.atomic():
        CommentCount.objects.filter(review_id__in=review_ids).delete()
        counts = (
            Comment.objects.filter(review_id__in=review_ids, parent__isnull=True)
            .values("review_id", "paragraph_key")
            .annotate(
                visible=Count("pk", filter=Q(hidden_at__isnull=True)),
                hidden=Count("pk", filter=Q(hidden_at__isnull=False)),
            )
            .order_by()
        )
        CommentCount.objects.bulk_create(CommentCount(**c) for c in counts)
    fragments.comments_changed()  # rows written in bulk send no signal


def rate_limit_check(*, user, now: datetime | None = None) -> None:
    """At most COMMENT_RATE_LIMIT comments per COMMENT_RATE_WINDOW seconds per person (Redis counter)."""
    limit = getattr(settings, "COMMENT_RATE_LIMIT", 10)
    window = getattr(settings, "COMMENT_RATE_WINDOW", 300)
    now = now or timezone.now()
    allowed, retry = ratelimit.hit(
        scope="comment", who=str(user.pk), limit=limit, period=window, now=now.timestamp()
    )
    if not allowed:
        raise RateLimited(
            _(
                "You have sent %(n)d comments in a few minutes, the most we accept. "
                "Please wait %(m)d minute(s) and try again; what you wrote is kept below."
            )
            % {"n": limit, "m": max(1, round(retry / 60))},
            retry_after=retry,
        )


# Comments ------------------------------------------------------------------------------------------------
def comment_create(
    *,
    actor,
    review: Review,
    body: str,
    paragraph_key: str = "",
    on_behalf: bool = False,
    question: IllustrativeQuestion | None = None,
    files=(),
    now: datetime | None = None,
    rate_limit: bool = True,
) -> Comment:
    """A top-level comment on paragraph `paragraph_key` of the review's version ("" = the whole draft)."""
    now = now or timezone.now()
    policy.require(actor, "consultations.comment_on_review", review)
    if not review.is_open(now):
        raise CommentError(_("This review is not open for comments."), code="closed")
    body = clean_body(body)
    version: DraftVersion = review.version
    if paragraph_key and version.paragraph_at(paragraph_key) is None:
        raise CommentError(_("That paragraph is not in the version under review."), code="paragraph")
    if question is not None and question.pk not in {q.pk for q in review.offered_questions()}:
        raise CommentError(_("That question is not one of this consultation's questions."), code="question")
    organization = _on_behalf_org(actor, on_behalf)
    checked = attachments_check(files)
    if rate_limit:
        rate_limit_check(user=actor, now=now)
    digest = body_digest(body)
    with transaction.atomic():
        campaign_id, campaign_size = _campaign_for(review_id=review.pk, body=body, digest=digest)
        comment = Comment.objects.create(
            review=review,
            version=version,
            paragraph_key=paragraph_key,
            author=actor,
            organization=organization,
            stakeholder_type=_stakeholder_type(actor, organization),
            question=question,
            body=body,
            body_html=comment_body_html(body),
            body_digest=digest,
            campaign_id=campaign_id,
            created_at=now,
        )
        if campaign_size is not None:
            comment.campaign_size = campaign_size  # what the answer shows, known without a count
        _save_attachments(comment, checked)
        audit.record(
            actor=actor,
            action="comment.create",
            obj=comment,
            after={"review": review.pk, "paragraph": paragraph_key, "attachments": len(checked)},
        )
        _checkpoint_answered(actor=actor, review=review, now=now)
        # last: the count row's lock is held only until the commit just after
        comment.count_row = _count_change(review_id=review.pk, paragraph_key=paragraph_key, visible=1)
    return comment


def comment_reply(
    *, actor, parent: Comment, body: str, on_behalf: bool = False, files=(), now: datetime | None = None
) -> Comment:
    """One level of replies: a reply to a reply is refused. Same window and permission as comments."""
    now = now or timezone.now()
    review = parent.review
    policy.require(actor, "consultations.comment_on_review", review)
    if parent.parent_id is not None:
        raise CommentError(_("Reply to the original comment; replies are one level deep."), code="nesting")
    if parent.is_hidden:
        raise CommentError(_("This comment has been hidden by a moderator."), code="hidden")
    if not review.is_open(now):
        raise CommentError(_("This review is not open for comments."), code="closed")
    body = clean_body(body)
    organization = _on_behalf_org(actor, on_behalf)
    checked = attachments_check(files)
    rate_limit_check(user=actor, now=now)
    with transaction.atomic():
        reply = Comment.objects.create(
            review=review,
            version=parent.version,
            paragraph_key=parent.paragraph_key,
            parent=parent,
            author=actor,
            organization=organization,
            stakeholder_type=_stakeholder_type(actor, organization),
            body=body,
            body_html=comment_body_html(body),
            body_digest=body_digest(body),
            created_at=now,
        )
        _save_attachments(reply, checked)
        audit.record(actor=actor, action="comment.reply", obj=reply, after={"parent": parent.pk})
        _checkpoint_answered(actor=actor, review=review, now=now)
        following.reply_notify(reply=reply, actor=actor)
    return reply


def _checkpoint_answered(*, actor, review: Review, now) -> None:
    """A member of a workstream asked to review the deliverable commented in its member review: that
    checkpoint is answered. No query unless the author takes part in another workstream."""
    from workstreams.rules import enrolled_workstream_ids
    from workstreams.services.tracker import checkpoints_answered

    if review.kind != Review.Kind.MEMBER_REVIEW:
        return
    deliverable = review.version.deliverable
    others = enrolled_workstream_ids(actor) - {deliverable.workstream_id}
    if others:
        checkpoints_answered(deliverable_id=deliverable.pk, workstream_ids=others, now=now)


def _on_behalf_org(actor, on_behalf: bool):
    if not on_behalf:
        return None
    if not actor.organization_id:
        raise CommentError(_("Your account is not linked to an organization."), code="organization")
    return actor.organization


def _stakeholder_type(actor, organization) -> str:
    if organization is not None:
        return organization.type
    return actor.effective_stakeholder_type or StakeholderType.OTHER


def _save_attachments(comment: Comment, checked: list[CheckedFile]) -> None:
    for f in checked:
        attachment = Attachment(
            comment=comment,
            original_name=f.name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
        )
        attachment.file.save(f.name, ContentFile(f.content), save=False)
        attachment.save()


# Campaigns (form letters) ---------------------------------------------------------------------------------
NEAR_IDENTICAL = 0.9
NEAR_MIN_LENGTH = 100  # short comments ("I agree") group only when identical
NEAR_CANDIDATES = 200


class Words(NamedTuple):
    """A text's normalized words for the near-identical check, with what its cheap bounds need: `mask`
    has one bit of 512 per distinct word (by its hash in this process)."""

    words: list[str]
    counts: Counter
    distinct: frozenset
    mask: int


def words_of(words: list[str]) -> Words:
    counts = Counter(words)
    mask = 0
    for word in counts:
        mask |= 1 << (hash(word) & 511)
    return Words(words, counts, frozenset(counts), mask)


@lru_cache(maxsize=1024)
def _words(body: str) -> Words:
    """Per process: one post's candidates are mostly the last post's, so each is analysed once."""
    return words_of(campaign_normalize(body).split(" "))


def _near(a: Words, b: Words) -> bool:
    """Whether ≥ NEAR_IDENTICAL of the words match in order (difflib's ratio). Its upper bounds come
    first, cheapest first, none building a matcher (which indexes `b`, the costly part): the lengths;
    the distinct words only one of them has, at least (bits of one mask not in the other: each is a
    word the other lacks), then exactly (a set intersection), then with their repetitions (set
    differences); then the words shared regardless of order. Most candidates stop at the first two,
    which are a few operations on integers."""
    na, nb = len(a.words), len(b.words)
    total = na + nb
    if not total or 2 * min(na, nb) < NEAR_IDENTICAL * total:
        return False
    lacks_a, lacks_b = (a.mask & ~b.mask).bit_count(), (b.mask & ~a.mask).bit_count()
    if 2 * min(na - lacks_a, nb - lacks_b) < NEAR_IDENTICAL * total:
        return False
    # a word only one of them has counts at least once
    common = len(a.distinct & b.distinct)
    if 2 * min(na - len(a.distinct) + common, nb - len(b.distinct) + common) < NEAR_IDENTICAL * total:
        return False
    only_a = sum(a.counts[w] for w in a.distinct - b.distinct)
    only_b = sum(b.counts[w] for w in b.distinct - a.distinct)
    if 2 * min(na - only_a, nb - only_b) < NEAR_IDENTICAL * total:
        return False
    shared = sum((a.counts & b.counts).values())
    if 2 * shared < NEAR_IDENTICAL * total:
        return False
    return SequenceMatcher(None, a.words, b.words, autojunk=False).ratio() >= NEAR_IDENTICAL


def _campaign_candidates(*, review_id: int, digest: str, near: int) -> list[tuple]:
    """In one query: the earliest identical comment (same digest) as part 0; then, when `near`, the
    `near` latest campaigns' representatives (part 1) and the `near` latest ungrouped comments (part 2),
    as (part, pk, body, campaign_id, rank), in that order. Each part is read through its own index in
    order and stops at its limit, whatever the review's size; its rank (1 = latest) comes with it, so
    no date is read back to order the rows again (a UNION's rows come in no promised order)."""
    c, k = Comment._meta.db_table, Campaign._meta.db_table
    # the table names come from the models; every value is a parameter
    sql = (
        f"SELECT * FROM (SELECT 0 AS part, id, '' AS body, campaign_id, 0 AS rank FROM {c}"  # noqa: S608
        " WHERE review_id = %s AND parent_id IS NULL AND body_digest = %s"
        " ORDER BY created_at, id LIMIT 1) AS same"
        " UNION ALL SELECT * FROM (SELECT 1, r.id, r.body, k.id, row_number() OVER (ORDER BY k.id DESC)"
        f" FROM {k} k JOIN {c} r ON r.id = k.representative_id WHERE k.review_id = %s"
        " ORDER BY k.id DESC LIMIT %s) AS representatives"
        " UNION ALL SELECT * FROM (SELECT 2, id, body, campaign_id, row_number() OVER"
        f" (ORDER BY created_at DESC) FROM {c}"
        " WHERE review_id = %s AND parent_id IS NULL AND campaign_id IS NULL"
        " ORDER BY created_at DESC LIMIT %s) AS recent"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [review_id, digest, review_id, near, review_id, near])
        rows = cursor.fetchall()
    rows.sort(key=itemgetter(0, 4))  # part, then rank
    return rows


def _campaign_for(*, review_id: int, body: str, digest: str) -> tuple[int | None, int | None]:
    """The campaign a new top-level comment joins, with its size once joined when that is known without
    counting (a campaign just made: 2): that of an identical (same normalized digest) or near-identical
    (≥ 90 % of words in order) earlier comment of the same review, made when that comment has none yet
    (it becomes the representative: the earliest of the group). The originals all stay. Asked before
    the comment is written, in its transaction, so it is written with its campaign.

    Bounded work per post, whatever the review's size, in one query: the identical copy is found through
    the (review, body_digest) index; near-identical candidates are the NEAR_CANDIDATES latest campaigns'
    representatives and the NEAR_CANDIDATES latest ungrouped comments, read through a partial index in
    date order (no sort)."""
    near = len(body) >= NEAR_MIN_LENGTH
    rows = _campaign_candidates(review_id=review_id, digest=digest, near=NEAR_CANDIDATES if near else 0)
    match = next(((pk, campaign_id) for part, pk, _b, campaign_id, _rank in rows if part == 0), None)
    if match is None and near:
        mine = _words(body)
        low, high = int(len(body) * 0.8), int(len(body) * 1.25)
        for part, pk, other, campaign_id, _rank in rows:
            if part and low <= len(other) <= high and _near(mine, _words(other)):
                match = (pk, campaign_id)
                break
    if match is None:
        return None, None
    pk, campaign_id = match
    if campaign_id is not None:
        return campaign_id, None  # a comment's campaign never changes: nothing to lock
    # The first two copies of a form letter arriving together must not make two campaigns: each makes
    # one, and only the first to set it on the representative keeps it (the other's update waits for the
    # first's row lock, then finds the row taken, drops its own and reads the first's). No signal for
    # the representative's row: this comment's own save, in the same transaction, marks the comments
    # changed (consultations.fragments).
    campaign = Campaign.objects.create(review_id=review_id, representative_id=pk)
    if Comment.objects.filter(pk=pk, campaign__isnull=True).update(campaign=campaign):
        return campaign.pk, 2
    campaign.delete()
    return Comment.objects.values_list("campaign_id", flat=True).get(pk=pk), None


# Flags and moderation -------------------------------------------------------------------------------------
def comment_flag(*, actor, comment: Comment, reason: str) -> Flag:
    """Anyone may flag. A signed-in person flags a comment once; a visitor who is not signed in is
    stored as nobody (the view limits such flags per IP)."""
    policy.require(actor, "consultations.flag_comment", comment)
    reason = (reason or "").strip()
    if not reason:
        raise CommentError(_("Say briefly why this comment should be reviewed."), code="empty")
    with transaction.atomic():
        if getattr(actor, "is_authenticated", False):
            flag, created = Flag.objects.get_or_create(
                comment=comment, flagged_by=actor, defaults={"reason": reason[:1000]}
            )
        else:
            flag, created = Flag.objects.create(comment=comment, flagged_by=None, reason=reason[:1000]), True
        if created:
            audit.record(actor=actor, action="comment.flag", obj=comment, reason=flag.reason)
    return flag


def comment_hide(*, actor, comment: Comment, reason: str) -> Comment:
    """Hide a comment (never delete it): the record and the reason stay; the author is told by email."""
    from ..tasks.comments import notify_comment_hidden

    policy.require(actor, "consultations.moderate_comments", comment)
    reason = (reason or "").strip()
    if not reason:
        raise CommentError(_("Give the reason the author will be told."), code="empty")
    with transaction.atomic():
        comment = Comment.objects.select_for_update(no_key=True).get(
            pk=comment.pk
        )  # lock: one moderator at a time
        if comment.hidden_at is not None:
            return comment
        comment.hidden_at = timezone.now()
        comment.hidden_by = actor
        comment.hidden_reason = reason
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor
        )
        audit.record(actor=actor, action="comment.hide", obj=comment, after={"hidden": True}, reason=reason)
        if comment.parent_id is None:  # counts are of top-level comments
            _count_change(
                review_id=comment.review_id, paragraph_key=comment.paragraph_key, visible=-1, hidden=1
            )
        notify_comment_hidden.delay_on_commit(comment.pk)
    return comment


def comment_unhide(*, actor, comment: Comment) -> Comment:
    """Undo a moderator's mistake: show a hidden comment again (the hiding stays in the audit log)."""
    policy.require(actor, "consultations.moderate_comments", comment)
    with transaction.atomic():
        comment = Comment.objects.select_for_update(no_key=True).get(pk=comment.pk)  # lock: as comment_hide
        if comment.hidden_at is None:
            return comment
        before = {"hidden_at": comment.hidden_at.isoformat(), "hidden_reason": comment.hidden_reason}
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
        comment.hidden_notified_at = None  # hidden again later: the author is told again
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason", "hidden_notified_at"])
        audit.record(
            actor=actor, action="comment.unhide", obj=comment, before=before, after={"hidden": False}
        )
        if comment.parent_id is None:
            _count_change(
                review_id=comment.review_id, paragraph_key=comment.paragraph_key, visible=1, hidden=-1
            )
    return comment


def flags_dismiss(*, actor, comment: Comment) -> int:
    """Keep the comment visible and close its open flags."""
    policy.require(actor, "consultations.moderate_comments", comment)
    with transaction.atomic():
        n = Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor
        )
        if n:
            audit.record(actor=actor, action="comment.flags_dismiss", obj=comment, after={"flags": n})
    return n


# Dispositions ---------------------------------------------------------------------------------------------
def comment_dispose(
    *, actor, comment: Comment, disposition: str, response: str, addressed_in: DraftVersion | None = None
) -> Comment:
    """Give a comment (and, for a campaign's representative, every copy of it) a disposition and response."""
    policy.require(actor, "consultations.dispose_comments", comment)
    if disposition not in Disposition.values:
        raise CommentError(_("Choose a disposition."), code="disposition")
    response = (response or "").strip()
    if not response:
        raise CommentError(_("Write the response the commenter will read."), code="empty")
    if addressed_in is not None and addressed_in.deliverable_id != comment.version.deliverable_id:
        raise CommentError(_("That version belongs to another deliverable."), code="version")
    with transaction.atomic():
        comment = Comment.objects.select_for_update(no_key=True).get(
            pk=comment.pk
        )  # lock: last writer wins cleanly
        before = {"disposition": comment.disposition, "response": comment.response}
        now = timezone.now()
        targets = Comment.objects.filter(pk=comment.pk)
        if (
            comment.campaign_id
            and Campaign.objects.filter(pk=comment.campaign_id, representative_id=comment.pk).exists()
        ):
            targets = Comment.objects.filter(
                Q(pk=comment.pk) | Q(campaign_id=comment.campaign_id, parent__isnull=True)
            )
        targets.update(
            disposition=disposition,
            response=response,
            addressed_in=addressed_in,
            disposed_by=actor,
            disposed_at=now,
        )
        fragments.comments_changed()  # an update() sends no signal
        comment.refresh_from_db()
        audit.record(
            actor=actor,
            action="comment.dispose",
            obj=comment,
            before=before,
            after={
                "disposition": disposition,
                "response": response,
                "addressed_in": addressed_in.number if addressed_in else None,
            },
        )
        following.disposition_notify(
            comment=comment, author_ids=set(targets.values_list("author_id", flat=True)), actor=actor
        )
    return comment


# Matrix exports -------------------------------------------------------------------------------------------
def matrix_export_request(*, actor, review: Review, filters: dict | None = None) -> MatrixExport:
    from ..tasks.comments import export_matrix

    policy.require(actor, "consultations.export_matrix", review)
    with transaction.atomic():
        export = MatrixExport.objects.create(review=review, requested_by=actor, filters=filters or {})
        audit.record(
            actor=actor, action="matrix.export_request", obj=export, after={"filters": export.filters}
        )
        export_matrix.delay_on_commit(export.pk)
    return export


EXPORT_BATCH = 500


def matrix_export_build(*, export_id: int) -> MatrixExport | None:
    """Build the CSV of an export, recording progress every batch. Idempotent: only a pending (or a
    running one whose worker died, re-delivered) export is built; a done one is left alone."""
    from initiative.spreadsheets import csv_lines

    from .. import selectors
    from ..selectors.comments import MATRIX_COLUMNS, matrix_row

    claimed = MatrixExport.objects.filter(
        pk=export_id, status__in=[MatrixExport.Status.PENDING, MatrixExport.Status.RUNNING]
    ).update(status=MatrixExport.Status.RUNNING, processed=0)
    if not claimed:
        return None
    export = MatrixExport.objects.select_related("review__version__deliverable").get(pk=export_id)
    filters = {
        k: v
        for k, v in (export.filters or {}).items()
        if k in {"paragraph", "disposition", "stakeholder_type"}
    }
    rows = selectors.matrix_rows(export.review, **filters)
    total = rows.count()
    MatrixExport.objects.filter(pk=export_id).update(total=total)
    done = 0

    def counted():
        nonlocal done
        for comment in rows.iterator(chunk_size=EXPORT_BATCH):
            yield matrix_row(comment)
            done += 1
            if done % EXPORT_BATCH == 0:
                MatrixExport.objects.filter(pk=export_id).update(processed=done)

    text = "".join(csv_lines(MATRIX_COLUMNS, counted()))
    name = f"matrix-review-{export.review_id}-{export.pk}.csv"
    export.file.save(name, ContentFile(text.encode()), save=False)
    MatrixExport.objects.filter(pk=export_id).update(
        file=export.file.name,
        processed=done,
        total=total,
        status=MatrixExport.Status.DONE,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


def matrix_export_fail(*, export_id: int, error: str) -> None:
    MatrixExport.objects.filter(pk=export_id).exclude(status=MatrixExport.Status.DONE).update(
        status=MatrixExport.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


# Staff digest ---------------------------------------------------------------------------------------------
def _digest_context(ref: str) -> dict | None:
    """The digest's content from its reference: the comments claimed at that instant."""
    at = datetime.fromisoformat(ref)
    pending = list(
        Comment.objects.filter(staff_notified_at=at)
        .select_related("review__version__deliverable__workstream")
        .order_by("review_id", "created_at")
    )
    if not pending:
        return None
    reviews: dict[int, dict] = {}
    for c in pending:
        entry = reviews.setdefault(c.review_id, {"review": c.review, "comments": 0, "replies": 0})
        entry["replies" if c.parent_id else "comments"] += 1
    return {"reviews": list(reviews.values()), "total": len(pending), "now": at}


COMMENT_DIGEST = outbox.register("consultations.comment_digest", shared=_digest_context).name


def staff_digest_send(*, now: datetime | None = None) -> int:
    """Send implementation staff one email listing the comments made since the last digest. Returns
    the number of comments reported (0: nothing sent).

    Comments are claimed (SKIP LOCKED, then marked `staff_notified_at`) in the transaction that plans
    one outbox row per staff member, so two overlapping runs never report one twice, no lock is held
    while mailing, and a run cut short by a crash or an SMTP failure is finished by the outbox sweep."""
    from initiative.models import Body
    from initiative.selectors import member_emails

    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Comment.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(staff_notified_at__isnull=True, created_at__lte=now)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        Comment.objects.filter(pk__in=ids).update(staff_notified_at=now)
        # one message each: staff addresses are not shared
        event = outbox.plan(
            kind=COMMENT_DIGEST,
            ref=now.isoformat(),
            template="comment_digest",
            recipients={email: {} for email in member_emails(Body.Kind.IMPLEMENTATION_TEAM)},
        )
    outbox.deliver(event)
    return len(ids)
