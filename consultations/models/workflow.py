"""The review workflow's records: the history of stage changes, who follows a deliverable, the public
mailing list. The row per email sent is the governance core's outbox (`initiative.models.Delivery`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import Language
from workstreams.models import ReviewStage


def new_token() -> str:
    return secrets.token_urlsafe(24)


class DeliverableTransition(models.Model):
    """One stage change of a deliverable: who, when, from, to, why. Written only by
    `consultations.services.workflow.deliverable_transition`, never updated."""

    deliverable = models.ForeignKey(
        "workstreams.Deliverable", on_delete=models.CASCADE, related_name="transitions"
    )
    name = models.CharField(max_length=40, help_text=_("The transition's name in consultations.workflow"))
    from_stage = models.CharField(max_length=32, choices=ReviewStage.choices)
    to_stage = models.CharField(max_length=32, choices=ReviewStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the system (a periodic task) moved it"),
    )
    reason = models.TextField(blank=True)
    version = models.ForeignKey(
        "consultations.DraftVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    waivers = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("Requirements of the move that staff waived: {requirement name: reason}"),
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.deliverable}: {self.from_stage} → {self.to_stage}"

    @property
    def waiver_list(self) -> list[tuple[str, str]]:
        """(what was waived, why) for the history table."""
        from ..workflow import REQUIREMENTS

        return [
            (str(REQUIREMENTS[name].waiver_label) if name in REQUIREMENTS else name, why)
            for name, why in (self.waivers or {}).items()
        ]


class Follow(models.Model):
    """A signed-in person follows a deliverable: told when its consultation opens and when it is decided."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    deliverable = models.ForeignKey(
        "workstreams.Deliverable", on_delete=models.CASCADE, related_name="follows"
    )
    token = models.CharField(
        max_length=64, unique=True, default=new_token, help_text=_("For the unsubscribe link")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "deliverable"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.deliverable}"


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    """An address on the public consultations mailing list (double opt-in; unsubscribing keeps the row)."""

    email = models.EmailField(unique=True)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    # The language the address signed up in: the list's emails are sent in it.
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    def __str__(self) -> str:
        return self.email
