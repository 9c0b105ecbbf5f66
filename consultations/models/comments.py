"""Comments on a draft: on one paragraph (by its stable `key`) or on the draft as a whole, with one
level of replies, attachments, flags, moderation, dispositions, campaign grouping and matrix exports.

A comment is made on one exact version (`version`) during one review window (`review`). Because a
paragraph keeps its key while it survives, a comment is shown against the same paragraph in later
versions ("on version 2"); when the key is gone from the latest version the comment is "orphaned" —
computed by a query, never a stored flag, so nothing can silently lose it.

Moderation hides, never deletes: `hidden_at`/`hidden_reason`/`hidden_by` keep the record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import StakeholderType

MAX_COMMENT_LENGTH = 5000
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class Disposition(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOTED = "noted", _("Noted / out of scope")


class Campaign(models.Model):
    """A group of identical or near-identical comments (a form letter). The originals are kept; the
    matrix and the summary show the representative once with the group's size."""

    review = models.ForeignKey("consultations.Review", on_delete=models.CASCADE, related_name="campaigns")
    representative = models.ForeignKey("consultations.Comment", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "created_at"]

    def __str__(self) -> str:
        return f"Campaign {self.pk} in {self.review_id}"


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def on_deliverable(self, deliverable_id: int):
        return self.filter(version__deliverable_id=deliverable_id)


class Comment(models.Model):
    review = models.ForeignKey("consultations.Review", on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(
        "consultations.DraftVersion", on_delete=models.PROTECT, related_name="comments"
    )
    paragraph_key = models.CharField(
        max_length=32, blank=True, db_index=True, help_text=_("Empty: a comment on the draft as a whole")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    organization = models.ForeignKey(
        "initiative.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
        help_text=_("Set when the comment is made on behalf of the author's organization"),
    )
    stakeholder_type = models.CharField(
        max_length=32, choices=StakeholderType.choices, help_text=_("The commenter's type when commenting")
    )
    question = models.ForeignKey(
        "workstreams.IllustrativeQuestion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    body_html = models.TextField(
        blank=True, help_text=_("The body rendered and sanitized when written; the body stays the source")
    )
    body_digest = models.CharField(max_length=64, db_index=True, help_text=_("Hash of the normalized text"))
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    created_at = models.DateTimeField(default=timezone.now)
    staff_notified_at = models.DateTimeField(null=True, blank=True, help_text=_("Included in a staff digest"))
    # moderation
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(blank=True)
    hidden_notified_at = models.DateTimeField(null=True, blank=True)
    # disposition
    disposition = models.CharField(max_length=32, choices=Disposition.choices, blank=True)
    response = models.TextField(blank=True)
    addressed_in = models.ForeignKey(
        "consultations.DraftVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="addressed_comments",
    )
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disposed_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["review", "paragraph_key", "created_at"], name="comment_review_para_idx"),
            models.Index(fields=["version", "paragraph_key"], name="comment_version_para_idx"),
            # a review's comments oldest first (the API's cursor), read in order and cut at the page's end
            models.Index(fields=["review", "created_at", "id"], name="comment_review_created_idx"),
            # campaign grouping: an identical copy, and the latest ungrouped comments, found by index
            models.Index(fields=["review", "body_digest"], name="comment_review_digest_idx"),
            models.Index(
                fields=["review", "-created_at"],
                condition=Q(parent__isnull=True, campaign__isnull=True),
                name="comment_ungrouped_recent_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="comment_hidden_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.paragraph_key or 'the draft'}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def get_stakeholder_type_display(self) -> str:
        return StakeholderType.label_of(self.stakeholder_type)

    @property
    def author_display(self) -> str:
        """Never the email address."""
        name = self.author.display_name
        return f"{name} ({self.organization.name})" if self.organization_id else str(name)


class CommentCount(models.Model):
    """How many top-level comments one review has on one paragraph key ("" = the draft as a whole):
    `visible` ones and `hidden` ones. Kept by the comment services in the transaction that creates,
    hides or unhides a comment (an `UPDATE … SET n = n + 1` under the row's lock), so pages read a
    count per paragraph from a few rows instead of counting every comment. A version's count is the sum
    of its reviews' rows; a comment made on an earlier version counts through its own review's row.

    The comments stay the source of truth: `services.comments.comment_counts_rebuild` recomputes the
    rows from them (the migration that introduced the counters, data loaders that insert in bulk)."""

    review = models.ForeignKey(
        "consultations.Review", on_delete=models.CASCADE, related_name="comment_counts"
    )
    paragraph_key = models.CharField(max_length=32, blank=True)
    visible = models.PositiveIntegerField(default=0)
    hidden = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "paragraph_key"], name="commentcount_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.visible} comments on {self.paragraph_key or 'the draft'} in review {self.review_id}"


def attachment_path(instance, filename: str) -> str:
    return f"comment-attachments/{timezone.now():%Y/%m}/{instance.sha256[:16]}-{filename[-80:]}"


class Attachment(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120, help_text=_("Detected from the content, not the name"))
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["comment", "pk"]

    def __str__(self) -> str:
        return self.original_name


class Flag(models.Model):
    """Someone thinks a comment breaks the rules. Staff resolve flags from the moderation queue.

    Anyone may flag: a visitor who is not signed in leaves `flagged_by` empty (nothing else about them
    is stored; their flags are limited per IP by a short-lived cache counter, see the flag view)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for a visitor who was not signed in"),
    )
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "flagged_by"], name="flag_once_per_person")]

    def __str__(self) -> str:
        return f"Flag on {self.comment_id}"


class MatrixExport(models.Model):
    """A CSV export of a review's comment–response matrix, built by a Celery job with progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    review = models.ForeignKey("consultations.Review", on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="matrix-exports/", blank=True, max_length=300)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Matrix export {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed / self.total) if self.total else 0
