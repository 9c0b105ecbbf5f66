"""Reliability: a real Celery worker (a subprocess, on Redis and PostgreSQL) is SIGKILLed about 200 emails
into a webinar's "changed" notice to 600 registrants. The broker would redeliver the task only after its
visibility timeout (an hour); a restarted worker running the outbox sweep, as beat does every minute,
finishes the fan-out well within five minutes, and every registrant has exactly one email."""

import os
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from initiative.models import Delivery
from initiative.tasks import sweep_outbox
from tests.consultations.test_worker_workflow import _files, _start_worker, _wait
from webinars import services
from webinars.models import Registration
from webinars.tasks import send_webinar_changed

from .factories import WebinarFactory

REGISTRANTS = 600
ROOT = Path(__file__).resolve().parents[2]
BOUND = 300  # seconds from the restart until every registrant has the notice


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_fan_out_cut_by_a_killed_worker_finishes_after_a_restart_once_per_registrant(tmp_path, staff):
    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs the real Redis broker and PostgreSQL")
    webinar = WebinarFactory(capacity=REGISTRANTS, starts_at=timezone.now() + timedelta(days=10))
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            webinar=webinar,
            name=f"Reader {i}",
            email=f"reader{i:04d}@example.org",
            stakeholder_type="other",
            consented_at=now,
            created_at=now,
            status=Registration.Status.CONFIRMED,
            seated_at=now,
            email_confirmed_at=now,
        )
        for i in range(REGISTRANTS)
    )
    # the change plans one outbox row per registrant in its own transaction (its on-commit task goes to
    # the default queue, which no test worker consumes; the test sends it to the workers' queue below)
    webinar = services.webinar_update(
        actor=staff, webinar=webinar, starts_at=webinar.starts_at + timedelta(hours=2)
    )
    assert Delivery.objects.filter(kind="webinars.changed", status="pending").count() == REGISTRANTS

    sink = tmp_path / "mail"
    queue = f"fanout-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.webinars.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}{(':' + db['PASSWORD']) if db.get('PASSWORD') else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "fanout-kill-test",
        "DEBUG": "false",
        "DB_POOL": "false",
        "MAIL_SINK_DIR": str(sink),
        "KILL_TEST_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "worker.log"
    first = _start_worker(env, log, "first")
    try:
        send_webinar_changed.apply_async(args=[webinar.pk, webinar.ics_sequence], queue=queue)
        _wait(lambda: len(_files(sink)) >= 200, 180, "the notice to be under way", first, log)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    at_kill = len(_files(sink))
    assert 0 < at_kill < REGISTRANTS, "the worker must die in the middle of the fan-out"

    second = _start_worker(env, log, "second")
    restarted = time.monotonic()
    try:
        last_tick = 0.0

        def finished():
            nonlocal last_tick
            if time.monotonic() - last_tick > 2:  # beat's tick, faster: the worker lease here is 3 s
                sweep_outbox.apply_async(queue=queue)
                last_tick = time.monotonic()
            return not Delivery.objects.filter(kind="webinars.changed").exclude(status="sent").exists()

        _wait(finished, BOUND, "the sweep to finish the fan-out", second, log)
        took = time.monotonic() - restarted
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
    with send_webinar_changed.app.connection_for_write() as conn:
        conn.default_channel.queue_purge(send_webinar_changed.app.conf.task_default_queue)
        conn.default_channel.queue_purge(queue)

    received = Counter(message_from_bytes(path.read_bytes())["To"] for path in _files(sink))
    expected = {f"reader{i:04d}@example.org" for i in range(REGISTRANTS)}
    assert set(received) == expected, f"{len(expected - set(received))} registrants got no notice"
    assert not {to: n for to, n in received.items() if n > 1}, "a registrant got two distinct emails"
    assert took < BOUND
    attempts = Counter(line.split("\t")[0] for line in (sink / "attempts.log").read_text().splitlines())
    # only the message in flight when the worker died may have been handed over twice (same Message-ID)
    assert len({to for to, n in attempts.items() if n > 1}) <= 1
    # the killed task itself was never redelivered: the sweep alone finished the fan-out
    received_ids = Counter(re.findall(r"send_webinar_changed\[([0-9a-f-]+)\] received", log.read_text()))
    assert list(received_ids.values()) == [1], received_ids
    print(f"\nkilled after {at_kill} of {REGISTRANTS}; the rest sent {took:.0f} s after the restart")
