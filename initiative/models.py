"""Governance domain: the initiative, its people and organizations, its bodies, and the audit log.

Enrollment of participants in workstreams lives in `workstreams` (it belongs to the workstream), so the
dependency between the two apps runs one way: workstreams → initiative.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from .jurisdictions import ISO_RTO_CODES, STATE_CODES


class StakeholderType(models.TextChoices):
    """The kinds of stakeholders the report names as participants of the initiative."""

    IOU = "iou", _("Investor-owned distribution utility")
    MUNICIPAL_UTILITY = "municipal_utility", _("Municipal distribution utility")
    COOPERATIVE_UTILITY = "cooperative_utility", _("Cooperative distribution utility")
    TRANSMISSION_UTILITY = "transmission_utility", _("Transmission utility")
    ISO_RTO = "iso_rto", _("ISO / RTO")
    STATE_REGULATOR = "state_regulator", _("State regulator")
    STATE_ENERGY_OFFICE = "state_energy_office", _("State energy office")
    FEDERAL_AGENCY = "federal_agency", _("Federal agency")
    DER_DEVELOPER = "der_developer", _("DER developer or aggregator")
    NATIONAL_LAB = "national_lab", _("National lab or research organization")
    CONSUMER_ADVOCATE = "consumer_advocate", _("Consumer or underserved-community advocate")
    LOCAL_GOVERNMENT = "local_government", _("Municipal or county agency")
    ENERGY_PURCHASER = "energy_purchaser", _("Corporate or municipal energy purchaser / LSE")
    MANUFACTURER = "manufacturer", _("Grid-technology manufacturer")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    OTHER = "other", _("Other")

    @classmethod
    def label_of(cls, value: str) -> str:
        """The label of a stored value (the value itself if it is not one of ours): a lookup in the
        enumeration, where Django's `get_FOO_display` rebuilds the choices on every call (~100 µs;
        a page or an export of comments shows one per row)."""
        try:
            return str(cls(value).label)  # in the active language, as Django's display is
        except ValueError:
            return value


class Language(models.TextChoices):
    """The languages the public site and its emails speak (`settings.LANGUAGES`); each label is in its own
    language, as a language switcher shows it."""

    ENGLISH = "en", "English"
    SPANISH = "es", "Español"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an email address; `is_staff` only opens the Django admin."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    title = models.CharField(_("job title"), max_length=200, blank=True)
    stakeholder_type = models.CharField(
        _("stakeholder type"),
        max_length=32,
        choices=StakeholderType.choices,
        blank=True,
        help_text=_("For people who take part on their own; an organization's type takes precedence."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_("The language of the site and of the emails we send you."),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(_("admin access"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def effective_stakeholder_type(self) -> str:
        return (
            self.organization.type
            if self.organization_id
            else (self.stakeholder_type or StakeholderType.OTHER)
        )

    @property
    def display_name(self) -> str:
        """What other people see: the name, never the email address."""
        return self.full_name or _("Anonymous participant")


class JurisdictionKind(models.TextChoices):
    STATE = "state", _("U.S. state")
    ISO_RTO = "iso_rto", _("ISO/RTO region")
    NONE = "none", _("None (national or multi-jurisdiction)")


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.CharField(_("stakeholder type"), max_length=32, choices=StakeholderType.choices)
    jurisdiction_kind = models.CharField(
        max_length=16, choices=JurisdictionKind.choices, default=JurisdictionKind.NONE
    )
    jurisdiction = models.CharField(max_length=16, blank=True, help_text=_("State or ISO/RTO code"))
    website = models.URLField(blank=True)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="represented_organizations",
        verbose_name=_("designated representative"),
        help_text=_("Speaks for the organization: records its endorsement positions. One of its people."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(jurisdiction_kind="none", jurisdiction="") | ~Q(jurisdiction_kind="none"),
                name="organization_no_jurisdiction_when_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        valid = {JurisdictionKind.STATE: STATE_CODES, JurisdictionKind.ISO_RTO: ISO_RTO_CODES}
        if self.jurisdiction_kind == JurisdictionKind.NONE:
            if self.jurisdiction:
                raise ValidationError({"jurisdiction": _("Leave empty when the jurisdiction kind is none.")})
        elif self.jurisdiction not in valid[self.jurisdiction_kind]:
            raise ValidationError({"jurisdiction": _("Not a known code for that kind of jurisdiction.")})
        if self.representative_id and self.representative.organization_id != self.pk:
            raise ValidationError(
                {"representative": _("The representative must be one of the organization's people.")}
            )


class Initiative(models.Model):
    """The initiative itself: one row, loaded from the report by `load_initiative`."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100)
    tagline = models.CharField(max_length=300, blank=True)
    summary = models.TextField(help_text=_("Markdown"))
    governance = models.TextField(blank=True, help_text=_("Markdown"))
    engagement = models.TextField(blank=True, help_text=_("Markdown"))
    duration = models.CharField(max_length=100, help_text=_("e.g. three to four years"))
    start_date = models.DateField(help_text=_("Month 0 of the timeline"))
    source_title = models.CharField(max_length=300)
    source_publisher = models.CharField(max_length=200)
    source_year = models.PositiveSmallIntegerField()
    citation = models.TextField()

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["initiative", "number"], name="goal_unique_number")]

    def __str__(self) -> str:
        return self.title


