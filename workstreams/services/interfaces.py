"""Writes on the interfaces between actors: Workstream A members and staff record, change and remove the
data exchanged between two actors. Each checks the policy, locks, changes and writes the audit log in one
transaction; a change made on a stale form is refused rather than overwriting someone else's."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, policy

from ..models import Actor, DataExchange, Direction, GridFunction, OperatingModel, Timing, Topic
from ..selectors.framework import TRACK2_NUMBER

FIELDS = ["sender", "receiver", "data_item", "direction", "timing", "latency", "purpose", "source"]


class InterfaceError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ExchangeData:
    sender: Actor
    receiver: Actor
    data_item: str
    direction: str = Direction.ONE_WAY
    timing: str = Timing.ON_EVENT
    latency: str = ""
    purpose: str = ""
    source: str = ""
    functions: Sequence[GridFunction] = ()
    models: Sequence[OperatingModel] = ()
    topics: Sequence[Topic] = ()


def _check(data: ExchangeData) -> None:
    data.data_item = " ".join((data.data_item or "").split())[:300]
    if not data.data_item:
        raise InterfaceError("data_item", _("Say what data is exchanged."))
    if data.sender.pk == data.receiver.pk:
        raise InterfaceError("receiver", _("Choose two different actors."))
    if data.direction not in Direction.values or data.timing not in Timing.values:
        raise ValueError((data.direction, data.timing))
    if any(t.workstream.track.number != TRACK2_NUMBER for t in data.topics):
        raise InterfaceError("topics", _("Link only topics of Track 2 workstreams."))


def _snapshot(exchange: DataExchange) -> dict:
    return audit.snapshot(exchange, FIELDS) | {
        "functions": sorted(f.slug for f in exchange.functions.all()),
        "models": sorted(m.slug for m in exchange.applies_to.all()),
        "topics": sorted(t.pk for t in exchange.topics.all()),
    }


def _save(exchange: DataExchange, data: ExchangeData) -> None:
    for name in FIELDS:
        setattr(
            exchange,
            name,
            getattr(data, name).strip() if isinstance(getattr(data, name), str) else getattr(data, name),
        )
    try:
        with transaction.atomic():
            exchange.save()
    except IntegrityError as exc:
        raise InterfaceError(
            "data_item", _("These two actors already have an exchange with that data item.")
        ) from exc
    exchange.functions.set(data.functions)
    exchange.applies_to.set(data.models)
    exchange.topics.set(data.topics)


def exchange_create(*, actor, data: ExchangeData) -> DataExchange:
    policy.require(actor, "workstreams.edit_interfaces")
    _check(data)
    with transaction.atomic():
        exchange = DataExchange(created_by=actor, updated_at=timezone.now())
        _save(exchange, data)
        audit.record(actor=actor, action="data_exchange.create", obj=exchange, after=_snapshot(exchange))
    return exchange


def exchange_update(*, actor, exchange: DataExchange, data: ExchangeData, seen_revision: int | None = None):
    policy.require(actor, "workstreams.edit_interfaces", exchange)
    _check(data)
    with transaction.atomic():
        locked = DataExchange.objects.select_for_update(no_key=True).get(pk=exchange.pk)  # lock: one editor
        if seen_revision is not None and seen_revision != locked.revision:
            raise InterfaceError(
                "stale", _("Someone else changed this exchange while you were editing it; here is theirs.")
            )
        before = _snapshot(locked)
        locked.revision += 1
        locked.updated_at = timezone.now()
        _save(locked, data)
        audit.record(
            actor=actor, action="data_exchange.update", obj=locked, before=before, after=_snapshot(locked)
        )
    return locked


def exchange_delete(*, actor, exchange: DataExchange) -> None:
    policy.require(actor, "workstreams.edit_interfaces", exchange)
    with transaction.atomic():
        audit.record(actor=actor, action="data_exchange.delete", obj=exchange, before=_snapshot(exchange))
        exchange.delete()
