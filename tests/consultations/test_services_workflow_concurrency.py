"""Two people (or a person and the sweep) moving the same deliverable at once: the row lock serializes
them, one move wins, the other sees the new stage and is refused — never two history rows."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from consultations import workflow
from consultations.models import DeliverableTransition, Review
from consultations.services import workflow as wf
from tests.consultations.factories_workflow import deliverable_at, staff_user


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_transitions_make_one_move():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    staff = staff_user()
    deliverable = deliverable_at("member_review", staff=staff, is_key=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def move():
        try:
            barrier.wait(timeout=10)
            now = timezone.now()
            wf.deliverable_transition(
                actor=staff,
                deliverable=deliverable,
                name="open_public_consultation",
                opens_at=now,
                closes_at=now + datetime.timedelta(days=10),
            )
            outcomes.append("moved")
        except workflow.IllegalTransition as exc:
            outcomes.append(("refused", exc.current, exc.requested))
        except Exception as exc:  # noqa: BLE001
            outcomes.append(("error", repr(exc)))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=move) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(map(str, outcomes)) == sorted(
        ["moved", str(("refused", "public_consultation", "public_consultation"))]
    ), outcomes
    deliverable.refresh_from_db()
    assert deliverable.stage == "public_consultation"
    assert (
        DeliverableTransition.objects.filter(deliverable=deliverable, name="open_public_consultation").count()
        == 1
    )
    assert Review.objects.filter(version__deliverable=deliverable, kind="public_consultation").count() == 1