class Gap(models.Model):
    """One of the three fundamental gaps the initiative exists to close."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="gaps")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["initiative", "number"], name="gap_unique_number")]

    def __str__(self) -> str:
        return self.title


class Body(models.Model):
    """A governing body: the steering committee or the implementation team."""

    class Kind(models.TextChoices):
        STEERING_COMMITTEE = "steering_committee", _("Steering committee")
        IMPLEMENTATION_TEAM = "implementation_team", _("Implementation team")

    kind = models.CharField(max_length=32, choices=Kind.choices, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=_("Markdown"))

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships whose term covers the given day (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class BodyMembership(models.Model):
    """A person's seat on a body, for a term. Ending a term keeps the row (the record of who served)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        STAFF = "staff", _("Staff")
        WORKSTREAM_LEAD = "workstream_lead", _("Workstream lead")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body", "role", "user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.body}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class AuditEvent(models.Model):
    """An append-only record of a change: who did what to which object, with the before and after.

    Rows are only ever inserted (by `initiative.audit.record`); the model refuses updates and deletes,
    and on PostgreSQL a trigger refuses them too.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=100, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only.")


class TaskFailure(models.Model):
    """A Celery task that gave up after its retries (any app's: see `initiative.celery.ReliableTask`),
    shown to staff until someone resolves it."""

    task_name = models.CharField(max_length=200)
    task_id = models.CharField(max_length=200, blank=True)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    exception = models.TextField()
    traceback = models.TextField(blank=True)
    failed_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-failed_at"]
        indexes = [
            models.Index(
                fields=["resolved_at"],
                name="task_failure_unresolved_idx",
                condition=Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} failed {self.failed_at:%Y-%m-%d %H:%M}"


class ApiToken(AbstractAuthToken):
    """A personal API token (django-rest-knox's token model, swapped in): knox stores only the SHA-512
    digest of the secret and an `expiry`; we add the owner's name for it, its scope and its last use.
    The secret is shown once, when it is created. Revoking deletes the row."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def is_expired(self, now=None) -> bool:
        return self.expiry is not None and self.expiry <= (now or timezone.now())


class Delivery(models.Model):
    """One email to one recipient for one event: the outbox row every fan-out writes (see
    `initiative.outbox`).

    The event key is "<kind>:<ref>" ("webinars.changed:12:3"); the kind names the registered renderer
    that rebuilds the message's context at send time, so any worker's sweep can send a row that the task
    which planned it never got to. Unique (event, email): planning twice adds nothing, so every recipient
    gets one row and one email. Sending claims the row (pending → sending, a conditional UPDATE), sends
    outside any transaction with a Message-ID derived from the row, then marks it sent.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (the event no longer stands)")
        FAILED = "failed", _("Failed (the message could not be built)")

    event = models.CharField(max_length=120)
    kind = models.CharField(max_length=80)
    email = models.EmailField()
    template = models.CharField(max_length=80)
    context = models.JSONField(
        default=dict, blank=True, help_text=_("Per-recipient extras (ids, unsubscribe path)")
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="outbox_unique_recipient")]
        indexes = [
            models.Index(fields=["event", "status"], name="outbox_event_status_idx"),
            models.Index(
                fields=["created_at"],
                name="outbox_unsent_idx",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.email} ({self.status})"


# Notifications ---------------------------------------------------------------------------------------------
class NotificationKind(models.TextChoices):
    """What a person can be told about; each person chooses per kind how it reaches their inbox."""

    VERSION_POSTED = "version_posted", _("A new version of a draft is posted")
    REVIEW_OPENED = "review_opened", _("A review or consultation opens")
    REVIEW_CLOSING = "review_closing", _("A review or consultation closes within 48 hours")
    REVIEW_CLOSED = "review_closed", _("A review or consultation closes")
    COMMENT_REPLY = "comment_reply", _("A reply in a comment thread of mine")
    COMMENT_DISPOSITION = "comment_disposition", _("A response to my comment")
    VOTE_OPENED = "vote_opened", _("A steering-committee vote opens")
    DECISION = "decision", _("A decision is made")
    PUBLICATION = "publication", _("A work product is published")
    WEBINAR_CHANGED = "webinar_changed", _("A webinar changes or is cancelled")
    ACTION_ITEM = "action_item", _("An action item is assigned to me or falls due")
    SESSION_SCHEDULED = "session_scheduled", _("A working session or workshop is scheduled")


class EmailMode(models.TextChoices):
    NONE = "none", _("No email (on the site only)")
    IMMEDIATE = "immediate", _("An email at once")
    DIGEST = "digest", _("In a daily digest")


class Subscription(models.Model):
    """A person follows a target named by a string ("workstreams.workstream:5", "consultations.review:3",
    "workstreams.issue_area:2"): the governance core knows no other app's models, so the app that owns a
    target registers how to find it (see `initiative.notifications`). Deliverables are followed through
    `consultations.Follow`, which that app's resolver reads."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    target = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "user"], name="subscription_unique")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.target}"


class NotificationEvent(models.Model):
    """Something happened that followers are told about. Raised by the service that makes it happen (in
    its transaction), keyed so that raising it twice is one event; fanned out by a task in batches, the
    `cursor` (last recipient id done) letting a rerun resume where a dead worker stopped.

    Who hears of it: everyone following one of `targets`, plus `recipients` (user ids told directly: a
    comment's author, an action item's assignee), minus `actor`, limited to `audience` when that names a
    restricted group ("workstreams.members:5"). `covered_by` names the outbox event of an email that already
    tells of this event: whoever was sent that one gets no second email for the notification."""

    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    targets = models.JSONField(default=list, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    audience = models.CharField(max_length=80, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    covered_by = models.CharField(max_length=120, blank=True)
    # {language: {"title": …, "body": …}} when the service wrote them in each language
    translations = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    cursor = models.BigIntegerField(default=0)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="notif_event_todo_idx", condition=Q(fanned_out_at=None))
        ]

    def __str__(self) -> str:
        return self.key

    def _in_language(self, field: str) -> str:
        from django.utils.translation import get_language

        return self.translations.get(get_language() or "", {}).get(field) or getattr(self, field)

    @property
    def localized_title(self) -> str:
        """The title in the language active now (the reader's page, the recipient's email)."""
        return self._in_language("title")

    @property
    def localized_body(self) -> str:
        return self._in_language("body")


class Notification(models.Model):
    """One event for one person: unique per (event, recipient), so a fan-out run twice writes nothing
    twice. `email` is how this one reaches their inbox, fixed at fan-out from their preference;
    `digested_at` marks a digest one as taken into a digest email."""

    event = models.ForeignKey(NotificationEvent, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    email = models.CharField(max_length=16, choices=EmailMode.choices, default=EmailMode.NONE)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notification_once_per_recipient")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at=None)),
            models.Index(
                fields=["recipient", "created_at"],
                name="notification_digest_idx",
                condition=Q(email="digest", digested_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """How one kind reaches one person's inbox; without a row, the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    email = models.CharField(max_length=16, choices=EmailMode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.email}"


# Governance documents: the steering committee's charter and the initiative's work plan ----------------


class GovernanceDocument(models.Model):
    """The steering committee's charter or the initiative's work plan ("a clear charter", "a clear work
    plan, in collaboration with the steering committee"). Its text lives in immutable versions; the
    current one is the latest version the committee approved."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("Steering committee charter")
        WORK_PLAN = "work_plan", _("Work plan")

    kind = models.CharField(max_length=16, choices=Kind.choices, unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One immutable text of a governance document (Markdown). `approved_at` is set by the committee's
    vote; the latest approved version is the one in force."""

    document = models.ForeignKey(GovernanceDocument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(help_text=_("Markdown"))
    change_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentApprovalQuerySet(models.QuerySet):
    def open(self):
        return self.filter(decided_at__isnull=True)


class DocumentApproval(models.Model):
    """The committee's vote on one version of a governance document, by the same rule as a deliverable's
    (`initiative.voting`): `eligible` and `quorum` fixed when submitted, a deadline, a majority rule."""

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="approvals")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField()
    eligible = models.PositiveSmallIntegerField()
    quorum = models.PositiveSmallIntegerField()
    majority = models.CharField(max_length=16, default="simple")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=24, blank=True)
    approve_count = models.PositiveSmallIntegerField(default=0)
    changes_count = models.PositiveSmallIntegerField(default=0)
    abstain_count = models.PositiveSmallIntegerField(default=0)

    objects = DocumentApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(decided_at__isnull=True),
                name="document_approval_one_open_per_version",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("submitted_at")), name="document_approval_deadline_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Vote on {self.version}"

    def accepts_votes(self, when=None) -> bool:
        return self.decided_at is None and (when or timezone.now()) < self.deadline

    @property
    def decision_label(self) -> str:
        from .voting import Decision

        return Decision(self.decision).label if self.decision in Decision.values else self.decision


class DocumentVote(models.Model):
    approval = models.ForeignKey(DocumentApproval, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=24)
    reason = models.TextField()
    cast_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cast_at"]
        constraints = [
            models.UniqueConstraint(fields=["approval", "member"], name="document_vote_one_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.choice}"
