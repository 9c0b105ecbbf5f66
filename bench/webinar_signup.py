"""Burst of concurrent webinar sign-ups against a real server on PostgreSQL.

Creates a scratch database next to DATABASE_URL's, migrates it, creates a webinar with SEATS seats,
starts gunicorn on 127.0.0.1 (a free port), and fires REQUESTS sign-up POSTs at once from a thread pool
in this process. Budget: exactly SEATS confirmed, the rest waitlisted, no error responses.

The sign-up rate limit is raised for the server (WEBINAR_SIGNUP_RATE) and its Celery broker is
"memory://" so the burst leaves no queued emails behind; the emails' tasks are therefore not sent.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from . import BenchmarkError

REQUESTS = 1000
SEATS = 300
CLIENT_THREADS = 64
WORKERS = 4
THREADS_PER_WORKER = 4
REQUEST_TIMEOUT_S = 60
BURST_DEADLINE_S = 300
ROOT = Path(__file__).resolve().parent.parent

CREATE_WEBINAR = f"""
import datetime, django
django.setup()
from django.utils import timezone
from webinars.models import Webinar
start = timezone.now() + datetime.timedelta(days=7)
w = Webinar(slug="bench-signup", title="Benchmark webinar", starts_at=start, duration_minutes=60,
            capacity={SEATS}, join_url="https://meet.example.org/bench")
w.ends_at = w.compute_ends_at()
w.save()
print(w.slug)
"""


def _require_postgres() -> urllib.parse.ParseResult:
    url = os.environ.get("DATABASE_URL", "")
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise BenchmarkError(
            "webinar_signup needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/dbname "
            f"(got {parsed.scheme or 'nothing'!r}). SQLite serializes writers and would not show anything."
        )
    return parsed


def _admin_conninfo(parsed: urllib.parse.ParseResult, dbname: str) -> str:
    return parsed._replace(path=f"/{dbname}").geturl().replace("postgis://", "postgres://", 1)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text()[-2000:]
            raise BenchmarkError(f"gunicorn exited ({proc.returncode}); see {log}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1 only)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise BenchmarkError(f"the server did not answer {url} within {timeout:.0f} s; see {log}")


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


def run() -> dict:
    parsed = _require_postgres()
    import psycopg

    base_db = parsed.path.lstrip("/") or "postgres"
    scratch = f"{base_db}_bench_signup"[:63]
    admin = _admin_conninfo(parsed, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{scratch}"')
    scratch_url = _admin_conninfo(parsed, scratch)
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + os.urandom(8).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "WEBINAR_SIGNUP_RATE": "1000000/m",
        "CELERY_BROKER_URL": "memory://",
        "DB_POOL_MAX": str(THREADS_PER_WORKER + 1),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "initiative.settings",
    }
    python = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="bench-signup-"))
    log = workdir / "gunicorn.log"
    server = None
    try:
        # A production-like server (DEBUG off) serves hashed static files: they need the manifest.
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)  # noqa: S603
        created = subprocess.run(  # noqa: S603
            [python, "-c", CREATE_WEBINAR], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        )
        slug = created.stdout.strip().splitlines()[-1]
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        with log.open("w") as out:
            server = subprocess.Popen(  # noqa: S603
                [
                    python,
                    "-m",
                    "gunicorn",
                    "initiative.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(WORKERS),
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(THREADS_PER_WORKER),
                    "--timeout",
                    "120",
                    "--backlog",
                    "2048",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_until_up(f"{base}/healthz", server, log)
        cookie, token = _csrf(base, slug)

        statuses: list[int] = []
        latencies: list[float] = []
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
            futures = [pool.submit(_post, base, slug, cookie, token, i) for i in range(REQUESTS)]
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

        with psycopg.connect(scratch_url) as conn:
            counts = dict(
                conn.execute("SELECT status, count(*) FROM webinars_registration GROUP BY status").fetchall()
            )
            ordered = conn.execute(
                "SELECT bool_and(ok) FROM (SELECT (lag(waitlisted_at) OVER (ORDER BY id) <= waitlisted_at) "
                "IS NOT FALSE AS ok FROM webinars_registration WHERE status = 'waitlisted') t"
            ).fetchone()[0]
        errors = sum(1 for s in statuses if s not in (200, 201))
        confirmed, waitlisted = counts.get("confirmed", 0), counts.get("waitlisted", 0)
        latencies.sort()
        return {
            "requests": REQUESTS,
            "seats": SEATS,
            "server": f"gunicorn {WORKERS} workers x {THREADS_PER_WORKER} threads",
            "client_threads": CLIENT_THREADS,
            "confirmed": confirmed,
            "waitlisted": waitlisted,
            "error_responses": errors,
            "waitlist_in_order": bool(ordered),
            "elapsed_s": round(elapsed, 2),
            "signups_per_s": round(REQUESTS / elapsed, 1),
            "latency_p50_ms": round(statistics.median(latencies) * 1000, 1),
            "latency_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
            "ok": confirmed == SEATS and waitlisted == REQUESTS - SEATS and errors == 0 and bool(ordered),
        }
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
