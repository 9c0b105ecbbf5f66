"""Posting comments, two ways.

1. Sustained, as production runs: a scratch PostgreSQL database with a draft of 20 paragraphs that
   already has 10,000 comments, gunicorn with 2 sync workers and DEBUG off, and 16 concurrent clients
   (signed-in participants, each on its own keep-alive connection) posting comments with htmx for 60 s.
   Budget: ≥ 100 comments/s, p95 < 200 ms, 0 errors, and every comment answered 200 stored exactly
   once (the database's count grows by exactly the number of successful POSTs).
2. In process, for the cost of one POST: queries and time per htmx POST and per plain POST (no
   JavaScript), on the same kind of draft, rolled back afterwards.
"""

import http.client
import json
import threading
import time
import urllib.parse

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from . import Row
from ._common import (
    Processes,
    bulk_comments,
    draft_fixture,
    load,
    median_ms,
    percentile,
    rolled_back,
    run_django,
    scratch_database,
    server_env,
    setup_django,
)

EXISTING = 10_000
CLIENTS = 16
SECONDS = 60
WORKERS = 2
BUDGET_PER_S = 100
BUDGET_P95_MS = 200
CSRF = "benchcsrfsecret0benchcsrfsecret0"  # a 32-character secret: cookie and header agree

SETUP = """
import json
from django.test import Client
from django.urls import reverse
from bench._common import bulk_comments, draft_fixture
d = draft_fixture(paragraphs=20, authors={clients}, tag="bench-post")
bulk_comments(d.review, {existing}, d.authors, d.keys)
sessions = []
for author in d.authors:
    client = Client()
    client.force_login(author)
    sessions.append(client.cookies["sessionid"].value)
url = reverse("consultations:comment-create", args=[d.deliverable.pk, d.version.number])
print(json.dumps({{"url": url, "keys": d.keys, "sessions": sessions, "review": d.review.pk}}))
"""


def _text(i: int) -> str:
    """A distinct comment of about 200 characters: long enough for the near-identical campaign check."""
    return (
        f"Comment number {i} from the benchmark. The hosting capacity maps of feeder {i * 7919 % 10007} "
        f"should be published monthly, with the queue position of project {i * 104729 % 99991} and the "
        "assumptions behind them."
    )


def _client_loop(base: str, plan: dict, n: int, stop: float, out: list, lock: threading.Lock) -> None:
    """One participant posting comments back to back on one keep-alive connection until `stop`."""
    host = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    headers = {
        "Cookie": f"sessionid={plan['sessions'][n]}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    mine, i = [], 0
    while time.monotonic() < stop:
        key = plan["keys"][(n + i) % len(plan["keys"])]
        body = urllib.parse.urlencode(
            {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": _text(n * 1_000_000 + i)}
        )
        i += 1
        started = time.perf_counter()
        try:
            conn.request("POST", plan["url"], body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = (
                response.status if not response.getheader("X-Status") else int(response.getheader("X-Status"))
            )
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        mine.append((time.perf_counter() - started, status))
    conn.close()
    with lock:
        out += mine


def sustained(*, smoke: bool) -> Row:
    clients, seconds, existing = (4, 3, 200) if smoke else (CLIENTS, SECONDS, EXISTING)
    with scratch_database("bench_post") as url:
        env = server_env(url, LOG_LEVEL="WARNING", CELERY_BROKER_URL="memory://")
        plan = json.loads(run_django(env, SETUP.format(clients=clients, existing=existing)))
        import psycopg

        def stored() -> int:
            with psycopg.connect(url) as conn:
                return conn.execute(
                    "SELECT count(*) FROM consultations_comment WHERE review_id = %s", [plan["review"]]
                ).fetchone()[0]

        with Processes(env) as procs:
            base = procs.gunicorn("web", workers=WORKERS)
            samples: list[tuple[float, int]] = []
            lock = threading.Lock()
            # warm up (templates compiled, connections open in both workers), not counted
            warm: list = []
            stop = time.monotonic() + (1 if smoke else 5)
            threads = [
                threading.Thread(target=_client_loop, args=(base, plan, n, stop, warm, lock))
                for n in range(clients)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            before = stored()
            started_load = load()
            stop = time.monotonic() + seconds
            threads = [
                threading.Thread(target=_client_loop, args=(base, plan, n, stop, samples, lock))
                for n in range(clients)
            ]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - started
        added = stored() - before
    good = [s for s, status in samples if status == 200]
    errors = len(samples) - len(good)
    rate = len(good) / elapsed
    p95 = percentile([s for s, _ in samples], 95)
    once = added == len(good)
    ok = (
        once and errors == 0
        if smoke
        else once and errors == 0 and rate >= BUDGET_PER_S and p95 < BUDGET_P95_MS
    )
    return Row(
        name=f"comment_post: sustained, gunicorn {WORKERS} sync workers, {clients} clients, {seconds} s",
        load=max(started_load, load()),
        median_ms=median_ms([s for s, _ in samples]),
        p95_ms=p95,
        throughput=round(rate, 1),
        unit="comments/s",
        errors=errors,
        ok=ok,
        note=(
            f"{len(good):,} posted, {added:,} stored ({'each once' if once else 'MISMATCH'}); "
            f"{existing:,} comments before; budget ≥ {BUDGET_PER_S}/s, p95 < {BUDGET_P95_MS} ms"
        ),
        extra={"posted": len(good), "stored": added},
    )


def _post(client: Client, url: str, key: str, body: str, *, htmx: bool) -> tuple[float, int, int]:
    data = {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": body}
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.post(url, data, headers=headers)
        elapsed = time.perf_counter() - started
    return elapsed, len(ctx.captured_queries), response.status_code


def in_process(*, smoke: bool) -> list[Row]:
    setup_django()
    existing, htmx_posts, plain_posts = (100, 10, 5) if smoke else (EXISTING, 200, 50)
    rows = []
    with rolled_back(), override_settings(COMMENT_RATE_LIMIT=1_000_000):
        d = draft_fixture(paragraphs=20, authors=200, tag="bench-post")
        bulk_comments(d.review, existing, d.authors, d.keys)
        url = reverse("consultations:comment-create", args=[d.deliverable.pk, d.version.number])
        clients = []
        for author in d.authors[:10]:
            client = Client()
            client.force_login(author)
            clients.append(client)
        _post(clients[0], url, d.keys[0], _text(-1), htmx=True)  # warm caches
        for htmx, n, expect in ((True, htmx_posts, 200), (False, plain_posts, 302)):
            samples = [
                _post(
                    clients[i % 10],
                    url,
                    d.keys[i % len(d.keys)],
                    _text(i + (0 if htmx else 10**6)),
                    htmx=htmx,
                )
                for i in range(n)
            ]
            times = [s[0] for s in samples]
            errors = sum(1 for s in samples if s[2] != expect)
            rows.append(
                Row(
                    name=f"comment_post: one {'htmx' if htmx else 'plain (no JS)'} POST, in process",
                    load=load(),
                    median_ms=median_ms(times),
                    p95_ms=percentile(times, 95),
                    queries=max(s[1] for s in samples),
                    errors=errors,
                    ok=errors == 0,
                    note=f"{n} POSTs on a draft with {existing:,} comments ({connection.vendor})",
                )
            )
    return rows


def run(*, smoke: bool = False) -> list[Row]:
    rows = in_process(smoke=smoke)
    from django.db import connection as conn

    if conn.vendor == "postgresql":
        rows.insert(0, sustained(smoke=smoke))
    else:
        rows.insert(0, Row(name="comment_post: sustained", load=load(), note="skipped: needs PostgreSQL"))
    return rows
