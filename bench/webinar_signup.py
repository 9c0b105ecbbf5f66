"""Burst of concurrent webinar sign-ups against a real server on PostgreSQL.

Clones a migrated scratch database next to DATABASE_URL's (bench/_common.py), creates a webinar with
SEATS seats, starts gunicorn on 127.0.0.1 (a free port), and fires REQUESTS sign-up POSTs at once from
a thread pool in this process. Budget: exactly SEATS confirmed, the rest waitlisted, no error responses.

The sign-up rate limit is raised for the server (WEBINAR_SIGNUP_RATE) and its Celery broker is
"memory://" so the burst leaves no queued emails behind; the emails' tasks are therefore not sent.
"""

import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from . import BenchmarkError, Row
from ._common import Processes, load, median_ms, percentile, run_django, scratch_database, server_env

REQUESTS = 1000
SEATS = 300
CLIENT_THREADS = 64
WORKERS = 4
THREADS_PER_WORKER = 4
REQUEST_TIMEOUT_S = 60
BURST_DEADLINE_S = 300
ROOT = Path(__file__).resolve().parent.parent

CREATE_WEBINAR = """
import datetime
from django.utils import timezone
from webinars.models import Webinar
start = timezone.now() + datetime.timedelta(days=7)
w = Webinar(slug="bench-signup", title="Benchmark webinar", starts_at=start, duration_minutes=60,
            capacity={seats}, join_url="https://meet.example.org/bench")
w.ends_at = w.compute_ends_at()
w.save()
print(w.slug)
"""


def _csrf(base: str, slug: str) -> tuple[str, str]:
    with urllib.request.urlopen(f"{base}/webinars/{slug}/", timeout=10) as response:  # noqa: S310
        html = response.read().decode()
        cookies = response.headers.get_all("Set-Cookie") or []
    cookie = next((c.split(";", 1)[0] for c in cookies if c.startswith("csrftoken=")), None)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not cookie or not match:
        raise BenchmarkError("the webinar page gave no CSRF cookie/token")
    return cookie, match.group(1)


def _post(base: str, slug: str, cookie: str, token: str, i: int) -> tuple[int, float]:
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "name": f"Bench Registrant {i}",
            "email": f"bench{i}@example.org",
            "organization": f"Org {i % 37}",
            "stakeholder_type": "iou",
            "consent": "on",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/webinars/{slug}/register/",
        data=body,
        method="POST",
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        status = 0
    return status, time.monotonic() - started


def run(*, smoke: bool = False) -> list[Row]:
    requests, seats = (40, 12) if smoke else (REQUESTS, SEATS)
    with scratch_database("bench_signup") as url:
        env = server_env(url, CELERY_BROKER_URL="memory://", LOG_LEVEL="WARNING")
        slug = run_django(env, CREATE_WEBINAR.format(seats=seats))
        with Processes(env) as procs:
            base = procs.gunicorn("web", workers=WORKERS, threads=THREADS_PER_WORKER)
            cookie, token = _csrf(base, slug)
            statuses: list[int] = []
            latencies: list[float] = []
            started_load = load()
            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
                futures = [pool.submit(_post, base, slug, cookie, token, i) for i in range(requests)]
                try:
                    for future in as_completed(futures, timeout=BURST_DEADLINE_S):
                        status, seconds = future.result()
                        statuses.append(status)
                        latencies.append(seconds)
                except TimeoutError as exc:
                    for f in futures:
                        f.cancel()
                    raise BenchmarkError(f"the burst did not finish within {BURST_DEADLINE_S} s") from exc
            elapsed = time.monotonic() - started
        import psycopg

        with psycopg.connect(url) as conn:
            counts = dict(
                conn.execute("SELECT status, count(*) FROM webinars_registration GROUP BY status").fetchall()
            )
            ordered = conn.execute(
                "SELECT bool_and(ok) FROM (SELECT (lag(waitlisted_at) OVER (ORDER BY id) <= waitlisted_at) "
                "IS NOT FALSE AS ok FROM webinars_registration WHERE status = 'waitlisted') t"
            ).fetchone()[0]
    errors = sum(1 for s in statuses if s not in (200, 201))
    confirmed, waitlisted = counts.get("confirmed", 0), counts.get("waitlisted", 0)
    return [
        Row(
            name=f"webinar_signup: {requests:,} at once for {seats} seats, "
            f"gunicorn {WORKERS}x{THREADS_PER_WORKER}",
            load=max(started_load, load()),
            median_ms=median_ms(latencies),
            p95_ms=percentile(latencies, 95),
            throughput=round(requests / elapsed, 1),
            unit="sign-ups/s",
            errors=errors,
            ok=confirmed == seats and waitlisted == requests - seats and errors == 0 and bool(ordered),
            note=f"{confirmed} confirmed, {waitlisted} waitlisted, waitlist in order: {bool(ordered)}",
        )
    ]
