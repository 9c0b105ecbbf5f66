"""Tracks, workstreams and what they are made of; participants' enrollment in them.

Tracks and workstreams are rows, not subclasses: what differs between Workstream A and the Track 3
dialogue is data loaded from `workstreams/content/`.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import StakeholderType


class Track(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    objective = models.TextField(help_text=_("Markdown"))
    description = models.TextField(blank=True, help_text=_("Markdown"))

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:track-detail", kwargs={"slug": self.slug})


class Workstream(models.Model):
    """A workstream (A–E) or the Track 3 dialogue."""

    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="workstreams")
    code = models.CharField(max_length=8, unique=True)
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    challenge = models.TextField(help_text=_("Markdown"))
    objective = models.TextField(help_text=_("Markdown"))
    approach = models.TextField(blank=True, help_text=_("Markdown"))
    emerging_issues = models.TextField(blank=True, help_text=_("Markdown"))
    planned_outputs = models.JSONField(default=list, blank=True)
    sub_workstreams = models.JSONField(default=list, blank=True)
    start_month = models.PositiveSmallIntegerField(help_text=_("Months after the initiative starts"))
    end_month = models.PositiveSmallIntegerField()
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_workstreams",
    )

    class Meta:
        ordering = ["track__number", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_month__gte=models.F("start_month")), name="workstream_span"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:workstream-detail", kwargs={"slug": self.slug})

    @property
    def title(self) -> str:
        if self.code.startswith("T"):
            return f"Track {self.code[1:]}: {self.name}"
        return f"Workstream {self.code}: {self.name}"


class WorkstreamStakeholder(models.Model):
    """A kind of stakeholder the report says the workstream should engage."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="stakeholders")
    type = models.CharField(max_length=32, choices=StakeholderType.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["workstream", "type"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "type"], name="workstream_stakeholder_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workstream.code}: {self.get_type_display()}"


class IllustrativeQuestion(models.Model):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["workstream", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "number"], name="question_unique_number"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")


class LifecycleStep(models.Model):
    """One of the five steps every workstream runs, from stock-taking to deep-dive recommendations.

    Names come from `content/lifecycle.yaml`, with a workstream's own names (Workstream A's A.1–A.3)
    from its entry in `content/workstreams.yaml`.
    """

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=StepStatus.choices, default=StepStatus.NOT_STARTED)
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    section = models.TextField(blank=True, help_text=_("Markdown: this step's section of the report"))

    class Meta:
        ordering = ["workstream", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "number"], name="step_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=5), name="step_number_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.workstream.code}.{self.number} {self.name}"


class DeliverableKind(models.TextChoices):
    REPORT = "report", _("Report")
    GUIDELINES = "guidelines", _("Guidelines")
    PRO_FORMA = "pro_forma", _("Pro forma text")
    FRAMEWORK = "framework", _("Framework")
    MATRIX = "matrix", _("Matrix")
    SUMMARY = "summary", _("Summary")
    OTHER = "other", _("Other")


class ReviewStage(models.TextChoices):
    """The review workflow every deliverable goes through (see docs/ARCHITECTURE.md)."""

    DRAFTING = "drafting", _("Drafting")
    MEMBER_REVIEW = "member_review", _("Member review")
    PUBLIC_CONSULTATION = "public_consultation", _("Public consultation")
    REVISING = "revising", _("Revising")
    SUBMITTED = "submitted", _("Submitted to the steering committee")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Deliverable(models.Model):
    """A planned work product of a workstream. Its text and review live in `consultations`."""

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="deliverables")
    slug = models.SlugField(max_length=120)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=DeliverableKind.choices, default=DeliverableKind.REPORT)
    description = models.TextField(blank=True)
    is_key = models.BooleanField(
        _("key 'draft final' deliverable"),
        default=False,
        help_text=_("Key deliverables go through a public consultation, usually with a webinar."),
    )
    due_month = models.PositiveSmallIntegerField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
    )
    stage = models.CharField(max_length=32, choices=ReviewStage.choices, default=ReviewStage.DRAFTING)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["workstream", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "slug"], name="deliverable_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    """A candidate topic for the workstream's deep dives (step 4 ranks them)."""

    class Source(models.TextChoices):
        REPORT = "report", _("From the report")
        STAFF = "staff", _("Added by staff")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STAFF)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["workstream", "id"]
        constraints = [models.UniqueConstraint(fields=["workstream", "title"], name="topic_unique_title")]

    def __str__(self) -> str:
        return self.title


