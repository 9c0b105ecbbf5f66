"""The embedded broker (SQLite under var/, used without REDIS_URL) under concurrent producers: every
task runs exactly once and the worker survives."""

import collections
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.worker

PRODUCERS = 4
TASKS_PER_PRODUCER = 500


def _runs(log: Path) -> collections.Counter:
    if not log.exists():
        return collections.Counter()
    return collections.Counter(int(line) for line in log.read_text().split())


def test_four_producers_and_a_real_worker_lose_nothing_and_duplicate_nothing(tmp_path):
    """Four threads enqueue 500 tasks each while a real worker (a separate process with two pool
    processes, as `make run` starts it) consumes: all 2,000 run exactly once and the worker is still
    alive at the end."""
    env = {**os.environ, "BROKER_TEST_DIR": str(tmp_path)}
    os.environ["BROKER_TEST_DIR"] = str(tmp_path)
    sys.modules.pop("tests.initiative.broker_app", None)  # a fresh app on this test's own broker file
    from tests.initiative.broker_app import app, record_run

    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.initiative.broker_app",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "w"),
    )
    errors = []

    def produce(offset: int) -> None:
        try:
            for number in range(offset, offset + TASKS_PER_PRODUCER):
                record_run.delay(number)
        except Exception as exc:  # reported below: a producer that fails has lost messages
            errors.append(exc)

    try:
        started = time.monotonic()
        threads = [threading.Thread(target=produce, args=(i * TASKS_PER_PRODUCER,)) for i in range(PRODUCERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"enqueued in {time.monotonic() - started:.1f}s")
        assert not errors, errors
        total = PRODUCERS * TASKS_PER_PRODUCER
        # Wait while the worker makes progress (the machine may be busy): a minute without a task run
        # means it stalled.
        done, stalled_at = 0, time.monotonic() + 60
        while done < total and worker.poll() is None and time.monotonic() < stalled_at:
            time.sleep(0.5)
            now_done = sum(_runs(tmp_path / "runs.log").values())
            if now_done > done:
                done, stalled_at = now_done, time.monotonic() + 60
        alive = worker.poll() is None
        print(f"ran in {time.monotonic() - started:.1f}s")
    finally:
        worker.terminate()  # a warm shutdown: a duplicate in flight would still be run and logged
        worker.wait(timeout=60)
        app.pool.force_close_all()
    log = (tmp_path / "worker.log").read_text()
    assert alive, f"the worker died:\n{log[-3000:]}"
    runs = _runs(tmp_path / "runs.log")
    assert sorted(runs) == list(range(total)), f"{total - len(runs)} tasks never ran:\n{log[-3000:]}"
    assert set(runs.values()) == {1}, {n: c for n, c in runs.items() if c > 1}
