"""Reads on comments: the draft page, one paragraph's comments, the matrix, the summary, moderation.

Every function does its joins here so templates trigger no queries. Counts come from the count rows the
comment services keep (`CommentCount`, one per review and paragraph key), never from counting comments,
so the draft page and a paragraph's page take the same time with a thousand comments or a hundred
thousand.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from initiative import policy, readcache
from initiative.models import StakeholderType
from initiative.spreadsheets import Column

from .. import redaction
from ..models import (
    Comment,
    CommentCount,
    Disposition,
    DraftVersion,
    Flag,
    MatrixExport,
    Paragraph,
    Review,
    Section,
)

COMMENTS_PER_PAGE = 20


# Visibility ---------------------------------------------------------------------------------------------
def sees_member_comments(user, deliverable) -> bool:
    """Members of the workstream (feedback providers too), staff and the committee see member-review
    comments; others only comments made in public consultations."""
    return policy.can(user, "consultations.view_member_comments", deliverable)


def comment_scope(*, user, deliverable) -> QuerySet[Comment]:
    qs = Comment.objects.on_deliverable(deliverable.pk)
    if not sees_member_comments(user, deliverable):
        qs = qs.filter(review__kind=Review.Kind.PUBLIC_CONSULTATION)
    if not policy.can(user, "consultations.moderate_comments", deliverable):
        qs = qs.visible()
    return qs


# The draft page -----------------------------------------------------------------------------------------
@dataclass
class DraftPage:
    version: DraftVersion
    sections: list[Section]
    paragraphs: list[Paragraph]
    counts: dict[str, int] = field(default_factory=dict)
    whole_draft_count: int = 0


def version_entry(*, deliverable_id: int, number: int) -> tuple[str, str]:
    """Where `version_get` keeps a version in the read cache (for `readcache.prefetch`)."""
    return "drafts", f"version:{deliverable_id}:{number}"


def version_get(*, deliverable_id: int, number: int) -> DraftVersion:
    """A version with its deliverable, workstream and reviews, or 404.

    Its reviews come along: who may read it (a public consultation opened) and which one is open are
    both answered from them, without a query each. Its Markdown source is not read by the pages and
    APIs that ask for a version this way (they show its paragraphs): left in the database. Kept in the
    shared read cache (group "drafts", made stale by any write to a version, review, deliverable or
    workstream): every page of a draft and every comment posted on it starts here."""
    version = readcache.read(
        *version_entry(deliverable_id=deliverable_id, number=number),
        lambda: (
            DraftVersion.objects.select_related("deliverable__workstream")
            .prefetch_related("reviews")
            .defer("body")
            .filter(deliverable_id=deliverable_id, number=number)
            .first()
        ),
    )
    if version is None:
        raise Http404("No such version of this deliverable.")
    return version


def draft_page(*, version: DraftVersion, user, withheld=()) -> DraftPage:
    """Sections, paragraphs and comment counts per paragraph key (from the count rows): three queries.

    Comments count against a paragraph of this version when they were made on this or an earlier
    version of the same deliverable on a paragraph with the same key (it carried over). The `withheld`
    words (see selectors.drafts.withheld_for) are masked in headings and paragraphs."""
    sections = list(version.sections.all())
    paras = list(version.paragraphs.all())
    for s in sections:
        s.title = redaction.mask(s.title, withheld)
    for p in paras:
        p.text = redaction.mask(p.text, withheld, escape=True)
    counted = _counted(user=user, version=version, prefix="")
    rows = (
        CommentCount.objects.filter(
            review__in=counted.reviews, paragraph_key__in=[p.key for p in paras] + [""]
        )
        .values("paragraph_key")
        .annotate(n=Sum(counted.total))
        .order_by()
    )
    counts = {r["paragraph_key"]: r["n"] for r in rows}
    page = DraftPage(version=version, sections=sections, paragraphs=paras, counts=counts)
    page.whole_draft_count = counts.get("", 0)
    by_section: dict[int | None, list[Paragraph]] = {}
    for p in paras:
        p.comment_count = counts.get(p.key, 0)
        by_section.setdefault(p.section_id, []).append(p)
    for s in sections:
        s.paragraph_list = by_section.get(s.pk, [])
    page.preamble = by_section.get(None, [])
    return page


@dataclass
class _Counted:
    """What `comment_scope` shows, said in count rows: comments made in the reviews of this and earlier
    versions of the deliverable (public consultations only for those who may not see members'
    comments), hidden ones only for moderators. `prefix` is the path from the query's model to the
    count rows ("" from CommentCount, "comment_counts__" from Review)."""

    version: DraftVersion
    prefix: str
    moderator: bool
    members: bool  # whether members' reviews count, not only public consultations

    @cached_property
    def reviews(self) -> QuerySet:
        """The reviews whose comments show on the version for the user (built when asked: a caller
        that answers from a count row it has needs none)."""
        reviews = Review.objects.filter(
            version__deliverable_id=self.version.deliverable_id, version__number__lte=self.version.number
        )
        return reviews if self.members else reviews.filter(kind=Review.Kind.PUBLIC_CONSULTATION)

    @property
    def total(self):
        """The count rows' expression to add up: visible ones, and hidden ones for moderators."""
        visible = F(f"{self.prefix}visible")
        return visible + F(f"{self.prefix}hidden") if self.moderator else visible


