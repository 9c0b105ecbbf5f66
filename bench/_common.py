"""What the benchmarks share: Django in this process with a draft full of comments (rolled back), or a
scratch PostgreSQL database with real gunicorn servers, Celery workers and beat on it; timing, load."""

import contextlib
import hashlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from . import BenchmarkError

ROOT = Path(__file__).resolve().parent.parent


# Figures ------------------------------------------------------------------------------------------------
def load() -> float:
    """The 1-minute load average now: every timing in the table is read against it."""
    return round(os.getloadavg()[0], 2)


def percentile(seconds: list[float], q: float) -> float | None:
    """The q-th percentile (0–100) of durations in seconds, in milliseconds (nearest rank)."""
    if not seconds:
        return None
    ordered = sorted(seconds)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return round(ordered[rank] * 1000, 1)


def median_ms(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) * 1000, 1) if seconds else None


# Django in this process ---------------------------------------------------------------------------------
def setup_django() -> None:
    """Configure Django with the test settings (DEBUG off, MD5 hasher, local email) and migrate the
    database DATABASE_URL names, unless Django is already set up (the test suite's smoke run)."""
    from django.apps import apps

    if apps.ready:
        return
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    call_command("migrate", verbosity=0)


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def rolled_back():
    """A transaction that is always rolled back: the benchmark's rows never stay."""
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def draft_body(paragraphs: int) -> str:
    parts = ["# Benchmark draft"]
    for i in range(paragraphs):
        if i % 5 == 0:
            parts.append(f"## Section {i // 5 + 1}")
        parts.append(
            f"Paragraph {i + 1}: distribution and transmission planning need shared forecasts, "
            "aligned calendars and published hosting capacity, as the report explains at length."
        )
    return "\n\n".join(parts) + "\n"


def draft_fixture(*, paragraphs: int = 20, authors: int = 200, tag: str = "bench") -> SimpleNamespace:
    """A workstream's draft of `paragraphs` paragraphs under an open public consultation, a staff member
    and `authors` verified commenters (inside the caller's transaction). Returns staff, deliverable,
    version, review, keys (the paragraphs' keys) and authors."""
    from datetime import timedelta

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from consultations.models import Review
    from consultations.services.drafts import draft_version_create
    from initiative.models import Body, BodyMembership, User
    from tests.factories import give_second_factor
    from workstreams.models import Deliverable, Track, Workstream

    staff = User.objects.create_user(email=f"{tag}-staff@bench.example", full_name="Bench staff")
    body, _ = Body.objects.get_or_create(
        kind=Body.Kind.IMPLEMENTATION_TEAM, defaults={"name": "Implementation team"}
    )
    BodyMembership.objects.create(
        body=body, user=staff, role="staff", starts_on=timezone.localdate() - timedelta(days=1)
    )
    give_second_factor(staff)  # staff must have one to use the site
    track, _ = Track.objects.get_or_create(
        number=99, defaults={"slug": "bench-track", "name": "Bench", "title": "Bench", "objective": "-"}
    )
    ws = Workstream.objects.create(
        track=track,
        code=tag.upper().replace("-", "")[:8],
        slug=f"{tag}-ws",
        name="Bench",
        challenge="-",
        objective="-",
        start_month=0,
        end_month=1,
    )
    deliverable = Deliverable.objects.create(workstream=ws, slug=tag, title="Bench draft")
    version = draft_version_create(actor=staff, deliverable=deliverable, body=draft_body(paragraphs))
    review = Review.objects.create(
        version=version,
        kind=Review.Kind.PUBLIC_CONSULTATION,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=30),
    )
    keys = list(version.paragraphs.order_by("order").values_list("key", flat=True))
    people = User.objects.bulk_create(
        User(email=f"{tag}-{i}@bench.example", full_name=f"Bench commenter {i}") for i in range(authors)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in people
    )
    return SimpleNamespace(
        staff=staff, deliverable=deliverable, version=version, review=review, keys=keys, authors=people
    )


