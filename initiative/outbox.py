"""The outbox: every fan-out email goes out through here, once per recipient, and finishes after a crash.

A fan-out *plans* one `Delivery` row per recipient (unique on event and address, so planning twice adds
nothing), preferably in the transaction that makes the event happen, then a task *delivers* the event's
rows. The periodic `sweep` (beat, every minute) delivers whatever is still unsent, whichever task planned
it: a worker that dies mid-way leaves its rows pending, and the next sweep sends them, so a redelivered
task (an hour later on Redis, after the broker's visibility timeout) is only a speed-up.

Each row is sent in three steps, each committed on its own and none holding a transaction open during
the SMTP conversation: claim (a conditional UPDATE pending → sending, so two workers never both take a
row), send (with a Message-ID derived from the event and the address), mark sent. A worker killed
between the send and the mark leaves its one row "sending"; once its lease
(`NOTIFICATION_CLAIM_LEASE_SECONDS`, longer than `EMAIL_TIMEOUT`) expires the row is sent again, with the
same Message-ID. That is the bound: per crashed worker, at most the one email in flight is handed to the
mail system twice, and as the same message.

The message itself is rebuilt at send time by the renderer registered for the event's kind (see
`register`): the event's shared context from its reference, then each recipient's from the row's JSON
context. A renderer that answers None says the event (or that recipient) no longer stands — a webinar
moved again, a registration cancelled — and the rows are marked skipped instead of sent.
"""

import hashlib
import importlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from . import emails
from .celery import _transient_errors
from .models import Delivery

logger = logging.getLogger(__name__)

BATCH = 200


@dataclass(frozen=True)
class Kind:
    """How to rebuild the messages of one kind of event.

    `shared(ref)` returns the context every recipient's message shares (re-fetched objects), or None when
    the event no longer stands. `personal(shared, row_context)` returns the recipient's own
    `{"context": {...}, "attachments": [...]}`, or None to skip that recipient; without it the row's
    JSON context is merged as it is. A context with an `unsubscribe_path` gets a List-Unsubscribe
    header, and List-Unsubscribe-Post (RFC 8058) when the kind's link takes a one-click POST."""

    name: str
    shared: Callable[[str], dict | None]
    personal: Callable[[dict, dict], dict | None] | None = None
    one_click_unsubscribe: bool = True


_KINDS: dict[str, Kind] = {}


def register(name: str, *, shared, personal=None, one_click_unsubscribe: bool = True) -> Kind:
    """Register the renderer of `name` ("<app>.<event>", defined in that app's `tasks` module, where
    the outbox looks for it when a row of an unknown kind comes up)."""
    kind = Kind(name=name, shared=shared, personal=personal, one_click_unsubscribe=one_click_unsubscribe)
    _KINDS[name] = kind
    return kind


def _kind(name: str) -> Kind:
    if name not in _KINDS:
        importlib.import_module(f"{name.split('.', 1)[0]}.tasks")
    return _KINDS[name]


def event_key(kind: str, ref) -> str:
    return f"{kind}:{ref}"


def message_id(event: str, email: str) -> str:
    """The same for every attempt at one row: a resend after a crash is the same message."""
    digest = hashlib.sha256(f"{event}|{email.lower()}".encode()).hexdigest()[:32]
    domain = urlparse(settings.SITE_URL).hostname or "der-initiative.example"
    readable = re.sub(r"[^A-Za-z0-9.-]+", ".", event)[:60].strip(".")
    return f"<{readable}.{digest}@{domain}>"


def plan(*, kind: str, ref, template: str, recipients: dict[str, dict]) -> str:
    """Create the event's rows for {address: per-recipient JSON context}; returns the event key.
    Idempotent. Call it inside the transaction that makes the event happen where one exists, so the
    rows exist exactly when the event does."""
    event = event_key(kind, ref)
    rows = [
        Delivery(
            event=event,
            kind=kind,
            email=email.lower(),
            template=template,
            context=ctx,
            message_id=message_id(event, email),
        )
        for email, ctx in recipients.items()
        if email
    ]
    Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return event


@dataclass
class Progress:
    sent: int = 0
    skipped: int = 0
    pending: int = 0
    in_flight: int = 0  # claimed by a (possibly dead) worker whose lease has not expired
    failed: int = 0
    events: set[str] = field(default_factory=set)

    @property
    def done(self) -> bool:
        return self.pending == 0 and self.in_flight == 0


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_CLAIM_LEASE_SECONDS)


