"""Reads of the interfaces between actors: the data exchanged per pair of actors, and which exchanges are
common to every adopted operating model — the candidates for standardization. A fixed number of queries
per page, whatever the number of exchanges."""

from collections.abc import Iterable, Sequence
from itertools import combinations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from ..models import Actor, DataExchange, OperatingModel, Topic
from .framework import TRACK2_NUMBER, operating_models

DATA_WORKSTREAM = "C"  # Workstream C (data access and communication) comes first among the topics


def is_common(model_ids: Iterable[int], adopted_ids: Iterable[int]) -> bool:
    """An exchange is common to all adopted models when it applies to every one of them (and there is an
    adopted set at all)."""
    adopted = set(adopted_ids)
    return bool(adopted) and adopted <= set(model_ids)


def common_features(exchanges: Sequence, adopted_ids: Iterable[int]) -> list:
    """The exchanges that apply to every adopted model; `exchanges` carry their model ids in
    `model_ids` (as `exchange_list` sets them)."""
    adopted = list(adopted_ids)
    return [e for e in exchanges if is_common(e.model_ids, adopted)]


def exchange_list(queryset=None) -> list[DataExchange]:
    """Exchanges with their actors, functions, models and topics; each gets `model_ids` and `common`."""
    queryset = queryset if queryset is not None else DataExchange.objects.all()
    rows = list(
        queryset.select_related("sender", "receiver").prefetch_related(
            "functions",
            Prefetch("applies_to", queryset=OperatingModel.objects.order_by("position", "name")),
            Prefetch("topics", queryset=Topic.objects.select_related("workstream")),
        )
    )
    adopted = [m.pk for m in operating_models()]
    for row in rows:
        row.model_ids = {m.pk for m in row.applies_to.all()}
        row.common = is_common(row.model_ids, adopted)
    return rows


def _key(a: Actor, b: Actor) -> tuple:
    return tuple(sorted([(a.order, a.pk), (b.order, b.pk)]))


def overview() -> dict:
    """Every pair of actors with its exchanges (pairs with none included, so each pair's page can be
    reached), and the common features across the adopted models."""
    actors = list(Actor.objects.all())
    exchanges = exchange_list()
    by_pair: dict[tuple, list] = {}
    for e in exchanges:
        by_pair.setdefault(_key(e.sender, e.receiver), []).append(e)
    pairs = []
    for a, b in combinations(actors, 2):
        rows = by_pair.get(_key(a, b), [])
        pairs.append({"a": a, "b": b, "count": len(rows), "common": sum(r.common for r in rows)})
    return {
        "actors": actors,
        "pairs": pairs,
        "exchanges": exchanges,
        "common": [e for e in exchanges if e.common],
        "adopted": operating_models(),
    }


def pair_get(*, a: str, b: str) -> dict:
    """One pair of actors (either order in the URL) with the exchanges each way."""
    first = get_object_or_404(Actor, slug=a)
    second = get_object_or_404(Actor, slug=b)
    if first.pk == second.pk:
        from django.http import Http404

        raise Http404
    from django.db.models import Q

    rows = exchange_list(
        DataExchange.objects.filter(Q(sender=first, receiver=second) | Q(sender=second, receiver=first))
    )
    return {"a": first, "b": second, "exchanges": rows, "adopted": operating_models()}


def track2_topics() -> list[Topic]:
    """Track 2 topics to link, Workstream C's (data access) first."""
    topics = list(Topic.objects.filter(workstream__track__number=TRACK2_NUMBER).select_related("workstream"))
    return sorted(topics, key=lambda t: (t.workstream.code != DATA_WORKSTREAM, t.workstream.code, t.title))
