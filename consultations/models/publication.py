"""Publication: redactions marked on the approved version, and the published copy rendered from it.

A published copy is never changed; a correction is a new version through the whole workflow and a new
Publication row. The original text stays in the DraftVersion, which only staff and the committee see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative import readcache


class Redaction(models.Model):
    """A span [start, end) of one paragraph's Markdown in `version`, withheld for `reason`."""

    class Reason(models.TextChoices):
        COMMERCIAL = "commercial", _("Commercial")
        SECURITY = "security", _("Security")
        PRIVACY = "privacy", _("Privacy")

    version = models.ForeignKey(
        "consultations.DraftVersion", on_delete=models.PROTECT, related_name="redactions"
    )
    paragraph_key = models.CharField(max_length=32)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, choices=Reason.choices)
    note = models.TextField(blank=True, help_text=_("Internal: why (never published)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["version", "paragraph_key", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="redaction_span")]

    def __str__(self) -> str:
        return f"Redaction ({self.reason}) in {self.paragraph_key}"

    @property
    def notice(self) -> str:
        return f"[Redacted — {self.get_reason_display()}]"


class PublicationQuerySet(readcache.StaleOnUpdate):
    stale_groups = ("drafts",)  # cached versions say whether they are published (its render updates)

    def public(self):
        return self.filter(rendered_at__isnull=False)


class Publication(models.Model):
    """The public copy of an approved version: redacted Markdown, HTML and PDF, and its citation."""

    deliverable = models.ForeignKey(
        "workstreams.Deliverable", on_delete=models.PROTECT, related_name="publications"
    )
    version = models.OneToOneField(
        "consultations.DraftVersion", on_delete=models.PROTECT, related_name="publication"
    )
    approval = models.ForeignKey(
        "consultations.Approval", on_delete=models.PROTECT, related_name="publications"
    )
    title = models.CharField(max_length=300)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(blank=True, help_text=_("Redacted Markdown (filled by the render task)"))
    html = models.TextField(blank=True, help_text=_("Redacted, sanitized HTML"))
    pdf = models.BinaryField(blank=True, default=b"")
    citation = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    redaction_count = models.PositiveSmallIntegerField(default=0)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title
