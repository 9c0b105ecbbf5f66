"""Two nodes behave as one: two gunicorn instances on two ports behind a round-robin balancer (in this
process, see `_common.Balancer`), two Celery workers and one beat, all on one PostgreSQL (a scratch
database) and one Redis. Production settings (DEBUG off), mail into a file sink.

- Webinar burst: 1,000 sign-ups for 300 seats, fired at once through the balancer (so split across both
  nodes): exactly 300 confirmed, 700 waitlisted, no error answer.
- Fan-out: one public consultation announced to 5,000 list subscribers; the worker that is sending is
  SIGKILLed a quarter of the way through; the other worker (the task redelivered by the broker, the
  outbox sweep) finishes: every subscriber gets exactly one email (one Message-ID each; the one in flight
  at the kill may be attempted twice, as the same message).
- Beat: the outbox sweep is scheduled every BENCH_SWEEP_SECONDS; with two workers consuming, each
  scheduled sweep runs once (no task id runs twice to completion, none lost), about one per period.
"""

import json
import re
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from email import message_from_bytes

from . import BenchmarkError, Row
from ._common import (
    Balancer,
    Processes,
    load,
    median_ms,
    percentile,
    require_postgres,
    require_redis,
    run_django,
    scratch_database,
    server_env,
    wait_for,
)
from .webinar_signup import _csrf, _post

SETUP = """
import datetime, json, uuid
from django.utils import timezone
from consultations.models import Subscriber
from webinars.models import Webinar
from bench._common import draft_fixture
start = timezone.now() + datetime.timedelta(days=7)
w = Webinar(slug="bench-scale", title="Benchmark webinar", starts_at=start, duration_minutes=60,
            capacity={seats}, join_url="https://meet.example.org/bench")
w.ends_at = w.compute_ends_at()
w.save()
d = draft_fixture(paragraphs=3, authors=1, tag="bench-scale")
now = timezone.now()
Subscriber.objects.bulk_create(
    (Subscriber(email=f"reader{{i:05d}}@example.org", token=uuid.uuid4().hex, confirmed_at=now)
     for i in range({recipients})), batch_size=2000)
print(json.dumps({{"slug": w.slug, "review": d.review.pk}}))
"""

ANNOUNCE = """
from consultations.tasks.workflow import notify_consultation_opened
notify_consultation_opened.apply_async(args=[{review}])
print("sent")
"""

_TASK_LINE = re.compile(
    r"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+): INFO/\w+\] Task initiative\.sweep_outbox\[([0-9a-f-]+)\] "
    r"(received|succeeded)"
)


def _burst(procs: Processes, base: str, slug: str, url: str, n: int, seats: int) -> Row:
    import psycopg

    cookie, token = _csrf(base, slug)
    started_load = load()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(lambda i: _post(base, slug, cookie, token, i), range(n)))
    elapsed = time.monotonic() - started
    with psycopg.connect(url) as conn:
        counts = dict(
            conn.execute("SELECT status, count(*) FROM webinars_registration GROUP BY status").fetchall()
        )
    errors = sum(1 for status, _ in results if status not in (200, 201))
    confirmed, waitlisted = counts.get("confirmed", 0), counts.get("waitlisted", 0)
    return Row(
        name=f"scale: webinar burst, {n:,} sign-ups for {seats} seats over 2 nodes",
        load=max(started_load, load()),
        median_ms=median_ms([s for _, s in results]),
        p95_ms=percentile([s for _, s in results], 95),
        throughput=round(n / elapsed, 1),
        unit="sign-ups/s",
        errors=errors,
        ok=confirmed == seats and waitlisted == n - seats and errors == 0,
        note=f"{confirmed} confirmed, {waitlisted} waitlisted",
        extra={"confirmed": confirmed, "waitlisted": waitlisted},
    )


