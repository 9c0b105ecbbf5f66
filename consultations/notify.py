"""Sending one email per recipient per event, exactly once as far as the database can tell.

`plan` inserts one Delivery row per recipient (unique on event+email, so planning twice adds nothing);
`deliver` claims each pending row with a conditional UPDATE (pending → sending), sends it with a
Message-ID derived from (event, recipient), and marks it sent. Each step commits on its own, so a
worker killed at any point leaves every row either pending (never sent: the rerun sends it), sent
(the rerun skips it), or sending (killed between the claim and the mark). A "sending" row is taken
again only after its lease has expired, and is resent with the *same* Message-ID, so the rare resend
after a crash between the SMTP server's acceptance and our mark is recognizable as the same message.
See docs/ARCHITECTURE.md, "Delivery guarantee".
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from initiative import emails

from .models import Delivery

BATCH = 200


def message_id(event: str, email: str) -> str:
    digest = hashlib.sha256(f"{event}|{email.lower()}".encode()).hexdigest()[:32]
    domain = urlparse(settings.SITE_URL).hostname or "der-initiative.example"
    return f"<{event.replace(':', '.')}.{digest}@{domain}>"


def plan(event: str, template: str, recipients: dict[str, dict]) -> int:
    """Create the delivery rows for {email: per-recipient context}. Idempotent."""
    rows = [
        Delivery(
            event=event,
            email=email.lower(),
            template=template,
            context=ctx,
            message_id=message_id(event, email),
        )
        for email, ctx in recipients.items()
    ]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


@dataclass
class Progress:
    sent: int = 0
    pending: int = 0
    in_flight: int = 0  # claimed by a (possibly dead) worker whose lease has not expired

    @property
    def done(self) -> bool:
        return self.pending == 0 and self.in_flight == 0


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS)


def _claimable(now):
    return Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - _lease()
    )


def deliver(event: str, *, context: dict, limit: int | None = None) -> Progress:
    """Send the claimable deliveries of `event` (at most `limit`), then report what is left.
    Must run outside a transaction: each claim and each mark commits at once."""
    progress = Progress()
    budget = limit if limit is not None else 10**9
    while budget > 0:
        now = timezone.now()
        ids = list(
            Delivery.objects.filter(_claimable(now), event=event)
            .order_by("id")
            .values_list("id", flat=True)[: min(BATCH, budget)]
        )
        if not ids:
            break
        for pk in ids:
            now = timezone.now()
            claimed = Delivery.objects.filter(_claimable(now), pk=pk).update(
                status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
            if not claimed:
                continue  # another worker has it
            row = Delivery.objects.get(pk=pk)
            headers = {"Message-ID": row.message_id}
            unsubscribe = row.context.get("unsubscribe_path")
            if unsubscribe:
                headers["List-Unsubscribe"] = f"<{settings.SITE_URL}{unsubscribe}>"
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            try:
                emails.send(
                    template=row.template, to=[row.email], context={**context, **row.context}, headers=headers
                )
            except Exception:
                # not sent: give the row back so a retry takes it at once
                Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(
                    status=Delivery.Status.PENDING, claimed_at=None
                )
                raise
            Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(
                status=Delivery.Status.SENT, sent_at=timezone.now()
            )
            progress.sent += 1
            budget -= 1
    now = timezone.now()
    rest = Delivery.objects.filter(event=event).exclude(status=Delivery.Status.SENT)
    progress.pending = rest.filter(_claimable(now)).count()
    progress.in_flight = rest.count() - progress.pending
    return progress
