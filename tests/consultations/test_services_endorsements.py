"""Endorsement rules: one position per organization, recorded only by its designated representative,
only while the window is open (by the clock), statements required for dissent; the tally by stakeholder
type and which statements are published."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from consultations.models import Endorsement, EndorsementWindow
from consultations.selectors import endorsements as selectors
from consultations.services import endorsements as services
from initiative.models import AuditEvent
from tests.consultations.factories import make_version
from tests.consultations.factories_endorsements import open_window, participating_org
from tests.factories import DeliverableFactory, EnrollmentFactory, OrganizationFactory, UserFactory


def record(window, org, position="endorse", statement="", **kw):
    return services.endorsement_record(
        actor=org.representative,
        window=window,
        organization=org,
        position=position,
        statement=statement,
        **kw,
    )


@pytest.mark.django_db
def test_opening_a_window_is_staff_only_audited_and_tells_representatives(
    staff, participant, django_capture_on_commit_callbacks, mailoutbox, eager_tasks
):
    deliverable = DeliverableFactory(is_key=True, stage="revising")
    org = participating_org(deliverable.workstream)
    version = make_version(deliverable=deliverable, actor=staff)
    closes = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(PermissionDenied):
        services.endorsement_window_open(actor=participant, version=version, closes_at=closes)
    with django_capture_on_commit_callbacks(execute=True):
        window = services.endorsement_window_open(actor=staff, version=version, closes_at=closes)
    assert window.version == version and window.is_open()
    assert AuditEvent.objects.filter(action="endorsement_window.open", object_id=str(window.pk)).exists()
    assert [m.to for m in mailoutbox] == [[org.representative.email]]
    window.refresh_from_db()
    assert window.notified_at is not None


@pytest.mark.django_db
def test_one_window_per_version_and_none_after_submission(staff):
    window = open_window(staff=staff)
    with pytest.raises(services.EndorsementError) as exc:
        services.endorsement_window_open(
            actor=staff, version=window.version, closes_at=timezone.now() + datetime.timedelta(days=3)
        )
    assert exc.value.code == "exists"
    submitted = DeliverableFactory(is_key=True, stage="submitted")
    with pytest.raises(services.EndorsementError) as exc:
        open_window(staff=staff, deliverable=submitted)
    assert exc.value.code == "stage"


@pytest.mark.django_db
def test_one_position_per_organization_a_second_changes_it(staff):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream)
    record(window, org, "endorse")
    changed = record(window, org, "cannot_endorse", "The cost allocation is unfair to co-ops.")
    assert Endorsement.objects.filter(window=window, organization=org).count() == 1
    assert changed.position == "cannot_endorse" and changed.changed_at is not None
    assert AuditEvent.objects.filter(action="endorsement.change").get().before["position"] == "endorse"


@pytest.mark.django_db
def test_the_database_refuses_a_second_row_for_one_organization(staff):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream)
    record(window, org)
    with pytest.raises(IntegrityError):
        Endorsement.objects.create(
            window=window, organization=org, stakeholder_type="iou", position="abstain"
        )


@pytest.mark.django_db
def test_positions_are_refused_after_the_window_closes_by_the_clock(staff):
    window = open_window(staff=staff, days=2)
    org = participating_org(window.deliverable.workstream)
    record(window, org, "endorse")
    with time_machine.travel(window.closes_at + datetime.timedelta(seconds=1)):
        with pytest.raises(services.EndorsementError) as exc:
            record(window, org, "abstain")
    assert exc.value.code == "closed"
    assert Endorsement.objects.get(window=window, organization=org).position == "endorse"


@pytest.mark.django_db
def test_positions_are_refused_after_staff_close_early_and_before_it_opens(staff):
    deliverable = DeliverableFactory(is_key=True, stage="revising")
    org = participating_org(deliverable.workstream)
    later = services.endorsement_window_open(
        actor=staff,
        version=make_version(deliverable=deliverable, actor=staff),
        opens_at=timezone.now() + datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=5),
    )
    with pytest.raises(services.EndorsementError):
        record(later, org)
    window = open_window(staff=staff)
    org2 = participating_org(window.deliverable.workstream)
    assert services.endorsement_window_close(actor=staff, window=window)
    with pytest.raises(services.EndorsementError) as exc:
        record(window, org2)
    assert exc.value.code == "closed"
    assert not services.endorsement_window_close(actor=staff, window=window)  # already closed


@pytest.mark.django_db
def test_only_the_designated_representative_records(staff, committee_member):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream)
    colleague = UserFactory(verified=True, organization=org)
    EnrollmentFactory(workstream=window.deliverable.workstream, organization=org, user=colleague)
    for someone in (colleague, staff, committee_member):
        with pytest.raises(PermissionDenied):
            services.endorsement_record(actor=someone, window=window, organization=org, position="endorse")
    assert not Endorsement.objects.exists()
    record(window, org)
    assert Endorsement.objects.get().recorded_by == org.representative


@pytest.mark.django_db
def test_an_organization_outside_the_workstream_cannot_record(staff):
    window = open_window(staff=staff)
    outsider = OrganizationFactory()
    outsider.representative = UserFactory(verified=True, organization=outsider)
    outsider.save(update_fields=["representative"])
    with pytest.raises(services.EndorsementError) as exc:
        record(window, outsider)
    assert exc.value.code == "not_participating"


@pytest.mark.django_db
@pytest.mark.parametrize("position", ["reservations", "cannot_endorse"])
def test_dissent_needs_a_statement(staff, position):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream)
    with pytest.raises(services.EndorsementError) as exc:
        record(window, org, position, "   ")
    assert exc.value.code == "statement"
    with pytest.raises(IntegrityError):  # and the database says so too
        Endorsement.objects.create(window=window, organization=org, stakeholder_type="iou", position=position)


@pytest.mark.django_db
def test_tally_by_stakeholder_type(staff):
    window = open_window(staff=staff)
    ws = window.deliverable.workstream
    a, b = participating_org(ws, type="iou"), participating_org(ws, type="iou")
    c = participating_org(ws, type="state_regulator")
    participating_org(ws, type="der_developer")  # has not answered: not in the tally
    record(window, a, "endorse")
    record(window, b, "reservations", "Needs a cost section.")
    record(window, c, "cannot_endorse", "Out of our jurisdiction's practice.")
    summary = selectors.endorsement_summary(window)
    table = {row.type: row.counts for row in summary.rows}
    # columns: endorse, with reservations, cannot endorse, abstain
    assert table == {"iou": [1, 1, 0, 0], "state_regulator": [0, 0, 1, 0]}
    assert summary.totals == [1, 1, 1, 0] and summary.total == 3


@pytest.mark.django_db
def test_stakeholder_type_is_the_one_when_recorded(staff):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream, type="iou")
    record(window, org)
    org.type = "municipal_utility"
    org.save(update_fields=["type"])
    assert [r.type for r in selectors.endorsement_summary(window).rows] == ["iou"]


@pytest.mark.django_db
def test_statements_are_published_and_dissent_withheld_on_request(staff):
    window = open_window(staff=staff)
    ws = window.deliverable.workstream
    loud = participating_org(ws, name="Loud Co-op")
    quiet = participating_org(ws, name="Quiet Utility")
    fan = participating_org(ws, name="Fan Aggregator")
    record(window, loud, "cannot_endorse", "We object to section 3.")
    record(window, quiet, "reservations", "Private reservations.", withhold_statement=True)
    record(window, fan, "endorse", "Good work.")
    public = selectors.endorsement_summary(window)
    assert {e.organization.name for e in public.statements} == {"Loud Co-op", "Fan Aggregator"}
    assert public.withheld == 1
    assert public.totals[1] == 1  # the withheld position still counts
    full = selectors.endorsement_summary(window, full=True)
    assert {e.organization.name for e in full.statements} == {"Loud Co-op", "Quiet Utility", "Fan Aggregator"}


@pytest.mark.django_db
def test_withholding_applies_to_dissent_only(staff):
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream)
    row = record(window, org, "endorse", "Glad to endorse.", withhold_statement=True)
    assert row.withhold_statement is False and row.is_published


@pytest.mark.django_db
def test_window_constraint_refuses_a_close_before_the_open(staff):
    deliverable = DeliverableFactory()
    version = make_version(deliverable=deliverable, actor=staff)
    now = timezone.now()
    with pytest.raises(IntegrityError):
        EndorsementWindow.objects.create(
            version=version, deliverable=deliverable, opens_at=now, closes_at=now
        )
