"""The benchmarks cannot rot: every module of `bench/` runs in its smoke form (the smallest numbers that
still take every path) and its rows hold — exact seats, every comment stored once, query counts flat.
Timing budgets are not judged here (they belong to `make bench`); the scale bench, which starts two web
nodes, two Celery workers and a beat, needs PostgreSQL and Redis and is skipped without them."""

import os

import pytest
from django.conf import settings
from django.db import connection

from bench import Row
from bench.__main__ import available, run_all, table

IN_PROCESS_OR_SERVER = [name for name in available() if name != "scale"]


def _check(rows: list[Row]) -> None:
    assert rows, "a benchmark must return at least one row"
    printed = table(rows)
    for row in rows:
        assert row.name in printed
        assert row.ok is not False, f"{row.name}: {row.note}\n{printed}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", IN_PROCESS_OR_SERVER)
def test_every_benchmark_runs_in_its_smoke_form(name):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmarks measure PostgreSQL")
    rows, machine = run_all([name], smoke=True)
    assert machine["cpus"] and machine["load"]
    _check(rows)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_web_nodes_and_two_workers_behave_as_one():
    """Smoke form of `make bench-scale`: a sign-up burst split over two gunicorn nodes fills exactly the
    seats; a fan-out survives one of two workers being SIGKILLed with exactly one email per recipient;
    the beat's sweeps each run once with two workers consuming."""
    if connection.vendor != "postgresql" or not settings.REDIS_URL or not os.environ.get("DATABASE_URL"):
        pytest.skip("needs PostgreSQL and Redis")
    rows, _ = run_all(["scale"], smoke=True)
    _check(rows)
    burst, fan_out, sweeps = rows
    assert burst.extra["confirmed"] == 12 and burst.extra["waitlisted"] == 28
    assert fan_out.extra["missing"] == 0 and fan_out.extra["twice"] == 0
    assert sweeps.errors == 0


def test_a_bench_server_takes_its_broker_from_its_own_bench_not_from_an_earlier_one(monkeypatch):
    """`make bench` runs every bench in one process: the fan-out bench sets CELERY_BROKER_URL=memory://
    in the environment, and the scale bench's workers, started after it, then listened on a broker of
    their own and never saw the mailing (a full run timed out waiting for it)."""
    from bench._common import server_env

    monkeypatch.setenv("CELERY_BROKER_URL", "memory://")
    assert "CELERY_BROKER_URL" not in server_env("postgres://db/scale", REDIS_URL="redis://r/0")
    assert server_env("postgres://db/post", CELERY_BROKER_URL="memory://")["CELERY_BROKER_URL"] == "memory://"


def test_a_bench_server_keeps_production_database_connections_after_an_in_process_bench(monkeypatch):
    """The in-process benches load the test settings, which set DB_POOL=false and CONN_MAX_AGE=0 in the
    environment; servers started after them inherited that and opened a PostgreSQL session for every
    request (a whole connection set-up per comment POST: half the sustained posting rate)."""
    from bench._common import server_env

    monkeypatch.setenv("DB_POOL", "false")  # as tests/settings.py sets them
    monkeypatch.setenv("CONN_MAX_AGE", "0")
    env = server_env("postgres://db/post")
    assert "DB_POOL" not in env and "CONN_MAX_AGE" not in env
