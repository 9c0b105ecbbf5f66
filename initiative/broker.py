"""The embedded Celery broker: kombu's SQLAlchemy transport on a SQLite file of its own under var/.

Used when no REDIS_URL is set (`make run`, `make test` on a fresh clone). Every process on the machine
(web, worker, beat, tests) shares it through the file. Each message is a row written in a transaction
and taken by one `BEGIN IMMEDIATE` transaction, so a consumer never reads a half-written message and two
consumers never take the same one; the file is in WAL mode with a busy timeout, so writers wait for each
other instead of failing. (kombu's filesystem transport, used before, writes a message file in place
while a consumer may already move and read it: a consumer read an empty file and the worker died.)

Also `own_unacked_keys`, for a Redis consumer with a short visibility timeout (a test's, a bench's).
"""

import sqlite3
from pathlib import Path

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

BUSY_TIMEOUT_SECONDS = 30
SCHEME = "sqlite-broker"


class BrokerConnection(sqlite3.Connection):
    """A connection to the broker file that syncs to disk at WAL checkpoints rather than on every commit
    (SQLite's `synchronous=NORMAL`: a power cut may lose the last commits, a crashed process loses
    nothing), which makes every message's write several times faster."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute("PRAGMA synchronous=NORMAL")


class Transport(SQLAlchemyTransport):
    """kombu's SQLAlchemy transport polling every 50 ms instead of every second: the worker, which
    takes one message per free pool process, waits one poll interval whenever its pool is full, so the
    default second capped a worker at a few tasks a second. (kombu passes every transport option to
    SQLAlchemy's create_engine, hence a class attribute rather than the `polling_interval` option.)"""

    polling_interval = 0.05


TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")


def embedded_broker(folder: Path) -> tuple[str, dict]:
    """The broker URL and transport options for the SQLite broker in `folder` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "broker.sqlite3"
    if not path.exists():
        # WAL is a property of the file: set once, it holds for every later connection of every process.
        with sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
    return (
        f"{SCHEME}+sqlite:///{path}",
        {"connect_args": {"timeout": BUSY_TIMEOUT_SECONDS, "factory": BrokerConnection}},
    )


def own_unacked_keys(prefix: str) -> dict:
    """Transport options giving a consumer its own bookkeeping of unacknowledged messages. kombu's Redis
    transport keeps every queue's under keys of the whole database, and each consumer restores those
    older than *its* visibility timeout: a worker with a timeout of seconds (a crash test's, a bench's)
    redelivered the tasks of other processes sharing the database, such as a crash test's killed task
    that only the sweep was to finish."""
    return {f"unacked{part}_key": f"{prefix}.unacked{part}" for part in ("", "_index", "_mutex")}
