"""`load_initiative` loads the report's content and is idempotent."""

import pytest
from django.core.management import call_command

from initiative.models import Body, Gap, Goal, Initiative
from workstreams.models import (
    Deliverable,
    GlossaryTerm,
    IllustrativeQuestion,
    LifecycleStep,
    Topic,
    Track,
    Workstream,
    WorkstreamStakeholder,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Initiative,
    Goal,
    Gap,
    Body,
    Track,
    Workstream,
    LifecycleStep,
    WorkstreamStakeholder,
    IllustrativeQuestion,
    Topic,
    Deliverable,
    GlossaryTerm,
]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_loads_the_report():
    call_command("load_initiative", verbosity=0)
    assert Track.objects.count() == 3
    assert sorted(Workstream.objects.values_list("code", flat=True)) == ["A", "B", "C", "D", "E", "T3"]
    assert Goal.objects.count() == 3
    assert LifecycleStep.objects.count() == 6 * 5
    assert Workstream.objects.get(code="A").track.number == 1
    assert set(Workstream.objects.filter(track__number=2).values_list("code", flat=True)) == {
        "B",
        "C",
        "D",
        "E",
    }
    # Workstream A names its first three steps itself; the others use the generic frame.
    assert (
        LifecycleStep.objects.get(workstream__code="A", number=1).name
        == "Identification of essential functions"
    )
    assert LifecycleStep.objects.get(workstream__code="B", number=1).name == "Take stock of current practices"
    # The abbreviations list comes first in the glossary.
    assert GlossaryTerm.objects.get(term="DSO").definition == "Distribution system operator"
    assert GlossaryTerm.objects.filter(kind="abbreviation").count() >= 12
    assert IllustrativeQuestion.objects.filter(workstream__code="B").exists()
    assert Deliverable.objects.filter(is_key=True).exists()


def test_second_run_changes_and_duplicates_nothing():
    call_command("load_initiative", verbosity=0)
    first = counts()
    snapshot = list(Workstream.objects.values())
    call_command("load_initiative", verbosity=0)
    assert counts() == first
    assert list(Workstream.objects.values()) == snapshot


def test_rerun_keeps_what_staff_changed():
    """Dates and progress belong to the team once the initiative runs; a re-load leaves them alone."""
    call_command("load_initiative", verbosity=0)
    deliverable = Deliverable.objects.filter(due_date__isnull=False).first()
    deliverable.due_date = deliverable.due_date.replace(year=2030)
    deliverable.save(update_fields=["due_date"])
    call_command("load_initiative", verbosity=0)
    deliverable.refresh_from_db()
    assert deliverable.due_date.year == 2030
