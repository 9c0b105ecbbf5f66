"""Writes of consultation outreach: staff invite stakeholder types and organizations to a public
consultation (by email, through the outbox: one row per recipient, nothing sent twice), and the sweep
that reminds, once, the invited organizations that have not answered two days before the close.

Invitations are rows unique per (consultation, organization), planned in the transaction that creates
them; the reminder's mark (`Outreach.reminded_at`) is set in the transaction that plans its rows.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, emails, policy
from initiative.models import Organization, StakeholderType

from ..models import Outreach, OutreachInvitation, Review

# The reminder goes this long before the consultation closes.
REMINDER_BEFORE = timedelta(days=2)


class OutreachError(Exception):
    """A refused outreach action (not a public consultation, already closed, unknown type)."""


def default_stakeholder_types(workstream) -> list[str]:
    """The workstream's stakeholder list from the report: the types it should engage."""
    return list(workstream.stakeholders.values_list("type", flat=True))


def organization_recipients(organization_ids) -> dict[int, list[str]]:
    """{organization id: addresses}: its designated representative, or, without one, its active people."""
    from initiative.models import User

    out: dict[int, list[str]] = {}
    reps = Organization.objects.filter(pk__in=organization_ids, representative__is_active=True)
    for org_id, email in reps.values_list("pk", "representative__email"):
        out[org_id] = [email.lower()]
    rest = [pk for pk in organization_ids if pk not in out]
    for org_id, email in User.objects.filter(organization_id__in=rest, is_active=True).values_list(
        "organization_id", "email"
    ):
        out.setdefault(org_id, []).append(email.lower())
    return out


def outreach_invite(
    *,
    actor,
    review: Review,
    stakeholder_types=(),
    organizations=(),
    now: datetime | None = None,
) -> list[OutreachInvitation]:
    """Invite every organization of `stakeholder_types` and each of `organizations` to the public
    consultation `review`. Organizations invited before are not invited (nor emailed) again. Returns
    the new invitations; their emails go out after commit."""
    from ..tasks import outreach as tasks

    policy.require(actor, "consultations.manage_outreach", review)
    now = now or timezone.now()
    types = sorted(set(stakeholder_types))
    if any(t not in StakeholderType.values for t in types):
        raise OutreachError(_("Unknown stakeholder type."))
    if review.kind != Review.Kind.PUBLIC_CONSULTATION:
        raise OutreachError(_("Outreach is for public consultations."))
    if review.effective_close <= now:
        raise OutreachError(_("This consultation has closed."))
    chosen = {o.pk for o in organizations}
    targets = list(Organization.objects.filter(type__in=types) | Organization.objects.filter(pk__in=chosen))
    with transaction.atomic():
        outreach, _created = Outreach.objects.get_or_create(
            review=review, defaults={"created_by": actor, "created_at": now}
        )
        # lock: two staff inviting at once add each organization once and plan its email once
        outreach = Outreach.objects.select_for_update(no_key=True).get(pk=outreach.pk)
        before = list(outreach.stakeholder_types)
        outreach.stakeholder_types = sorted(set(before) | set(types))
        outreach.save(update_fields=["stakeholder_types"])
        known = set(outreach.invitations.values_list("organization_id", flat=True))
        new = [
            OutreachInvitation(
                outreach=outreach, organization=o, stakeholder_type=o.type, invited_by=actor, invited_at=now
            )
            for o in targets
            if o.pk not in known
        ]
        OutreachInvitation.objects.bulk_create(new)
        recipients = organization_recipients([i.organization_id for i in new])
        languages = emails.languages_of(e for addresses in recipients.values() for e in addresses)
        tasks.invitations_plan(
            review_id=review.pk,
            recipients={
                email: {"organization_id": i.organization_id, "language": languages.get(email)}
                for i in new
                for email in recipients.get(i.organization_id, [])
            },
        )
        audit.record(
            actor=actor,
            action="outreach.invite",
            obj=review,
            before={"stakeholder_types": before},
            after={
                "stakeholder_types": outreach.stakeholder_types,
                "organizations": sorted(i.organization_id for i in new),
            },
        )
        tasks.deliver_outreach.delay_on_commit(review.pk, tasks.INVITED)
    return new


def outreach_reminders_sweep(*, now: datetime | None = None) -> int:
    """Plan the one reminder of every open consultation closing within two days whose reminder has
    not been planned: to the invited organizations that have not commented. Selects by state, so a
    rerun plans nothing twice. Returns the number of consultations reminded."""
    from ..selectors.outreach import responded_organization_ids
    from ..tasks import outreach as tasks

    now = now or timezone.now()
    due = Outreach.objects.filter(
        reminded_at__isnull=True,
        review__opens_at__lte=now,
        review__closes_at__gt=now,
        review__closes_at__lte=now + REMINDER_BEFORE,
        review__closed_at__isnull=True,
    ).values_list("pk", flat=True)
    done = 0
    for pk in due:
        with transaction.atomic():
            # lock: the sweep may run twice at once; the mark is set under the lock with the rows
            outreach = (
                Outreach.objects.select_for_update(no_key=True)
                .select_related("review")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if outreach is None:
                continue
            answered = responded_organization_ids(outreach.review)
            silent = [
                org_id
                for org_id in outreach.invitations.values_list("organization_id", flat=True)
                if org_id not in answered
            ]
            recipients = organization_recipients(silent)
            languages = emails.languages_of(e for addresses in recipients.values() for e in addresses)
            tasks.reminders_plan(
                review_id=outreach.review_id,
                recipients={
                    e: {"organization_id": o, "language": languages.get(e)}
                    for o in silent
                    for e in recipients.get(o, [])
                },
            )
            outreach.reminded_at = now
            outreach.save(update_fields=["reminded_at"])
            audit.record(
                actor=None,
                action="outreach.remind",
                obj=outreach.review,
                after={"organizations": silent},
            )
            tasks.deliver_outreach.delay_on_commit(outreach.review_id, tasks.REMINDER)
            done += 1
    return done
