"""Step 4: candidate topics and prioritization rounds.

A round opens with a deadline over a fixed set of topics; each enrolled participant casts one ballot
(a full ranking) and may replace it until the deadline; the server refuses ballots at or after
`closes_at` whatever the closing task has done. Closing (by the periodic sweep, or early by staff)
computes the Borda count once and stores it on the round."""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiative import audit, policy

from ..models import Ballot, PrioritizationRound, RoundStatus, Topic, Workstream


class RoundError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RoundClosed(RoundError):
    """A ballot came at or after the round's deadline (or once it was closed early): a conflict with
    the round's state, not bad input."""


# The method ------------------------------------------------------------------------------------------


def borda(rankings: Iterable[Sequence[int]], topic_ids: Sequence[int]) -> list[dict]:
    """Borda count over full rankings of `topic_ids`: with n topics, a ballot gives n−1 points to its
    first choice, n−2 to its second … 0 to its last. Rows are sorted by points; equal points share a
    rank (standard competition ranking: 1, 2, 2, 4) and are flagged `tied`. Ties are never broken."""
    n = len(topic_ids)
    points: Counter[int] = Counter({t: 0 for t in topic_ids})
    for ranking in rankings:
        for position, topic_id in enumerate(ranking):
            if topic_id in points:
                points[topic_id] += n - 1 - position
    ordered = sorted(topic_ids, key=lambda t: (-points[t], list(topic_ids).index(t)))
    counts = Counter(points.values())
    rows, rank = [], 0
    for i, topic_id in enumerate(ordered):
        if i == 0 or points[topic_id] != points[ordered[i - 1]]:
            rank = i + 1
        rows.append(
            {
                "topic": topic_id,
                "points": points[topic_id],
                "rank": rank,
                "tied": counts[points[topic_id]] > 1,
            }
        )
    return rows


# Topics ----------------------------------------------------------------------------------------------


def topic_create(*, actor, workstream: Workstream, title: str, description: str = "") -> Topic:
    policy.require(actor, "workstreams.manage_workstream", workstream)
    with transaction.atomic():
        if Topic.objects.filter(workstream=workstream, title__iexact=title.strip()).exists():
            raise RoundError(_("This workstream already has a topic with that title."))
        topic = Topic.objects.create(
            workstream=workstream,
            title=title.strip()[:300],
            description=description.strip(),
            source=Topic.Source.STAFF,
        )
        audit.record(actor=actor, action="topic.create", obj=topic, after={"title": topic.title})
    return topic


def topic_set_active(*, actor, topic: Topic, active: bool) -> Topic:
    policy.require(actor, "workstreams.manage_workstream", topic.workstream)
    with transaction.atomic():
        updated = Topic.objects.filter(pk=topic.pk).exclude(is_active=active).update(is_active=active)
        if updated:
            audit.record(
                actor=actor,
                action="topic.activate" if active else "topic.retire",
                obj=topic,
                before={"is_active": not active},
                after={"is_active": active},
            )
    topic.is_active = active
    return topic


# Rounds ----------------------------------------------------------------------------------------------


def round_open(
    *,
    actor,
    workstream: Workstream,
    title: str,
    closes_at: datetime.datetime,
    topics: list[Topic] | None = None,
) -> PrioritizationRound:
    """Open a round over the given topics (by default every active topic of the workstream)."""
    policy.require(actor, "workstreams.manage_workstream", workstream)
    now = timezone.now()
    if closes_at <= now:
        raise RoundError(_("The deadline must be in the future."))
    if topics is None:
        topics = list(workstream.topics.filter(is_active=True))
    if len(topics) < 2:
        raise RoundError(_("A round needs at least two topics to rank."))
    if any(t.workstream_id != workstream.pk for t in topics):
        raise RoundError(_("Every topic must belong to this workstream."))
    try:
        with transaction.atomic():
            rnd = PrioritizationRound.objects.create(
                workstream=workstream,
                title=title.strip(),
                opens_at=now,
                closes_at=closes_at,
                created_by=actor,
            )
            rnd.topics.set(topics)
            audit.record(
                actor=actor,
                action="round.open",
                obj=rnd,
                after={"closes_at": closes_at.isoformat(), "topics": [t.pk for t in topics]},
            )
    except IntegrityError as exc:
        raise RoundError(_("This workstream already has an open round; close it first.")) from exc
    return rnd


