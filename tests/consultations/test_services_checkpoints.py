"""Cross-workstream checkpoints: a deliverable asks another workstream for review; that workstream's
members (only theirs) see and comment on the draft during member review; the status goes asked →
answered when one of them comments, or → no response when the member review closes without it; the
workflow page and the tracker show it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from consultations.models import Review
from consultations.services.comments import comment_create
from consultations.services.reviews import review_close
from initiative import policy
from initiative.models import AuditEvent
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import DeliverableFactory, EnrollmentFactory, WorkstreamFactory
from workstreams.models import Checkpoint
from workstreams.services.tracker import CheckpointError, checkpoint_ask


@pytest.fixture
def setup(staff):
    deliverable = DeliverableFactory(stage="member_review")
    version = make_version(deliverable=deliverable, actor=staff)
    review = ReviewFactory(
        version=version,
        kind=Review.Kind.MEMBER_REVIEW,
        closes_at=timezone.now() + datetime.timedelta(days=7),
    )
    cross_cutting = WorkstreamFactory(code="C", cross_cutting=True)
    other = WorkstreamFactory(code="D")
    return {
        "deliverable": deliverable,
        "version": version,
        "review": review,
        "asked": cross_cutting,
        "asked_member": EnrollmentFactory(workstream=cross_cutting).user,
        "other_member": EnrollmentFactory(workstream=other).user,
        "own_member": EnrollmentFactory(workstream=deliverable.workstream).user,
        "other": other,
    }


def perms(user, s):
    return (
        policy.can(user, "consultations.view_draft", s["version"]),
        policy.can(user, "consultations.view_review", s["review"]),
        policy.can(user, "consultations.comment_on_review", s["review"]),
    )


@pytest.mark.django_db
def test_only_the_asked_workstreams_members_see_and_comment_during_member_review(staff, setup):
    s = setup
    assert perms(s["asked_member"], s) == (False, False, False)  # not asked yet
    checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["asked"], note="Data access")
    # fresh user objects: roles are cached on the user for the length of a request
    asked = type(s["asked_member"]).objects.get(pk=s["asked_member"].pk)
    other = type(s["other_member"]).objects.get(pk=s["other_member"].pk)
    own = type(s["own_member"]).objects.get(pk=s["own_member"].pk)
    assert perms(asked, s) == (True, True, True)
    assert perms(other, s) == (False, False, False)
    assert perms(own, s) == (True, True, True)
    # after member review the asked workstream no longer sees the members-only draft
    s["deliverable"].stage = "revising"
    s["deliverable"].save(update_fields=["stage"])
    s["version"].deliverable.refresh_from_db()
    s["review"].version.deliverable.refresh_from_db()
    asked = type(asked).objects.get(pk=asked.pk)
    assert perms(asked, s) == (False, False, False)
    assert perms(type(own).objects.get(pk=own.pk), s)[0] is True


@pytest.mark.django_db
def test_asking_is_staff_only_audited_once_per_workstream_and_not_the_own(staff, setup):
    s = setup
    with pytest.raises(PermissionDenied):
        checkpoint_ask(actor=s["own_member"], deliverable=s["deliverable"], workstream=s["asked"])
    with pytest.raises(CheckpointError):
        checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["deliverable"].workstream)
    checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["asked"])
    with pytest.raises(CheckpointError):
        checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["asked"])
    event = AuditEvent.objects.get(action="checkpoint.ask")
    assert event.after["workstream"] == "C"


@pytest.mark.django_db
def test_a_comment_by_an_asked_member_answers_the_checkpoint(staff, setup):
    s = setup
    asked_cp = checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["asked"])
    other_cp = checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["other"])
    comment_create(actor=s["own_member"], review=s["review"], body="Own workstream's comment.")
    asked_cp.refresh_from_db()
    assert asked_cp.status == "asked"
    comment_create(actor=s["asked_member"], review=s["review"], body="Workstream C's view on data access.")
    asked_cp.refresh_from_db()
    assert asked_cp.status == "answered" and asked_cp.answered_at is not None
    review_close(actor=staff, review=s["review"])
    asked_cp.refresh_from_db()
    other_cp.refresh_from_db()
    assert (asked_cp.status, other_cp.status) == ("answered", "no_response")


@pytest.mark.django_db
def test_workflow_page_and_tracker_show_the_status(client, staff, setup):
    s = setup
    client.force_login(staff)
    url = reverse("consultations:deliverable-workflow", args=[s["deliverable"].pk])
    page = client.get(url).content.decode()
    assert "No other workstream has been asked" in page
    assert '<label class="usa-label" for="id_workstream">Workstream to ask</label>' in page
    response = client.post(
        reverse("consultations:checkpoint-ask", args=[s["deliverable"].pk]),
        {"workstream": s["asked"].pk, "note": "Check the data-access sections"},
    )
    assert response.status_code == 302
    assert Checkpoint.objects.get().status == "asked"
    page = client.get(url).content.decode()
    assert s["asked"].title in page and "<strong>Asked</strong>" in page
    tracker = client.get(reverse("workstreams:tracker")).content.decode()
    assert "C: asked" in tracker
    # a participant may not ask
    client.force_login(s["own_member"])
    refused = client.post(
        reverse("consultations:checkpoint-ask", args=[s["deliverable"].pk]), {"workstream": s["other"].pk}
    )
    assert refused.status_code == 403


@pytest.mark.django_db
def test_the_asked_members_dashboard_lists_the_member_review(staff, setup):
    from consultations.selectors.reviews import review_list_open_for

    s = setup
    assert list(review_list_open_for(user=s["asked_member"])) == []
    checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["asked"])
    assert list(review_list_open_for(user=s["asked_member"])) == [s["review"]]
    assert list(review_list_open_for(user=s["other_member"])) == []


@pytest.mark.django_db
def test_the_cross_cutting_workstream_is_suggested_until_it_has_been_asked(client, staff, setup):
    """The report: Workstream C is a cross-cutting theme with regular coordination checkpoints with the
    others, so staff find it chosen in the form; once asked, nothing is preselected."""
    s = setup
    client.force_login(staff)
    url = reverse("consultations:deliverable-workflow", args=[s["deliverable"].pk])

    def workstream_select():
        html = client.get(url).content.decode()
        start = html.index('name="workstream"')
        return html[start : html.index("</select>", start)], html

    select, html = workstream_select()
    assert f'<option value="{s["asked"].pk}" selected>' in select
    assert "cross-cutting theme" in html
    checkpoint_ask(actor=staff, deliverable=s["deliverable"], workstream=s["asked"])
    select, _html = workstream_select()
    assert f'value="{s["asked"].pk}"' not in select and '<option value="" selected>' in select


@pytest.mark.django_db
def test_the_report_marks_workstream_c_cross_cutting_when_loaded():
    from django.core.management import call_command

    from workstreams.models import Workstream

    call_command("load_initiative", verbosity=0)
    assert list(Workstream.objects.filter(cross_cutting=True).values_list("code", flat=True)) == ["C"]