def bulk_comments(review, n: int, authors, keys, *, hot_share: float = 0.0) -> None:
    """Add `n` comments to `review` as the services would store them (rendered body, digest), spread over
    `keys` — `hot_share` of them on the first key (a hot paragraph) — then rebuild the count rows."""
    from consultations.models import Comment
    from consultations.services.comments import body_digest, comment_body_html, comment_counts_rebuild
    from initiative.models import StakeholderType

    types = [t for t, _ in StakeholderType.choices]
    body = "Benchmark comment: please clarify how this applies to cooperatives and municipal utilities."
    html = comment_body_html(body)
    hot = int(n * hot_share)
    rows = []
    for i in range(n):
        key = keys[0] if i < hot else keys[i % len(keys)]
        rows.append(
            Comment(
                review=review,
                version=review.version,
                paragraph_key=key,
                author=authors[i % len(authors)],
                stakeholder_type=types[i % len(types)],
                body=body,
                body_html=html,
                body_digest=body_digest(f"{body} {i}"),
            )
        )
        if len(rows) == 5000:
            Comment.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Comment.objects.bulk_create(rows, batch_size=5000)
    comment_counts_rebuild(review_ids=[review.pk])


# A scratch PostgreSQL database and real processes on it -------------------------------------------------
def require_postgres() -> urllib.parse.ParseResult:
    parsed = urllib.parse.urlparse(os.environ.get("DATABASE_URL", ""))
    if parsed.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise BenchmarkError(
            "needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/dbname "
            f"(got {parsed.scheme or 'nothing'!r}); SQLite serializes writers and would show nothing."
        )
    return parsed


def require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    if not url:
        raise BenchmarkError("needs Redis (the broker of two workers): set REDIS_URL=redis://…")
    return url


def _conninfo(parsed: urllib.parse.ParseResult, dbname: str) -> str:
    return parsed._replace(path=f"/{dbname}").geturl().replace("postgis://", "postgres://", 1)


def _migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


NOT_INHERITED = {"CELERY_BROKER_URL", "DB_POOL", "CONN_MAX_AGE"}