def _claimable(now) -> Q:
    return Q(status=Delivery.Status.PENDING) | Q(
        status=Delivery.Status.SENDING, claimed_at__lt=now - _lease()
    )


def _skip(pks) -> int:
    return Delivery.objects.filter(pk__in=pks, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SKIPPED, claimed_at=None
    )


def _send_row(row: Delivery, shared: dict, kind: Kind) -> bool:
    """Send one claimed row; False when its recipient no longer stands (marked skipped)."""
    attachments = []
    if kind.personal is not None:
        own = kind.personal(shared, row.context)
        if own is None:
            _skip([row.pk])
            return False
        context = {**shared, **own.get("context", {})}
        attachments = own.get("attachments", [])
    else:
        context = {**shared, **row.context}
    headers = {"Message-ID": row.message_id}
    unsubscribe = context.get("unsubscribe_path")
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{settings.SITE_URL}{unsubscribe}>"
        if kind.one_click_unsubscribe:
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    try:
        emails.send(
            template=row.template,
            to=[row.email],
            context=context,
            headers=headers,
            attachments=attachments,
            language=context.get("language"),  # the recipient's, when the plan or `personal` gave one
        )
    except _transient_errors():
        # not sent: give the row back at once, so the task's retry or the next sweep takes it
        Delivery.objects.filter(pk=row.pk, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.PENDING, claimed_at=None
        )
        raise
    Delivery.objects.filter(pk=row.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now()
    )
    return True


def deliver(event: str | None = None, *, limit: int | None = None) -> Progress:
    """Send the claimable rows of `event` (of every event when None), at most `limit`, oldest first,
    then report what is left. Runs outside any transaction: each claim and each mark commits at once,
    and no lock is held while mailing."""
    progress = Progress()
    budget = limit if limit is not None else 10**9
    shared_of: dict[str, dict | None] = {}
    scope = Q(event=event) if event is not None else Q()
    tried: set[int] = set()  # a row given back after a failed send waits for the next run
    transient: Exception | None = None
    while budget > 0:
        now = timezone.now()
        ids = list(
            Delivery.objects.filter(_claimable(now), scope)
            .exclude(pk__in=tried)
            .order_by("id")
            .values_list("id", flat=True)[: min(BATCH, budget)]
        )
        if not ids:
            break
        for pk in ids:
            if budget <= 0:
                break
            tried.add(pk)
            now = timezone.now()
            claimed = Delivery.objects.filter(_claimable(now), pk=pk).update(
                status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
            )
            if not claimed:
                continue  # another worker has it
            budget -= 1
            row = Delivery.objects.get(pk=pk)
            progress.events.add(row.event)
            try:
                kind = _kind(row.kind)
                if row.event not in shared_of:
                    shared_of[row.event] = kind.shared(row.event.split(":", 1)[1])
                shared = shared_of[row.event]
                if shared is None:
                    _skip([pk])
                    progress.skipped += 1
                elif _send_row(row, shared, kind):
                    progress.sent += 1
                else:
                    progress.skipped += 1
            except _transient_errors() as exc:  # given back as pending: the retry or the next sweep
                transient = transient or exc
                progress.failed += 1
            except Exception:  # a message that cannot be built: set aside, visible, never retried
                logger.exception("Outbox row %s (%s → %s) cannot be sent", pk, row.event, row.email)
                Delivery.objects.filter(pk=pk, status=Delivery.Status.SENDING).update(
                    status=Delivery.Status.FAILED, claimed_at=None
                )
                progress.failed += 1
    if transient is not None and event is not None:
        raise transient  # the event's task retries with backoff; the sweep just runs again next minute
    now = timezone.now()
    rest = Delivery.objects.filter(scope).filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    )
    progress.pending = rest.filter(_claimable(now)).count()
    progress.in_flight = rest.count() - progress.pending
    return progress


def sweep(*, limit: int | None = None) -> Progress:
    """Send every row still unsent (a dead worker's lease expired, or a task that never ran): what the
    beat schedule runs every minute. Safe to run any number of times, by any number of workers at once."""
    progress = deliver(None, limit=limit if limit is not None else settings.NOTIFICATION_BATCH_PER_RUN)
    if progress.sent or progress.skipped or progress.failed:
        logger.info(
            "Outbox sweep sent %s, skipped %s, failed %s, %s left",
            progress.sent,
            progress.skipped,
            progress.failed,
            progress.pending,
        )
    return progress