def _counted(*, user, version: DraftVersion, prefix: str) -> _Counted:
    return _Counted(
        version=version,
        prefix=prefix,
        moderator=policy.can(user, "consultations.moderate_comments", version.deliverable),
        members=sees_member_comments(user, version.deliverable),
    )


def paragraph_comments(
    *, version: DraftVersion, key: str, user, review_ids: list[int] | None = None
) -> QuerySet[Comment]:
    """Top-level comments on paragraph `key` (or on the whole draft when `key` is empty) made on this or
    an earlier version, newest first, with their replies: a fixed number of queries per page.

    Filtered on the review and the key directly (not through the version), so the database reads them
    through the (review, paragraph_key, created_at) index, newest first, and stops at the page's end.
    `review_ids`: the reviews in scope when the caller already has them (`paragraph_comments_page`)."""
    counted = _counted(user=user, version=version, prefix="")
    if review_ids is None:
        review_ids = list(counted.reviews.values_list("pk", flat=True))
    replies = Comment.objects.select_related("author", "organization").prefetch_related("attachments")
    qs = Comment.objects.filter(review_id__in=review_ids, paragraph_key=key, parent__isnull=True)
    if not counted.moderator:
        replies = replies.visible()
        qs = qs.visible()
    return (
        qs.select_related("author", "organization", "version", "question", "addressed_in")
        .prefetch_related("attachments", Prefetch("replies", queryset=replies.order_by("created_at", "pk")))
        .annotate(campaign_size=_campaign_size())
        .order_by("-created_at", "-pk")
    )


class _CountedPaginator(Paginator):
    """A paginator told its count (from the count rows) instead of running COUNT(*) over the comments."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # `count` is a cached_property


def paragraph_comment_count(
    *, version: DraftVersion, key: str, user, written: tuple[int, int, int] | None = None
) -> tuple[list[int], int]:
    """(the reviews in scope, how many of their top-level comments on `key` the user sees): one query
    over the reviews and their count rows.

    `written`: (review id, visible, hidden) of the count row of `key` that the caller has just changed
    (`services.comments.comment_create` leaves it on the comment). When that review is the only one in
    scope, the answer is that row, without a query: the version is the deliverable's first (no earlier
    version's reviews count) and its reviews, read with it (`version_get`), hold no other the user sees."""
    counted = _counted(user=user, version=version, prefix="comment_counts__")
    prefetched = getattr(version, "_prefetched_objects_cache", {})
    if written is not None and version.number == 1 and "reviews" in prefetched:
        review_id, visible, hidden = written
        in_scope = [
            r.pk
            for r in version.reviews.all()
            if counted.members or r.kind == Review.Kind.PUBLIC_CONSULTATION
        ]
        if in_scope == [review_id]:
            return in_scope, visible + hidden if counted.moderator else visible
    in_key = Q(comment_counts__paragraph_key=key)
    rows = list(counted.reviews.annotate(n=Sum(counted.total, filter=in_key)).values_list("pk", "n"))
    return [pk for pk, _n in rows], sum(n or 0 for _pk, n in rows)


