"""The interfaces between Track 1's actors: for each pair, the data exchanged (what, which way, how
fast, why, for which functions and in which operating models). An exchange that applies to every adopted
model is a common feature — the report's candidates for "further development and standardization
[that] would benefit all architectural models and jurisdictions (e.g., interface definitions, data
exchange content between actors)". Exchanges link to Track 2 topics (Workstream C's data access work)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .framework import Actor, GridFunction, OperatingModel
from .lifecycle import Topic


class Direction(models.TextChoices):
    ONE_WAY = "one_way", _("One way: sender to receiver")
    BOTH_WAYS = "both_ways", _("Both ways")


class Timing(models.TextChoices):
    """How fast the data must arrive, coarsely; `latency` says it exactly where known."""

    REAL_TIME = "real_time", _("Real time (seconds)")
    NEAR_REAL_TIME = "near_real_time", _("Near real time (minutes)")
    DAY_AHEAD = "day_ahead", _("Day ahead / scheduling")
    PERIODIC = "periodic", _("Periodic (hourly to monthly batches)")
    PLANNING = "planning", _("Planning cycle")
    ON_EVENT = "on_event", _("On request or on an event")


class DataExchange(models.Model):
    """One data item one actor sends another. The pair page shows both directions; `direction` both
    ways means each side sends it to the other."""

    sender = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="exchanges_sent")
    receiver = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="exchanges_received")
    data_item = models.CharField(max_length=300)
    direction = models.CharField(max_length=16, choices=Direction.choices, default=Direction.ONE_WAY)
    timing = models.CharField(max_length=16, choices=Timing.choices, default=Timing.ON_EVENT)
    latency = models.CharField(max_length=200, blank=True, help_text=_("e.g. “every 4 seconds”"))
    purpose = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    functions = models.ManyToManyField(GridFunction, blank=True, related_name="exchanges")
    applies_to = models.ManyToManyField(OperatingModel, blank=True, related_name="exchanges")
    topics = models.ManyToManyField(Topic, blank=True, related_name="exchanges")
    slug = models.SlugField(unique=True, null=True, blank=True, help_text=_("Set for rows from the report"))
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sender__order", "receiver__order", "data_item"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=F("receiver")), name="exchange_two_actors"),
            models.UniqueConstraint(fields=["sender", "receiver", "data_item"], name="exchange_unique_item"),
        ]

    def __str__(self) -> str:
        return self.data_item

    def get_absolute_url(self) -> str:
        a, b = self.pair_slugs()
        return reverse("workstreams:interfaces-pair", kwargs={"a": a, "b": b}) + f"#exchange-{self.pk}"

    def pair_slugs(self) -> tuple[str, str]:
        a, b = self.sender, self.receiver
        return (a.slug, b.slug) if (a.order, a.pk) <= (b.order, b.pk) else (b.slug, a.slug)
