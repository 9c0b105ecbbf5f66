"""Targeted outreach for a public consultation: the stakeholder types and organizations staff invited,
so a page can show who was asked against who answered, and a reminder can go, once, to those who did
not answer before the consultation closes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative.models import StakeholderType


class Outreach(models.Model):
    """The outreach of one public consultation: the stakeholder types invited (a gap is a type with no
    response) and the idempotency mark of the one reminder."""

    review = models.OneToOneField("consultations.Review", on_delete=models.CASCADE, related_name="outreach")
    stakeholder_types = models.JSONField(default=list, blank=True, help_text=_("Types invited"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(
        null=True, blank=True, help_text=_("The reminder to organizations that had not answered was planned")
    )

    def __str__(self) -> str:
        return f"Outreach for {self.review}"


class OutreachInvitation(models.Model):
    """One organization invited to one consultation (unique): its email goes out once, through the
    outbox, to its designated representative or, without one, to its people."""

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="invitations")
    organization = models.ForeignKey(
        "initiative.Organization", on_delete=models.PROTECT, related_name="outreach_invitations"
    )
    stakeholder_type = models.CharField(
        max_length=32, choices=StakeholderType.choices, help_text=_("The organization's type when invited")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stakeholder_type", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["outreach", "organization"], name="outreach_one_per_organization")
        ]

    def __str__(self) -> str:
        return f"{self.organization} invited to {self.outreach.review}"