def server_env(database_url: str, **extra: str) -> dict:
    """The environment of a server or worker the bench starts: production settings with DEBUG off and
    the bench's own SECRET_KEY (nobody has to set one), see bench/_settings.py. Never inherited from
    this process: the broker, which is each bench's choice (an in-process bench sets
    CELERY_BROKER_URL=memory:// here, and a later bench's workers would wait on it forever), and the
    database connection settings that the in-process benches' test settings set here (DB_POOL=false,
    CONN_MAX_AGE=0: servers started after them opened a PostgreSQL session per request)."""
    inherited = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    return {
        **inherited,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + hashlib.sha256(database_url.encode()).hexdigest()[:24],
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DJANGO_SETTINGS_MODULE": "bench._settings",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


_template_lock = threading.Lock()


@contextlib.contextmanager
def scratch_database(name: str):
    """A fresh, migrated database `<DATABASE_URL's name>_<name>`, dropped afterwards; yields its URL.

    Migrating takes long on a busy machine, so it is done once per state of the migrations into a
    template database (`<db>_btpl_<digest>`) that every run then clones in about a second."""
    import psycopg

    parsed = require_postgres()
    base = parsed.path.lstrip("/") or "postgres"
    admin = _conninfo(parsed, "postgres")
    template = f"{base}_btpl_{_migrations_digest()}"[:63]
    scratch = f"{base}_{name}"[:63]
    with _template_lock, psycopg.connect(admin, autocommit=True) as conn:
        # another process (a parallel test run) may be building the same template: one at a time
        conn.execute("SELECT pg_advisory_lock(%s)", [int(hashlib.sha256(base.encode()).hexdigest()[:15], 16)])
        have = {r[0] for r in conn.execute("SELECT datname FROM pg_database").fetchall()}
        if template not in have:
            for old in have:
                if old.startswith(f"{base}_btpl_"):
                    conn.execute(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)')
            building = f"{template}_new"[:63]
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{building}"')
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=ROOT,
                env=server_env(_conninfo(parsed, building)),
                check=True,
            )
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{template}"')
    try:
        yield _conninfo(parsed, scratch)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def run_django(env: dict, code: str) -> str:
    """Run `code` in a Django process with `env` (after django.setup()); returns its last output line."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BenchmarkError(f"set-up failed:\n{done.stderr[-3000:]}")
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes:
    """Servers, workers and a beat started for one benchmark, all stopped (by their own ids) on exit;
    their output goes to files in a temporary folder (`folder`)."""

    def __init__(self, env: dict):
        self.env = env
        self.folder = Path(tempfile.mkdtemp(prefix="bench-"))
        self.procs: dict[str, subprocess.Popen] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for name in list(self.procs):
            self.stop(name)

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def start(self, name: str, argv: list[str], **env: str) -> subprocess.Popen:
        with self.log(name).open("ab") as out:
            proc = subprocess.Popen(  # noqa: S603
                argv, cwd=ROOT, env={**self.env, **env}, stdout=out, stderr=subprocess.STDOUT
            )
        self.procs[name] = proc
        return proc

    def gunicorn(self, name: str, *, workers: int = 2, threads: int = 1) -> str:
        """A gunicorn of `workers` sync workers (gthread when threads > 1) on a free port; its base URL
        once /healthz answers."""
        port = free_port()
        argv = [sys.executable, "-m", "gunicorn", "initiative.wsgi:application"]
        argv += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120"]
        argv += ["--backlog", "2048"]
        if threads > 1:
            argv += ["--worker-class", "gthread", "--threads", str(threads)]
        # a pool sized to the threads: a sync worker needs one connection
        self.start(name, argv, DB_POOL_MAX=str(threads + 1))
        base = f"http://127.0.0.1:{port}"
        self.wait_http(f"{base}/healthz", name)
        return base

    def celery(self, name: str, role: str = "worker", *extra: str) -> subprocess.Popen:
        celery = str(Path(sys.executable).with_name("celery"))
        if role == "beat":
            argv = [celery, "-A", "initiative", "beat", "-l", "INFO"]
            argv += ["--schedule", str(self.folder / "beat-schedule"), *extra]
        else:
            argv = [celery, "-A", "initiative", "worker", "-P", "solo", "-c", "1", "-n", f"{name}@%h"]
            argv += ["-Q", self.env.get("BENCH_QUEUE", "bench"), "--without-gossip", "--without-mingle"]
            argv += ["-l", "INFO", *extra]
        return self.start(name, argv)

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    def wait_http(self, url: str, name: str, timeout: float = 90) -> None:
        proc = self.procs[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise BenchmarkError(
                    f"{name} exited ({proc.returncode}):\n{self.log(name).read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1 only)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise BenchmarkError(f"{name} did not answer {url} within {timeout:.0f} s")


def wait_for(predicate, timeout: float, what: str) -> float:
    """Poll `predicate` until true; the seconds it took. Raises BenchmarkError on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.2)
    raise BenchmarkError(f"timed out after {timeout:.0f} s waiting for {what}")


class Balancer:
    """A tiny round-robin TCP balancer in this process: each new client connection goes to the next
    backend in turn, bytes piped both ways. Enough to split a burst across two nodes; not nginx."""

    def __init__(self, backends: list[str]):
        self.backends = [urllib.parse.urlparse(b) for b in backends]
        self.turn = 0
        self.per_backend = [0] * len(backends)
        self.server = socket.create_server(("127.0.0.1", 0), backlog=2048)
        self.base = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.close()

    def _serve(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            i = self.turn % len(self.backends)
            self.turn += 1
            self.per_backend[i] += 1
            backend = self.backends[i]
            try:
                upstream = socket.create_connection((backend.hostname, backend.port))
            except OSError:
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