def paragraph_comments_page(*, version: DraftVersion, key: str, user, number=None) -> Page:
    """One page of `paragraph_comments`, its count from the count rows (no COUNT(*) over comments)."""
    review_ids, count = paragraph_comment_count(version=version, key=key, user=user)
    qs = paragraph_comments(version=version, key=key, user=user, review_ids=review_ids)
    page = _CountedPaginator(qs, COMMENTS_PER_PAGE, count=count).get_page(number)
    page.review_ids = review_ids  # the reviews whose comments it lists (part of a cached list's key)
    return page


def campaign_size(*, campaign_id: int) -> int:
    return Comment.objects.filter(campaign_id=campaign_id).count()


def _campaign_size():
    return Coalesce(
        Subquery(
            Comment.objects.filter(campaign_id=OuterRef("campaign_id"))
            .order_by()
            .values("campaign_id")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(1),
    )


# The comment–response matrix ----------------------------------------------------------------------------
def matrix_rows(
    review: Review,
    *,
    paragraph: str | None = None,
    disposition: str | None = None,
    stakeholder_type: str | None = None,
    include_campaign_members: bool = False,
) -> QuerySet[Comment]:
    """The matrix of one review: its visible top-level comments in paragraph order, each with the
    paragraph number (`paragraph_number`, None for the whole draft), the campaign size
    (`campaign_size`, 1 when not part of one), author, organization and addressing version.

    A campaign (form letter) appears once, as its representative, unless `include_campaign_members`.
    Filters: `paragraph` (a key, or "" for the whole draft), `disposition` (a value, or "none" for
    comments without one yet), `stakeholder_type`.
    """
    qs = (
        Comment.objects.filter(review=review)
        .visible()
        .top_level()
        .select_related("author", "organization", "addressed_in", "question", "version")
        .annotate(
            paragraph_number=Subquery(
                Paragraph.objects.filter(version_id=review.version_id, key=OuterRef("paragraph_key")).values(
                    "order"
                )[:1]
            ),
            campaign_size=_campaign_size(),
        )
    )
    if not include_campaign_members:
        qs = qs.filter(Q(campaign__isnull=True) | Q(campaign__representative_id=F("pk")))
    if paragraph is not None:
        qs = qs.filter(paragraph_key=paragraph)
    if disposition:
        qs = qs.filter(disposition="") if disposition == "none" else qs.filter(disposition=disposition)
    if stakeholder_type:
        qs = qs.filter(stakeholder_type=stakeholder_type)
    return qs.order_by(F("paragraph_number").asc(nulls_first=True), "created_at", "pk")


def matrix_row_get(*, review: Review, pk: int) -> Comment:
    """One row of the matrix, annotated as `matrix_rows` annotates it, whatever the filters."""
    return matrix_rows(review).get(pk=pk)


@dataclass
class MatrixProgress:
    answered: int
    total: int


def matrix_progress(*, review: Review) -> MatrixProgress:
    """How many rows of the whole matrix (campaigns once) have a disposition: one query."""
    counts = (
        matrix_rows(review)
        .order_by()
        .aggregate(total=Count("pk"), answered=Count("pk", filter=~Q(disposition="")))
    )
    return MatrixProgress(answered=counts["answered"], total=counts["total"])


MATRIX_COLUMNS = [
    Column("comment_id", 11),
    Column("paragraph", 12),
    Column("paragraph_key", 14),
    Column("commenter", 24),
    Column("organization", 28),
    Column("stakeholder_type", 22),
    Column("question", 30),
    Column("comment", 60),
    Column("campaign_size", 14),
    Column("disposition", 18),
    Column("response", 60),
    Column("addressed_in_version", 20),
    Column("created_at", 18),
]


def matrix_row(comment: Comment) -> list:
    """One row of the matrix (no email address, ever), typed for the shared spreadsheet writer, which
    guards the text against formula injection."""
    return [
        comment.pk,
        _("Whole draft")
        if not comment.paragraph_key
        else (
            f"¶{comment.paragraph_number + 1}"
            if comment.paragraph_number is not None
            else comment.paragraph_key
        ),
        comment.paragraph_key,
        str(comment.author.display_name),
        comment.organization.name if comment.organization_id else "",
        comment.get_stakeholder_type_display(),
        comment.question.text if comment.question_id else "",
        comment.body,
        comment.campaign_size,
        comment.get_disposition_display() if comment.disposition else "",
        comment.response,
        comment.addressed_in.number if comment.addressed_in_id else None,
        comment.created_at,
    ]


# The summary --------------------------------------------------------------------------------------------
@dataclass
class Bar:
    key: str
    label: str
    count: int
    percent: int = 0  # of the largest bar, for the chart's width


@dataclass
class ReviewSummary:
    review: Review
    total: int  # top-level visible comments, each campaign member counted
    distinct: int  # campaigns counted once
    replies: int
    commenters: int
    campaigns: int
    hidden: int
    by_paragraph: list[Bar]
    by_stakeholder: list[Bar]
    by_disposition: list[Bar]
    accepted: int
    partly_accepted: int
    undisposed: int


def _scale(bars: list[Bar]) -> list[Bar]:
    top = max((b.count for b in bars), default=0)
    for b in bars:
        b.percent = round(100 * b.count / top) if top else 0
    return bars


def review_summary(review: Review) -> ReviewSummary:
    """Counts of one review's comments by paragraph, stakeholder type and disposition (five queries)."""
    base = Comment.objects.filter(review=review)
    totals = base.aggregate(
        total=Count("pk", filter=Q(parent__isnull=True, hidden_at__isnull=True)),
        replies=Count("pk", filter=Q(parent__isnull=False, hidden_at__isnull=True)),
        hidden=Count("pk", filter=Q(hidden_at__isnull=False)),
        commenters=Count("author", distinct=True, filter=Q(hidden_at__isnull=True)),
        campaigns=Count("campaign", distinct=True, filter=Q(hidden_at__isnull=True, parent__isnull=True)),
        campaign_members=Count(
            "pk", filter=Q(campaign__isnull=False, hidden_at__isnull=True, parent__isnull=True)
        ),
    )
    top = base.visible().top_level()
    per_key = dict(top.values_list("paragraph_key").annotate(n=Count("pk")).order_by())
    paras = list(review.version.paragraphs.values_list("key", "order", "text"))
    from ..services.publication import withheld_phrases

    withheld = withheld_phrases(deliverable_id=review.version.deliverable_id)
    paras = [(key, order, redaction.mask(text, withheld)) for key, order, text in paras]
    by_paragraph = []
    if per_key.get(""):
        by_paragraph.append(Bar("", _("Whole draft"), per_key[""]))
    for key, order, text in paras:
        by_paragraph.append(
            Bar(
                key,
                f"¶{order + 1} {text[:50]}…" if len(text) > 50 else f"¶{order + 1} {text}",
                per_key.get(key, 0),
            )
        )
    labels = dict(StakeholderType.choices)
    per_type = top.values_list("stakeholder_type").annotate(n=Count("pk")).order_by("-n", "stakeholder_type")
    by_stakeholder = [Bar(t, str(labels.get(t, t)), n) for t, n in per_type]
    per_disp = dict(top.values_list("disposition").annotate(n=Count("pk")).order_by())
    by_disposition = [Bar(d.value, str(d.label), per_disp.get(d.value, 0)) for d in Disposition]
    by_disposition.append(Bar("", _("No disposition yet"), per_disp.get("", 0)))
    return ReviewSummary(
        review=review,
        total=totals["total"],
        distinct=totals["total"] - totals["campaign_members"] + totals["campaigns"],
        replies=totals["replies"],
        commenters=totals["commenters"],
        campaigns=totals["campaigns"],
        hidden=totals["hidden"],
        by_paragraph=_scale(by_paragraph),
        by_stakeholder=_scale(by_stakeholder),
        by_disposition=_scale(by_disposition),
        accepted=per_disp.get(Disposition.ACCEPTED, 0),
        partly_accepted=per_disp.get(Disposition.PARTLY_ACCEPTED, 0),
        undisposed=per_disp.get("", 0),
    )


# Staff lists --------------------------------------------------------------------------------------------
def flag_queue() -> QuerySet[Comment]:
    """Comments with at least one unresolved flag, most flagged first.

    The condition is an EXISTS on the flags, not a filter across the relation: a join-filter on
    `flags__resolved_at__isnull` also matches comments that have no flag at all (the LEFT JOIN's NULL)."""
    open_flags = Flag.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)
    return (
        Comment.objects.filter(Exists(open_flags))
        .annotate(
            open_flags=Subquery(
                open_flags.order_by().values("comment").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            )
        )
        .select_related("author", "organization", "version__deliverable")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.filter(resolved_at__isnull=True)))
        .order_by("-open_flags", "created_at", "pk")
    )


