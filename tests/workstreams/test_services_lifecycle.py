"""The five-step lifecycle: steps start and complete strictly in order, only staff move them, and
every move is in the audit log; step sections assemble into the running report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from initiative.models import AuditEvent
from workstreams.models import LifecycleStep, StepStatus
from workstreams.services import lifecycle

pytestmark = pytest.mark.django_db


def step(ws, n):
    return LifecycleStep.objects.get(workstream=ws, number=n)


def test_steps_start_and_complete_in_order_with_actual_dates(staff, workstream):
    day = datetime.date(2026, 3, 2)
    lifecycle.step_start(actor=staff, step=step(workstream, 1), on=day)
    lifecycle.step_complete(actor=staff, step=step(workstream, 1), on=day + datetime.timedelta(days=30))
    lifecycle.step_start(actor=staff, step=step(workstream, 2), on=day + datetime.timedelta(days=31))
    s1, s2 = step(workstream, 1), step(workstream, 2)
    assert (s1.status, s1.started_on, s1.completed_on) == ("complete", day, day + datetime.timedelta(days=30))
    assert s2.status == "in_progress" and s2.started_on == day + datetime.timedelta(days=31)
    actions = list(AuditEvent.objects.filter(action__startswith="step.").values_list("action", flat=True))
    assert sorted(actions) == ["step.complete", "step.start", "step.start"]
    event = AuditEvent.objects.filter(action="step.complete").get()
    assert event.before["status"] == "in_progress" and event.after["status"] == "complete"
    assert event.actor == staff


def test_starting_a_step_before_the_previous_is_complete_is_refused(staff, workstream):
    with pytest.raises(lifecycle.StepOrderError) as exc:
        lifecycle.step_start(actor=staff, step=step(workstream, 2))
    assert exc.value.current == "not_started" and exc.value.requested == "in_progress"
    lifecycle.step_start(actor=staff, step=step(workstream, 1))
    with pytest.raises(lifecycle.StepOrderError):
        lifecycle.step_start(actor=staff, step=step(workstream, 2))  # step 1 only in progress
    assert step(workstream, 2).status == StepStatus.NOT_STARTED
    assert not AuditEvent.objects.filter(action="step.start", object_id=str(step(workstream, 2).pk)).exists()


def test_completing_a_step_that_is_not_in_progress_is_refused(staff, workstream):
    with pytest.raises(lifecycle.StepOrderError):
        lifecycle.step_complete(actor=staff, step=step(workstream, 1))
    lifecycle.step_start(actor=staff, step=step(workstream, 1))
    lifecycle.step_complete(actor=staff, step=step(workstream, 1))
    with pytest.raises(lifecycle.StepOrderError):
        lifecycle.step_complete(actor=staff, step=step(workstream, 1))
    with pytest.raises(lifecycle.StepOrderError):
        lifecycle.step_start(actor=staff, step=step(workstream, 1))


def test_allowed_actions_offer_only_the_next_move(staff, workstream):
    assert lifecycle.allowed_actions(list(workstream.steps.all())) == {
        1: ["start"],
        2: [],
        3: [],
        4: [],
        5: [],
    }
    lifecycle.step_start(actor=staff, step=step(workstream, 1))
    lifecycle.step_complete(actor=staff, step=step(workstream, 1))
    assert lifecycle.allowed_actions(list(workstream.steps.all()))[2] == ["start"]


@pytest.mark.parametrize("role", ["participant", "public_user", "committee_member"])
def test_only_staff_move_steps(roles, workstream, role):
    with pytest.raises(PermissionDenied):
        lifecycle.step_start(actor=roles[role], step=step(workstream, 1))
    with pytest.raises(PermissionDenied):
        lifecycle.step_update(
            actor=roles[role], step=step(workstream, 1), section="x", planned_start=None, planned_end=None
        )


def test_out_of_order_post_shows_an_error_and_changes_nothing(client, staff, workstream):
    client.force_login(staff)
    response = client.post(f"/workstreams/{workstream.slug}/steps/3/start/", follow=True)
    assert "must be complete before step 3" in response.content.decode()
    assert step(workstream, 3).status == "not_started"


def test_workstream_page_offers_staff_the_next_step_button(client, staff, workstream):
    client.force_login(staff)
    page = client.get(workstream.get_absolute_url()).content.decode()
    assert f"/workstreams/{workstream.slug}/steps/1/start/" in page
    assert f"/workstreams/{workstream.slug}/steps/2/start/" not in page


def test_sections_assemble_into_the_running_report_sanitized(client, staff, workstream):
    client.force_login(staff)
    response = client.post(
        f"/workstreams/{workstream.slug}/steps/1/",
        {
            "section": "## Findings\n\nUtilities **differ**.<script>alert(1)</script>",
            "planned_start": "2026-02-01",
            "planned_end": "2026-03-31",
        },
    )
    assert response.status_code == 302
    s1 = step(workstream, 1)
    assert s1.planned_start == datetime.date(2026, 2, 1)
    assert AuditEvent.objects.filter(action="step.update").exists()
    client.logout()
    page = client.get(f"/workstreams/{workstream.slug}/report/").content.decode()
    assert "<strong>differ</strong>" in page
    assert "<script>alert(1)" not in page
    assert "This section has not been written yet." in page  # steps 2–5


def test_planned_end_before_start_is_refused(client, staff, workstream):
    client.force_login(staff)
    response = client.post(
        f"/workstreams/{workstream.slug}/steps/1/",
        {"section": "", "planned_start": "2026-05-01", "planned_end": "2026-04-01"},
    )
    assert response.status_code == 422


def test_step_move_never_redirects_off_site(client, staff, workstream):
    client.force_login(staff)
    response = client.post(
        f"/workstreams/{workstream.slug}/steps/1/start/", {"next": "https://evil.example/phish"}
    )
    assert response.status_code == 302 and response["Location"] == workstream.get_absolute_url()
    response = client.post(
        f"/workstreams/{workstream.slug}/steps/1/complete/",
        {"next": f"/workstreams/{workstream.slug}/steps/1/"},
    )
    assert response["Location"] == f"/workstreams/{workstream.slug}/steps/1/"


def test_staff_record_the_actual_date_of_a_move_within_bounds(client, staff, workstream):
    """The step page takes an actual date (default today); it may not be in the future nor before the
    step started (or, for a start, before the previous step was completed)."""
    client.force_login(staff)
    url = f"/workstreams/{workstream.slug}/steps/1/"
    assert 'type="date" name="on"' in client.get(url).content.decode()
    today = timezone.localdate()
    started = today - datetime.timedelta(days=20)
    client.post(f"{url}start/", {"on": started.isoformat(), "next": url})
    assert step(workstream, 1).started_on == started

    page = client.post(
        f"{url}complete/", {"on": (started - datetime.timedelta(days=1)).isoformat()}, follow=True
    ).content.decode()
    assert "The actual date must be between" in page and step(workstream, 1).status == "in_progress"
    client.post(f"{url}complete/", {"on": (today + datetime.timedelta(days=1)).isoformat()})
    assert step(workstream, 1).status == "in_progress"

    client.post(f"{url}complete/", {"on": (started + datetime.timedelta(days=5)).isoformat()})
    assert step(workstream, 1).completed_on == started + datetime.timedelta(days=5)
    with pytest.raises(lifecycle.StepOrderError):
        lifecycle.step_start(actor=staff, step=step(workstream, 2), on=started)
    client.post(f"/workstreams/{workstream.slug}/steps/2/start/", {"on": "not-a-date"})
    assert step(workstream, 2).status == "not_started"
    client.post(f"/workstreams/{workstream.slug}/steps/2/start/")
    assert step(workstream, 2).started_on == today