def _fan_out(procs: Processes, env: dict, url: str, review: int, recipients: int, sink) -> Row:
    import psycopg

    expected = {f"reader{i:05d}@example.org" for i in range(recipients)}

    def ours() -> list:
        return [p for p in sink.glob("*.eml")]

    started_load = load()
    started = time.monotonic()
    run_django(env, ANNOUNCE.format(review=review))
    # the sending worker: whichever took the task; kill the first worker once a quarter is out
    wait_for(lambda: len(ours()) >= recipients // 4, 300, "the mailing to be under way")
    sender = "worker1" if "notify_consultation_opened" in procs.log("worker1").read_text() else "worker2"
    procs.kill(sender)
    at_kill = len(ours())
    event = f"consultations.consultation_opened:{review}"

    def finished() -> bool:
        with psycopg.connect(url) as conn:
            left = conn.execute(
                "SELECT count(*) FROM initiative_delivery WHERE event = %s AND status <> 'sent'", [event]
            ).fetchone()[0]
            planned = conn.execute(
                "SELECT count(*) FROM initiative_delivery WHERE event = %s", [event]
            ).fetchone()[0]
        return planned >= recipients and left == 0

    wait_for(finished, 600, "the surviving worker to finish the mailing")
    elapsed = time.monotonic() - started
    received: Counter = Counter()
    for path in ours():
        to = message_from_bytes(path.read_bytes())["To"]
        if to in expected:
            received[to] += 1
    attempts = Counter(
        line.split("\t")[0]
        for line in (sink / "attempts.log").read_text().splitlines()
        if line.split("\t")[0] in expected
    )
    missing = len(expected - set(received))
    twice = sum(1 for n in received.values() if n > 1)
    resent = sum(1 for n in attempts.values() if n > 1)
    return Row(
        name=f"scale: fan-out to {recipients:,}, one of 2 workers SIGKILLed mid-way",
        load=max(started_load, load()),
        throughput=round(recipients / elapsed, 1),
        unit="emails/s",
        errors=missing + twice,
        ok=missing == 0 and twice == 0 and resent <= 1,
        note=(
            f"killed {sender} after {at_kill:,}; {len(received):,} received exactly once, {missing} missing, "
            f"{twice} twice; {resent} re-attempted with the same Message-ID"
        ),
        extra={"missing": missing, "twice": twice, "received": len(received)},
    )


def _sweeps(procs: Processes, period: float) -> Row:
    """Each sweep the beat sent ran to completion exactly once (on one worker or the other; a sweep
    caught by the kill runs on the survivor), and the beat sent one per period. A sweep that sends a
    big batch outlasts the period, so sweeps queue up behind it: the beat is stopped first and the
    queue left to drain before counting."""
    procs.stop("beat")
    sends = [
        datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")
        for stamp in re.findall(
            r"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+): INFO/\w+\] Scheduler: Sending due task outbox-sweep",
            procs.log("beat").read_text(),
        )
    ]

    def succeeded() -> Counter:
        done: Counter = Counter()
        for name in ("worker1", "worker2"):
            for _stamp, task_id, what in _TASK_LINE.findall(procs.log(name).read_text()):
                if what == "succeeded":
                    done[task_id] += 1
        return done

    try:
        wait_for(lambda: len(succeeded()) >= len(sends), 180, "the queued sweeps to drain")
    except BenchmarkError:
        pass  # reported below as sweeps lost
    done = succeeded()
    twice = sum(1 for n in done.values() if n > 1)
    window = (sends[-1] - sends[0]).total_seconds() if len(sends) > 1 else 0
    expected = window / period + 1
    lost = max(0, len(sends) - len(done))
    ok = twice == 0 and lost == 0 and len(sends) >= 2 and abs(len(sends) - expected) <= max(1, 0.1 * expected)
    return Row(
        name=f"scale: beat sweep every {period:g} s, 2 workers consuming",
        load=load(),
        errors=twice + lost,
        ok=ok,
        note=(
            f"beat sent {len(sends)} in {window:.0f} s (expected {expected:.0f}); {len(done)} ran, "
            f"{twice} twice, {lost} lost"
        ),
    )


def run(*, smoke: bool = False) -> list[Row]:
    require_postgres()
    redis = require_redis()
    signups, seats, recipients, period = (40, 12, 200, 2.0) if smoke else (1000, 300, 5000, 5.0)
    queue = f"bench-scale-{uuid.uuid4().hex[:8]}"
    with scratch_database("bench_scale") as url:
        with Processes({}) as procs:
            sink = procs.folder / "mail"
            env = server_env(
                url,
                REDIS_URL=redis,
                BENCH_QUEUE=queue,
                MAIL_SINK_DIR=str(sink),
                BENCH_SWEEP_SECONDS=str(period),
                LOG_LEVEL="WARNING",
            )
            procs.env = env
            plan = json.loads(run_django(env, SETUP.format(seats=seats, recipients=recipients)))
            procs.celery("worker1")
            procs.celery("worker2")
            procs.celery("beat", "beat")
            webs = [procs.gunicorn("web1", workers=2), procs.gunicorn("web2", workers=2)]
            rows = []
            with Balancer(webs) as balancer:
                rows.append(_burst(procs, balancer.base, plan["slug"], url, signups, seats))
                split = "/".join(str(n) for n in balancer.per_backend)
                rows[-1].note += f"; connections per node {split}"
                if min(balancer.per_backend) == 0:
                    raise BenchmarkError("the balancer sent nothing to one node")
            rows.append(_fan_out(procs, env, url, plan["review"], recipients, sink))
            rows.append(_sweeps(procs, period))
    return rows