def orphaned_comments(*, deliverable) -> QuerySet[Comment]:
    """Paragraph comments whose paragraph is not in the deliverable's latest version (removed or
    rewritten beyond recognition)."""
    latest = DraftVersion.objects.filter(deliverable=deliverable).order_by("-number").first()
    if latest is None:
        return Comment.objects.none()
    return (
        Comment.objects.on_deliverable(deliverable.pk)
        .top_level()
        .exclude(paragraph_key="")
        .exclude(paragraph_key__in=Paragraph.objects.filter(version=latest).values("key"))
        .select_related("author", "organization", "version")
        .order_by("version__number", "paragraph_key", "created_at")
    )


def export_list(*, review: Review) -> QuerySet[MatrixExport]:
    return MatrixExport.objects.filter(review=review).select_related("requested_by")[:10]


# The API ------------------------------------------------------------------------------------------------
def review_comment_list(*, review: Review, user) -> QuerySet[Comment]:
    """A review's comments and replies as its pages show them to `user` (`comment_scope`, said for one
    review): a member review's only to those who see members' comments, hidden ones only to moderators.
    The caller has checked `consultations.view_review`. Filtered on the review alone (no join through the
    version), so the database reads the (review, created_at, id) index in order and stops at the page's
    end, however many comments the review has. Joins and the campaign size done here; ordered for a
    cursor (oldest first)."""
    deliverable = review.version.deliverable
    qs = Comment.objects.filter(review_id=review.pk)
    if review.kind != Review.Kind.PUBLIC_CONSULTATION and not sees_member_comments(user, deliverable):
        qs = qs.none()
    if not policy.can(user, "consultations.moderate_comments", deliverable):
        qs = qs.visible()
    return (
        qs.select_related("author", "organization", "version", "question", "addressed_in")
        .prefetch_related("attachments")
        .annotate(campaign_size=_campaign_size())
        .order_by("created_at", "pk")
    )


def comment_get_visible(*, pk: int, user, deliverable) -> Comment | None:
    """One comment of `deliverable` with what `review_comment_list` joins, or None when it is outside the
    user's comment scope (a hidden one for a non-moderator, a member review's for the public)."""
    return (
        comment_scope(user=user, deliverable=deliverable)
        .filter(pk=pk)
        .select_related(
            "author", "organization", "version__deliverable__workstream", "question", "addressed_in"
        )
        .prefetch_related("attachments")
        .annotate(campaign_size=_campaign_size())
        .first()
    )