class GlossaryTerm(models.Model):
    """The common vocabulary Workstream A exists to agree on; the report's abbreviations come first."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("Abbreviation")
        TERM = "term", _("Term")

    term = models.CharField(max_length=120, unique=True)
    definition = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TERM)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


# Enrollment -------------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An emailed, single-use invitation to take part in a workstream. Only a hash of the token is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    organization = models.ForeignKey(
        "initiative.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expiry"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.workstream.code}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Enrollment.Status.ACTIVE)


class Enrollment(models.Model):
    """A participant's commitment to take part in a workstream throughout. Withdrawal keeps the row."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments")
    organization = models.ForeignKey(
        "initiative.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrollments",
    )
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollment"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    commitment = models.TextField(help_text=_("The commitment text the participant accepted"))
    committed_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["workstream", "-committed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "user"], condition=Q(status="active"), name="enrollment_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.workstream.code}"


# Track 3 issue areas (Table 5) ------------------------------------------------------------------------


class IssueArea(models.Model):
    """One of Table 5's seven categories of longer-term challenges that the Track 3 dialogue takes up.
    Loaded from `content/track3_issue_areas.yaml`; `issues` keeps the table's rows (name, description)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    issues = models.JSONField(default=list, blank=True)
    track2_workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.SET_NULL, related_name="overlapping_issue_areas"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


# Prioritization (step 4) ------------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PrioritizationRound(models.Model):
    """A round in which a workstream's enrolled participants rank its candidate topics (step 4).

    The topics are fixed when the round opens. The result (Borda count) is computed and stored once,
    when the round closes; until then ballots may be replaced."""

    class Method(models.TextChoices):
        BORDA = "borda", _("Borda count")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(max_length=200)
    topics = models.ManyToManyField(Topic, related_name="rounds")
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.BORDA)
    status = models.CharField(max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_open"
            ),
            models.UniqueConstraint(fields=["workstream"], condition=Q(status="open"), name="round_one_open"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:round-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN and self.opens_at <= timezone.now() < self.closes_at


class Ballot(models.Model):
    """One participant's ranking in a round: `ranking` lists the round's topic ids, first choice first.
    One per participant per round; replaced in place until the deadline."""

    round = models.ForeignKey(PrioritizationRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ballots")
    stakeholder_type = models.CharField(max_length=32, choices=StakeholderType.choices)
    ranking = models.JSONField(default=list)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "submitted_at"]
        constraints = [models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_voter")]

    def __str__(self) -> str:
        return f"{self.voter} in {self.round}"


# Working sessions, workshops, action items ------------------------------------------------------------


class SessionKind(models.TextChoices):
    WORKING_SESSION = "working_session", _("Working session")
    DEEP_DIVE = "deep_dive", _("Deep-dive session")
    WORKSHOP = "workshop", _("Track 3 workshop")


class WorkingSession(models.Model):
    """A meeting of a workstream. `starts_at` is an aware datetime (stored in UTC); `time_zone` is the
    IANA name the session was scheduled in, used to show it the way it was announced."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(max_length=16, choices=SessionKind.choices, default=SessionKind.WORKING_SESSION)
    title = models.CharField(max_length=200)
    agenda = models.TextField(blank=True, help_text=_("Markdown"))
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    time_zone = models.CharField(max_length=64, default="America/New_York")
    meeting_url = models.URLField(blank=True, help_text=_("Shown to the workstream's members only"))
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    issue_areas = models.ManyToManyField(IssueArea, blank=True, related_name="sessions")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(blank=True, help_text=_("Markdown"))
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="sessions_attended")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["starts_at"], name="session_starts_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workstreams:session-detail", kwargs={"pk": self.pk})

    @property
    def local_start(self):
        """The start on the session's own wall clock; templates show it as is (not in the site's zone)."""
        from django.templatetags.tz import do_timezone

        return do_timezone(self.starts_at, self.time_zone)


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


class ActionItem(models.Model):
    """Something an organization has agreed to do, raised by a session or a Track 3 issue area."""

    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="action_items")
    description = models.TextField()
    owner_organization = models.ForeignKey(
        "initiative.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items")
    due_date = models.DateField()
    status = models.CharField(max_length=16, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN)
    session = models.ForeignKey(
        WorkingSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    issue_area = models.ForeignKey(
        IssueArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    @property
    def days_late(self) -> int:
        if not self.is_open:
            return 0
        return max(0, (timezone.localdate() - self.due_date).days)


class ActionItemReminder(models.Model):
    """A reminder sent for an action item: one row per item, kind and due date, so a rerun of the
    reminder sweep never sends the same reminder twice (a new due date re-arms them)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    due_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action_item", "kind", "due_date"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for action item {self.action_item_id} due {self.due_date}"


class DigestDelivery(models.Model):
    """The weekly deliverables digest sent to one owner for one week (unique: sent at most once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text=_("Monday of the week"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="digest_once_per_week")]

    def __str__(self) -> str:
        return f"digest to user {self.user_id} for week of {self.week}"


class DigestOptOut(models.Model):
    """An owner who unsubscribed from the weekly digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"user {self.user_id} unsubscribed from the digest"
