"""Writes of endorsements: staff open and close a window on one exact version; an organization's
designated representative records (and may change) its position while the window is open.

Every service: check permission and state → lock the window's row → change → audit row → effects after
commit. Whether a position may still be recorded is decided by the clock (`window.is_open(now)`), under
the window's lock, so a position and an early close cannot cross.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, policy
from initiative.models import Organization
from workstreams.models import Deliverable, ReviewStage

from ..models import DISSENT, DraftVersion, Endorsement, EndorsementWindow, Position
from ..selectors.endorsements import participating_organizations

STATEMENT_MAX = 5000
# A window can be opened until the deliverable goes to the committee (the positions inform the vote).
OPENABLE_STAGES = {
    ReviewStage.DRAFTING,
    ReviewStage.MEMBER_REVIEW,
    ReviewStage.PUBLIC_CONSULTATION,
    ReviewStage.REVISING,
    ReviewStage.CHANGES_REQUESTED,
}


class EndorsementError(Exception):
    """A refused endorsement action; `code` names the rule (closed, not_representative, …)."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


def endorsement_window_open(
    *,
    actor,
    version: DraftVersion,
    closes_at: datetime,
    opens_at: datetime | None = None,
    now: datetime | None = None,
) -> EndorsementWindow:
    """Open the endorsement window on `version`. One window per version; refused once the deliverable
    has gone to the committee. Representatives are told after commit."""
    from ..tasks import endorsements as tasks

    now = now or timezone.now()
    deliverable = version.deliverable
    policy.require(actor, "consultations.manage_endorsements", deliverable)
    opens_at = opens_at or now
    if timezone.is_naive(closes_at) or timezone.is_naive(opens_at):
        raise EndorsementError("dates", _("Give dates with a time zone."))
    if closes_at <= opens_at or closes_at <= now:
        raise EndorsementError("dates", _("The window must close after it opens, and in the future."))
    with transaction.atomic():
        # lock: the deliverable row, as the workflow does, so a window is not opened while it is being
        # submitted and two staff cannot open two windows on one version
        locked = Deliverable.objects.select_for_update(no_key=True).get(pk=deliverable.pk)
        if locked.stage not in OPENABLE_STAGES:
            raise EndorsementError(
                "stage", _("Endorsements are gathered before the deliverable goes to the committee.")
            )
        if EndorsementWindow.objects.filter(version=version).exists():
            raise EndorsementError("exists", _("This version already has an endorsement window."))
        window = EndorsementWindow.objects.create(
            version=version,
            deliverable=locked,
            opens_at=opens_at,
            closes_at=closes_at,
            opened_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
        )
        audit.record(
            actor=actor,
            action="endorsement_window.open",
            obj=window,
            after={
                "version": version.number,
                "opens_at": opens_at.isoformat(),
                "closes_at": closes_at.isoformat(),
            },
        )
        tasks.notify_endorsement_opened.delay_on_commit(window.pk)
    return window


def endorsement_window_close(*, actor, window: EndorsementWindow, now: datetime | None = None) -> bool:
    """Close the window now (before its end). False if it had already closed."""
    policy.require(actor, "consultations.manage_endorsements", window.deliverable)
    now = now or timezone.now()
    with transaction.atomic():
        # lock: serializes the close with positions being recorded
        locked = EndorsementWindow.objects.select_for_update(no_key=True).get(pk=window.pk)
        if not locked.is_open(now) and locked.opens_at <= now:
            return False
        locked.closed_at = max(now, locked.opens_at)
        locked.save(update_fields=["closed_at"])
        audit.record(
            actor=actor,
            action="endorsement_window.close",
            obj=locked,
            after={"closed_at": locked.closed_at.isoformat()},
        )
    window.closed_at = locked.closed_at
    return True


def endorsement_record(
    *,
    actor,
    window: EndorsementWindow,
    organization: Organization,
    position: str,
    statement: str = "",
    withhold_statement: bool = False,
    now: datetime | None = None,
) -> Endorsement:
    """Record or change `organization`'s position in `window`.

    Only the organization's designated representative may, only for an organization taking part in the
    deliverable's workstream, and only while the window is open (by the clock). "With reservations" and
    "cannot endorse" need a statement; `withhold_statement` keeps a dissenting statement off public pages.
    """
    now = now or timezone.now()
    if not getattr(actor, "is_authenticated", False) or organization.representative_id != actor.pk:
        raise PermissionDenied(_("Only the organization's designated representative records its position."))
    if position not in Position.values:
        raise EndorsementError("position", _("Choose a position."))
    statement = (statement or "").strip()
    if position in DISSENT and not statement:
        raise EndorsementError("statement", _("Say why: this position needs a statement."))
    if len(statement) > STATEMENT_MAX:
        raise EndorsementError(
            "statement", _("The statement is limited to %(n)d characters.") % {"n": STATEMENT_MAX}
        )
    if any(ord(c) < 32 and c not in "\n\r\t" for c in statement):
        raise EndorsementError("statement", _("The statement contains control characters."))
    with transaction.atomic():
        # lock: the window, so a position is never recorded after a concurrent early close, and two
        # submissions of one organization become one row and one change
        locked = EndorsementWindow.objects.select_for_update(no_key=True).get(pk=window.pk)
        if not locked.is_open(now):
            raise EndorsementError("closed", _("The endorsement window is not open."))
        if not participating_organizations(locked.deliverable).filter(pk=organization.pk).exists():
            raise EndorsementError(
                "not_participating", _("This organization does not take part in this workstream.")
            )
        existing = Endorsement.objects.filter(window=locked, organization=organization).first()
        fields = {
            "position": position,
            "statement": statement,
            "withhold_statement": bool(withhold_statement) and position in DISSENT,
        }
        if existing is None:
            row = Endorsement.objects.create(
                window=locked,
                organization=organization,
                stakeholder_type=organization.type,
                recorded_by=actor,
                recorded_at=now,
                **fields,
            )
            audit.record(actor=actor, action="endorsement.record", obj=row, after=fields)
            return row
        before = {k: getattr(existing, k) for k in fields}
        for k, v in fields.items():
            setattr(existing, k, v)
        existing.recorded_by = actor
        existing.changed_at = now
        existing.save(update_fields=[*fields, "recorded_by", "changed_at"])
        audit.record(actor=actor, action="endorsement.change", obj=existing, before=before, after=fields)
        return existing