def ballot_cast(*, actor, round: PrioritizationRound, ranking: list[int]) -> Ballot:
    """Record or replace `actor`'s ballot. Refused for non-members, outside the window, or for a
    ranking that is not a full ordering of the round's topics."""
    policy.require(actor, "workstreams.vote_in_round", round)
    with transaction.atomic():
        # lock: the round, so a ballot and the closing sweep never interleave
        rnd = PrioritizationRound.objects.select_for_update(no_key=True).get(pk=round.pk)
        now = timezone.now()
        if rnd.status != RoundStatus.OPEN or now >= rnd.closes_at or now < rnd.opens_at:
            raise RoundClosed(_("This round is closed; ballots are no longer accepted."))
        topic_ids = set(rnd.topics.values_list("pk", flat=True))
        ranking = [int(t) for t in ranking]
        if len(ranking) != len(topic_ids) or set(ranking) != topic_ids:
            raise RoundError(_("Rank every topic exactly once."))
        ballot = Ballot.objects.filter(round=rnd, voter=actor).first()
        if ballot is None:
            ballot = Ballot.objects.create(
                round=rnd,
                voter=actor,
                stakeholder_type=actor.effective_stakeholder_type,
                ranking=ranking,
                submitted_at=now,
                updated_at=now,
            )
            audit.record(actor=actor, action="ballot.cast", obj=ballot, after={"ranking": ranking})
        else:
            before = ballot.ranking
            ballot.ranking, ballot.updated_at = ranking, now
            ballot.save(update_fields=["ranking", "updated_at"])
            audit.record(
                actor=actor,
                action="ballot.change",
                obj=ballot,
                before={"ranking": before},
                after={"ranking": ranking},
            )
    return ballot


def round_compute(rnd: PrioritizationRound) -> dict:
    """The round's result as stored on close: method, ballots, stakeholder types and ranked rows."""
    topics = {t.pk: t for t in rnd.topics.all()}
    ballots = list(rnd.ballots.values_list("ranking", "stakeholder_type"))
    order = sorted(topics)
    rows = borda([r for r, _t in ballots], order)
    for row in rows:
        row["title"] = topics[row["topic"]].title
    return {
        "method": rnd.method,
        "ballots": len(ballots),
        "stakeholder_types": dict(Counter(t for _r, t in ballots).most_common()),
        "rows": rows,
    }


def round_close(
    *, round_id: int, actor=None, now: datetime.datetime | None = None, early: bool = False
) -> bool:
    """Close a round and store its result. The sweep (actor None) closes only rounds past their
    deadline; staff may close early. Returns False when there was nothing to do (already closed), so
    running it twice changes nothing."""
    now = now or timezone.now()
    if actor is not None:
        workstream = Workstream.objects.filter(rounds__pk=round_id).first()
        policy.require(actor, "workstreams.manage_workstream", workstream)
    with transaction.atomic():
        rnd = (
            PrioritizationRound.objects.select_for_update(no_key=True)  # lock: one closer per round
            .select_related("workstream")
            .filter(pk=round_id, status=RoundStatus.OPEN)
            .first()
        )
        if rnd is None:
            return False
        if not (early and actor is not None) and rnd.closes_at > now:
            return False
        rnd.result = round_compute(rnd)
        rnd.status, rnd.closed_at = RoundStatus.CLOSED, now
        rnd.save(update_fields=["result", "status", "closed_at"])
        audit.record(
            actor=actor,
            action="round.close",
            obj=rnd,
            before={"status": "open"},
            after={"status": "closed", "ballots": rnd.result["ballots"]},
            reason="closed early by staff" if actor is not None and early else "deadline passed",
        )
    return True


def rounds_close_due(*, now: datetime.datetime | None = None) -> int:
    """Close every open round past its deadline (the periodic sweep)."""
    now = now or timezone.now()
    ids = list(
        PrioritizationRound.objects.filter(status=RoundStatus.OPEN, closes_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    return sum(round_close(round_id=pk, now=now) for pk in ids)
