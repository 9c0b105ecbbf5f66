"""Submitting a key "draft final" deliverable to the steering committee needs a held webinar linked to
it, or a waiver with a reason recorded in the history; the requirement lives in the workflow's table
and webinars registers the check (consultations never imports webinars)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from consultations import workflow
from consultations.models import Approval, DeliverableTransition
from consultations.services import workflow as wf
from initiative.models import AuditEvent
from tests.consultations.factories import ReviewFactory
from tests.consultations.factories_workflow import committee, drive, staff_user
from tests.factories import DeliverableFactory
from tests.webinars.factories import WebinarFactory


def revising(*, is_key=True, staff=None):
    """A deliverable at "revising" after an ended public consultation, with a committee to vote."""
    deliverable = drive(DeliverableFactory(is_key=is_key), "revising", staff=staff)
    committee(3)
    return deliverable


def submit(deliverable, actor, **inputs):
    return wf.deliverable_transition(
        actor=actor,
        deliverable=deliverable,
        name="submit",
        deadline=timezone.now() + datetime.timedelta(days=7),
        **inputs,
    )


def past_webinar(**kwargs):
    return WebinarFactory(starts_at=timezone.now() - datetime.timedelta(days=1), **kwargs)


@pytest.mark.django_db
def test_submit_in_the_table_requires_a_held_webinar():
    assert workflow.HELD_WEBINAR in workflow.BY_NAME["submit"].requires


@pytest.mark.django_db
def test_key_deliverable_without_a_held_webinar_is_refused_with_the_reason():
    staff = staff_user()
    deliverable = revising(staff=staff)
    with pytest.raises(workflow.RequirementNotMet) as exc:
        submit(deliverable, staff)
    assert "webinar" in exc.value.message
    deliverable.refresh_from_db()
    assert deliverable.stage == "revising"
    assert not Approval.objects.filter(deliverable=deliverable).exists()


@pytest.mark.django_db
def test_a_scheduled_or_cancelled_webinar_does_not_count():
    staff = staff_user()
    deliverable = revising(staff=staff)
    WebinarFactory(deliverable=deliverable)  # next week: not held yet
    past_webinar(deliverable=deliverable, status="cancelled")
    past_webinar()  # held, but about something else
    with pytest.raises(workflow.RequirementNotMet):
        submit(deliverable, staff)


@pytest.mark.django_db
def test_key_deliverable_with_a_held_webinar_is_submitted():
    staff = staff_user()
    deliverable = revising(staff=staff)
    past_webinar(deliverable=deliverable)
    row = submit(deliverable, staff)
    assert row.to_stage == "submitted" and row.waivers == {}


@pytest.mark.django_db
def test_a_held_webinar_on_the_deliverables_public_consultation_counts():
    staff = staff_user()
    deliverable = revising(staff=staff)
    consultation = deliverable.versions.get().reviews.get(kind="public_consultation")
    past_webinar(consultation=consultation)
    assert submit(deliverable, staff).to_stage == "submitted"


@pytest.mark.django_db
def test_waiver_with_reason_submits_and_is_recorded_in_history_and_audit():
    staff = staff_user()
    deliverable = revising(staff=staff)
    row = submit(deliverable, staff, waive=[workflow.HELD_WEBINAR], waiver_reason="Briefed at NARUC instead.")
    assert row.to_stage == "submitted"
    assert DeliverableTransition.objects.get(pk=row.pk).waivers == {
        "held_webinar": "Briefed at NARUC instead."
    }
    event = AuditEvent.objects.get(action="deliverable.requirement_waive")
    assert event.reason == "Briefed at NARUC instead." and event.actor == staff


@pytest.mark.django_db
def test_waiver_without_reason_is_refused():
    staff = staff_user()
    deliverable = revising(staff=staff)
    with pytest.raises(wf.TransitionInputError):
        submit(deliverable, staff, waive=[workflow.HELD_WEBINAR], waiver_reason="  ")
    deliverable.refresh_from_db()
    assert deliverable.stage == "revising"


@pytest.mark.django_db
def test_only_someone_allowed_to_waive_may_waive(monkeypatch):
    staff = staff_user()
    deliverable = revising(staff=staff)
    # the rule says implementation staff; prove the service asks it
    from initiative import policy

    real = policy.require

    def require(user, action, obj=None):
        if action == "consultations.waive_requirement":
            raise PermissionDenied
        return real(user, action, obj)

    monkeypatch.setattr(policy, "require", require)
    with pytest.raises(PermissionDenied):
        submit(deliverable, staff, waive=[workflow.HELD_WEBINAR], waiver_reason="Because.")


@pytest.mark.django_db
def test_non_key_deliverable_is_unaffected():
    staff = staff_user()
    deliverable = drive(DeliverableFactory(is_key=False), "member_review", staff=staff)
    wf.deliverable_transition(actor=staff, deliverable=deliverable, name="skip_consultation")
    committee(3)
    row = submit(deliverable, staff)
    assert row.to_stage == "submitted" and row.waivers == {}


@pytest.mark.django_db
def test_without_a_registered_check_the_requirement_is_unmet(monkeypatch):
    """Fail closed: with no app answering, only a waiver lets a key deliverable through."""
    monkeypatch.setattr(workflow, "_CHECKS", {})
    deliverable = DeliverableFactory(is_key=True, stage="revising")
    past_webinar(deliverable=deliverable)
    assert [r.name for r in workflow.unmet(deliverable, workflow.BY_NAME["submit"])] == ["held_webinar"]


# The submit page ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_submit_form_shows_why_and_offers_the_waiver_to_staff(client):
    staff = staff_user()
    deliverable = revising(staff=staff)
    client.force_login(staff)
    html = client.get(reverse("consultations:deliverable-workflow", args=[deliverable.pk])).content.decode()
    assert "Not yet possible" in html and "webinar linked to it has been held" in html
    assert 'name="submit-waive"' in html and 'name="submit-waiver_reason"' in html
    assert (
        '<label class="usa-checkbox__label" for="id_submit-waive">Waive the webinar requirement</label>'
        in html
    )


@pytest.mark.django_db
def test_submit_form_has_no_waiver_once_a_webinar_was_held(client):
    staff = staff_user()
    deliverable = revising(staff=staff)
    past_webinar(deliverable=deliverable)
    client.force_login(staff)
    html = client.get(reverse("consultations:deliverable-workflow", args=[deliverable.pk])).content.decode()
    assert "Not yet possible" not in html and "submit-waive" not in html


def _post_submit(client, deliverable, **extra):
    deadline = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    data = {"transition": "submit", "submit-transition": "submit", "submit-deadline": deadline, **extra}
    return client.post(reverse("consultations:deliverable-transition", args=[deliverable.pk]), data)


@pytest.mark.django_db
def test_submit_by_post_is_refused_409_then_waived_with_a_reason(client):
    staff = staff_user()
    deliverable = revising(staff=staff)
    client.force_login(staff)
    refused = _post_submit(client, deliverable)
    assert refused.status_code == 409
    assert "webinar" in refused.content.decode()
    no_reason = _post_submit(client, deliverable, **{"submit-waive": "on"})
    assert no_reason.status_code == 400
    done = _post_submit(
        client, deliverable, **{"submit-waive": "on", "submit-waiver_reason": "Held outside the platform."}
    )
    assert done.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.stage == "submitted"
    page = client.get(reverse("consultations:deliverable-workflow", args=[deliverable.pk])).content.decode()
    assert "Waive the webinar requirement:</strong> Held outside the platform." in page


@pytest.mark.django_db
def test_api_refuses_a_key_submission_without_webinar_with_409(client):
    staff = staff_user()
    deliverable = revising(staff=staff)
    client.force_login(staff)
    deadline = (timezone.now() + datetime.timedelta(days=7)).isoformat()
    url = reverse("api:deliverable-transitions", args=[deliverable.pk])
    response = client.post(
        url, {"transition": "submit", "deadline": deadline}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["current"] == "revising"


def test_reviewfactory_is_importable():
    assert ReviewFactory  # the helper module's own imports stay valid
