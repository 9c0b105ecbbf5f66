"""The outbox every fan-out shares: the sweep sends what is still unsent and nothing already sent, a row
left "sending" by a dead worker goes out again after its lease with the same Message-ID, an event that
no longer stands is skipped, and two sweeps running at once send each email once."""

import datetime
import threading
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from initiative import outbox
from initiative.models import Delivery
from initiative.tasks import sweep_outbox

STANDING: dict[str, bool] = {}


def _shared(ref: str) -> dict | None:
    return {"ref": ref} if STANDING.get(ref, True) else None


def _personal(shared: dict, row_context: dict) -> dict | None:
    if row_context.get("gone"):
        return None
    return {"context": {"confirm_path": row_context["confirm_path"]}}


KIND = outbox.register("tests.list_confirm", shared=_shared, personal=_personal).name


def _plan(ref, emails, **extra) -> str:
    return outbox.plan(
        kind=KIND,
        ref=ref,
        template="consultations_list_confirm",
        recipients={e: {"confirm_path": f"/confirm/{e}/", **extra} for e in emails},
    )


def _received() -> Counter:
    return Counter(m.to[0] for m in mail.outbox)


@pytest.mark.django_db
def test_the_sweep_sends_what_no_task_sent_and_nothing_twice():
    event = _plan("a", ["one@example.org", "two@example.org", "three@example.org"])
    Delivery.objects.filter(email="one@example.org").update(status="sent", sent_at=timezone.now())
    assert sweep_outbox.run() == {"sent": 2, "skipped": 0, "pending": 0}
    assert _received() == Counter({"two@example.org": 1, "three@example.org": 1})
    assert "/confirm/two@example.org/" in next(m for m in mail.outbox if m.to == ["two@example.org"]).body
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id(event, mail.outbox[0].to[0])
    _plan("a", ["one@example.org", "two@example.org", "three@example.org"])  # planned again: no new rows
    assert sweep_outbox.run()["sent"] == 0
    assert len(mail.outbox) == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_row_claimed_by_a_dead_worker_is_sent_again_after_its_lease_with_the_same_message_id(settings):
    settings.NOTIFICATION_CLAIM_LEASE_SECONDS = 120
    event = _plan("b", ["a@example.org"])
    Delivery.objects.update(status="sending", claimed_at=timezone.now())  # a worker died after claiming
    progress = outbox.sweep()
    assert (progress.sent, progress.in_flight) == (0, 1) and not mail.outbox
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=121)):
        assert outbox.sweep().done
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id(event, "a@example.org")
    assert Delivery.objects.get().attempts == 1


@pytest.mark.django_db
def test_an_event_or_a_recipient_that_no_longer_stands_is_skipped_not_sent():
    STANDING["stale"] = False
    try:
        _plan("stale", ["x@example.org", "y@example.org"])
        _plan("c", ["kept@example.org"])
        _plan("c", ["gone@example.org"], gone=True)
        progress = outbox.sweep()
    finally:
        del STANDING["stale"]
    assert (progress.sent, progress.skipped) == (1, 3)
    assert _received() == Counter({"kept@example.org": 1})
    assert Delivery.objects.filter(status="skipped").count() == 3
    assert outbox.sweep().sent == 0


@pytest.mark.django_db
def test_a_send_that_fails_gives_the_row_back_for_the_next_sweep(monkeypatch):
    _plan("d", ["a@example.org"])

    def down(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("initiative.emails.EmailMultiAlternatives.send", down)
    assert outbox.sweep().failed == 1  # the sweep carries on; it runs again in a minute
    assert Delivery.objects.get().status == "pending"
    with pytest.raises(OSError):  # an event's own task raises, so that it retries with backoff
        outbox.deliver(outbox.event_key(KIND, "d"))
    monkeypatch.undo()
    assert outbox.sweep().sent == 1


@pytest.mark.django_db
def test_a_message_that_cannot_be_built_is_set_aside_and_the_others_still_go_out(caplog):
    _plan("f", ["broken@example.org"], confirm_path=None)
    Delivery.objects.update(context={})  # its renderer will fail on the missing key
    _plan("g", ["fine@example.org"])
    progress = outbox.sweep()
    assert (progress.sent, progress.failed) == (1, 1)
    assert _received() == Counter({"fine@example.org": 1})
    assert Delivery.objects.get(email="broken@example.org").status == "failed"
    assert "cannot be sent" in caplog.text
    assert outbox.sweep().failed == 0  # not retried every minute


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_email_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent claims need PostgreSQL's row locks")
    emails = [f"reader{i:03d}@example.org" for i in range(150)]
    _plan("e", emails)
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(outbox.sweep().sent)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sum(results) == len(emails)
    assert _received() == Counter({e: 1 for e in emails})
    assert Delivery.objects.exclude(status="sent").count() == 0
