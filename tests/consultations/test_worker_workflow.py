"""Reliability: a real Celery worker (a subprocess, on the real Redis broker and PostgreSQL) is killed
with SIGKILL in the middle of announcing a public consultation to thousands of recipients. A second
worker gets the task redelivered and finishes. Every recipient ends up with exactly one message; at
most the one email in flight at the moment of the kill is attempted twice, with the same Message-ID."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from consultations.models import Review, Subscriber
from consultations.tasks.workflow import notify_consultation_opened
from initiative.models import Delivery
from tests.consultations.factories_workflow import deliverable_at

RECIPIENTS = 2500
ROOT = Path(__file__).resolve().parents[2]


def _start_worker(env, log: Path, name: str) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [
            str(celery),
            "-A",
            "initiative",
            "worker",
            "-P",
            "solo",
            "-c",
            "1",
            "-Q",
            env["KILL_TEST_QUEUE"],
            "-n",
            f"{name}@localhost",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait(predicate, timeout: float, what: str, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(
                f"worker exited early ({proc.returncode}) while waiting for {what}:\n"
                + (log.read_text()[-4000:] if log else "")
            )
        time.sleep(0.2)  # polling another process; not a test of time
    raise AssertionError(f"timed out waiting for {what}:\n" + (log.read_text()[-4000:] if log else ""))


def _files(sink: Path) -> list[Path]:
    return [p for p in sink.glob("*.eml")]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_mailing_loses_no_email_and_sends_none_twice(tmp_path):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs the real Redis broker and PostgreSQL")
    deliverable = deliverable_at("public_consultation")
    review = Review.objects.get(version__deliverable=deliverable, kind="public_consultation")
    now = timezone.now()
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{i:05d}@example.org", token=f"tok-{uuid.uuid4().hex}", confirmed_at=now)
        for i in range(RECIPIENTS)
    )
    sink = tmp_path / "mail"
    queue = f"kill-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.consultations.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}{(':' + db['PASSWORD']) if db.get('PASSWORD') else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "worker-kill-test",
        "DEBUG": "false",
        "DB_POOL": "false",
        "MAIL_SINK_DIR": str(sink),
        "KILL_TEST_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "worker.log"
    first = _start_worker(env, log, "first")
    try:
        notify_consultation_opened.apply_async(args=[review.pk], queue=queue)
        _wait(lambda: len(_files(sink)) >= RECIPIENTS // 4, 180, "the mailing to be under way", first, log)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    at_kill = len(_files(sink))
    assert 0 < at_kill < RECIPIENTS, "the worker must die in the middle of the mailing"

    second = _start_worker(env, log, "second")
    try:

        def finished():
            return Review.objects.filter(pk=review.pk, opened_notified_at__isnull=False).exists()

        _wait(finished, 300, "the redelivered task to finish the mailing", second, log)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()

    # the setup's own on-commit tasks went to the default queue, which no test worker consumes
    with notify_consultation_opened.app.connection_for_write() as conn:
        conn.default_channel.queue_purge(notify_consultation_opened.app.conf.task_default_queue)

    received = Counter()
    for path in _files(sink):
        message = message_from_bytes(path.read_bytes())
        received[message["To"]] += 1
    expected = {f"reader{i:05d}@example.org" for i in range(RECIPIENTS)}
    missing = expected - set(received)
    twice = {to: n for to, n in received.items() if n > 1}
    assert not missing, f"{len(missing)} recipients got no email"
    assert not twice, f"recipients with two distinct emails: {twice}"
    assert set(received) >= expected
    assert (
        Delivery.objects.filter(event=f"consultations.consultation_opened:{review.pk}")
        .exclude(status="sent")
        .count()
        == 0
    )

    attempts = Counter(line.split("\t")[0] for line in (sink / "attempts.log").read_text().splitlines())
    resent = {to: n for to, n in attempts.items() if n > 1}
    # only the message in flight when the worker died may have been handed to the mail system twice,
    # and then with the same Message-ID (so it is one message, not two)
    assert len(resent) <= 1, resent
    # the task that was running when the worker died was delivered again to the second worker
    received_ids = Counter(
        re.findall(r"notify_consultation_opened\[([0-9a-f-]+)\] received", log.read_text())
    )
    assert any(n >= 2 for n in received_ids.values()), received_ids
    print(
        f"\nkilled after {at_kill} of {RECIPIENTS} emails; attempted twice (same Message-ID): {len(resent)}"
    )
