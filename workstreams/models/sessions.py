"""Working sessions and workshops, the action items they raise and their reminders; Track 3's issue
areas (Table 5)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import Topic
from .workstreams import Workstream

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
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="owned_issue_areas",
        help_text=_("Who leads the dialogue on this area (told when its vision is due for re-evaluation)"),
    )
    reevaluate_on = models.DateField(
        _("re-evaluate the vision on"),
        null=True,
        blank=True,
        help_text=_("On this date a re-evaluation of the vision opens and the area's people are told"),
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workstreams:issue-area-detail", kwargs={"slug": self.slug})


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
