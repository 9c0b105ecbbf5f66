"""Related efforts: outside work the initiative builds on rather than duplicates (task forces, research
programs, regulatory proceedings), linked to the workstreams and topics they bear on."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import Topic
from .workstreams import Workstream


class EffortKind(models.TextChoices):
    TASK_FORCE = "task_force", _("Task force or collaborative")
    RESEARCH = "research", _("Research program")
    PROCEEDING = "proceeding", _("Regulatory proceeding")
    STANDARD = "standard", _("Standard")
    INITIATIVE = "initiative", _("Initiative abroad or elsewhere")
    OTHER = "other", _("Other")


class EffortOrigin(models.TextChoices):
    REPORT = "report", _("From the report")
    STAFF = "staff", _("Added or edited by staff")


class RelatedEffort(models.Model):
    """An outside effort. Rows from the report (`origin=report`) are kept in line with the content file
    by the loader until staff edit them; from then on (`origin=staff`) the loader leaves them alone."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    led_by = models.CharField(_("led by"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EffortKind.choices, default=EffortKind.OTHER)
    description = models.TextField(_("what it is"), blank=True)
    relevance = models.TextField(_("how the initiative builds on it"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    workstreams = models.ManyToManyField(Workstream, blank=True, related_name="related_efforts")
    topics = models.ManyToManyField(Topic, blank=True, related_name="related_efforts")
    origin = models.CharField(max_length=8, choices=EffortOrigin.choices, default=EffortOrigin.STAFF)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
