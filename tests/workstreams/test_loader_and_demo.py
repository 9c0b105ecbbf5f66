"""The Track 3 issue areas load from the report's Table 5, idempotently, and the demo data for
`make run` loads twice without duplicating anything."""

import io

import pytest
from django.core.management import call_command

from workstreams.loader import load_initiative
from workstreams.models import (
    ActionItem,
    Ballot,
    Deliverable,
    IssueArea,
    LifecycleStep,
    PrioritizationRound,
    WorkingSession,
)

pytestmark = pytest.mark.django_db


def test_issue_areas_are_loaded_with_their_issues_and_links(loaded_initiative):
    assert IssueArea.objects.count() == 7
    planning = IssueArea.objects.get(slug="distribution-and-transmission-planning")
    assert planning.track2_workstream.code == "B"
    assert [i["name"] for i in planning.issues][
        0
    ] == "Utility planning-interconnection-operations integration"
    assert IssueArea.objects.get(slug="market-regulation").track2_workstream is None
    counts = load_initiative()
    assert counts["issuearea unchanged"] == 7 and not counts["issuearea created"]


def test_demo_data_is_idempotent_and_shows_the_work(loaded_initiative, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in (WorkingSession, ActionItem, PrioritizationRound, Ballot)]
    call_command("load_demo", stdout=io.StringIO())
    assert [m.objects.count() for m in (WorkingSession, ActionItem, PrioritizationRound, Ballot)] == counts
    assert PrioritizationRound.objects.filter(status="open").exists()
    assert PrioritizationRound.objects.filter(status="closed", result__isnull=False).exists()
    assert WorkingSession.objects.exclude(minutes="").exists()
    assert LifecycleStep.objects.filter(status="in_progress").values("workstream").distinct().count() >= 4
    from django.utils import timezone

    assert Deliverable.objects.filter(due_date__lt=timezone.localdate(), stage="drafting").exists()
    assert ActionItem.objects.filter(
        due_date__lt=timezone.localdate(), status__in=["open", "in_progress"]
    ).exists()
