"""Overbooking is refused under concurrency: many threads, each with its own PostgreSQL connection,
sign up at the same moment for a webinar with few seats."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections

from webinars import services
from webinars.models import Registration

from .factories import WebinarFactory

THREADS = 24
CAPACITY = 5


def _burst(webinar_id: int, emails: list[str]) -> list:
    barrier = threading.Barrier(len(emails))

    def one(email: str):
        try:
            barrier.wait(timeout=30)
            return services.registration_create(
                actor=AnonymousUser(),
                webinar_id=webinar_id,
                name=email,
                email=email,
                organization="",
                stakeholder_type="other",
                consent=True,
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(emails)) as pool:
        return list(pool.map(one, emails))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_signups_never_exceed_capacity_and_queue_in_order():
    webinar = WebinarFactory(capacity=CAPACITY)
    emails = [f"burst{i}@example.org" for i in range(THREADS)]
    results = _burst(webinar.pk, emails)
    assert all(r.created for r in results)

    regs = list(Registration.objects.filter(webinar=webinar).order_by("pk"))
    confirmed = [r for r in regs if r.status == "confirmed"]
    waitlisted = [r for r in regs if r.status == "waitlisted"]
    assert len(confirmed) == CAPACITY
    assert len(waitlisted) == THREADS - CAPACITY
    # Seats went to the first rows written under the lock; the waitlist follows in the same order.
    assert max(r.pk for r in confirmed) < min(r.pk for r in waitlisted)
    queue = list(Registration.objects.filter(webinar=webinar).waitlist())
    assert [r.pk for r in queue] == [r.pk for r in waitlisted]
    assert [r.waitlisted_at for r in queue] == sorted(r.waitlisted_at for r in queue)

    # The same emails again, all at once: nothing new is created.
    again = _burst(webinar.pk, emails[:8])
    assert not any(r.created for r in again)
    assert Registration.objects.filter(webinar=webinar).count() == THREADS

    # Simultaneous cancellations promote the head of the waitlist, in order, never past capacity.
    def cancel(reg):
        try:
            services.registration_cancel(actor=None, registration=reg)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(cancel, confirmed[:3]))
    now_confirmed = set(
        Registration.objects.filter(webinar=webinar, status="confirmed").values_list("pk", flat=True)
    )
    assert len(now_confirmed) == CAPACITY
    assert {r.pk for r in waitlisted[:3]} <= now_confirmed
    assert not {r.pk for r in waitlisted[3:]} & now_confirmed
