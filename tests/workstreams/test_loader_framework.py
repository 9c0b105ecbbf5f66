"""The Track 1 framework loads from track1.yaml, idempotently, and never undoes a staff edit."""

import pytest
from django.core.management import call_command

from workstreams.models import (
    Actor,
    FramingGroup,
    FramingOption,
    FramingQuestion,
    FunctionCategory,
    GridFunction,
    MatrixCell,
    ModelDimension,
    OperatingModel,
    RoadmapFunction,
    RoadmapStep,
)

pytestmark = pytest.mark.django_db

MODELS = [
    FunctionCategory,
    GridFunction,
    Actor,
    ModelDimension,
    OperatingModel,
    MatrixCell,
    FramingGroup,
    FramingQuestion,
    FramingOption,
    RoadmapFunction,
    RoadmapStep,
]


def snapshot():
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS} | {
        "favors": sorted(
            FramingOption.favors.through.objects.values_list("framingoption_id", "operatingmodel_id")
        ),
        "related": sorted(
            RoadmapFunction.related_functions.through.objects.values_list(
                "roadmapfunction_id", "gridfunction_id"
            )
        ),
    }


def test_loads_the_report_tables():
    call_command("load_initiative", verbosity=0)
    assert GridFunction.objects.count() == 14
    assert FunctionCategory.objects.count() == 7
    assert list(Actor.objects.values_list("slug", flat=True)) == [
        "dso",
        "iso",
        "distribution-utility",
        "lse",
        "der-aggregator",
        "customer",
    ]
    assert list(OperatingModel.objects.values_list("slug", flat=True)) == [
        "total-tso",
        "dso-model-1",
        "dso-model-2",
        "dso-model-3",
        "dso-model-4",
        "total-dso",
    ]
    assert ModelDimension.objects.count() == 5
    model4 = OperatingModel.objects.get(slug="dso-model-4")
    assert (
        model4.dimensions["commercial-activity"]
        == "DSO operates competitive markets for energy and grid services"
    )
    assert OperatingModel.objects.get(slug="total-tso").dimensions == {}
    assert FramingQuestion.objects.count() == 12
    assert FramingGroup.objects.get(slug="design-isos").applies_if == {
        "question": "tso-is-iso",
        "answer": "yes",
    }
    assert RoadmapStep.objects.count() == 6
    # 17 matrix entries in the file, one naming two actors; all from the report.
    assert MatrixCell.objects.count() == 18
    assert set(MatrixCell.objects.values_list("origin", flat=True)) == {"report"}
    sced = MatrixCell.objects.get(model=model4, function__slug="sced")
    assert (sced.actor.slug, sced.role, sced.source) == ("dso", "responsible", "Table 3")
    offers = MatrixCell.objects.filter(
        model__slug="total-tso", function__slug="supply-offers-and-demand-bids"
    )
    assert {(c.actor.slug, c.role) for c in offers} == {
        ("customer", "participates"),
        ("der-aggregator", "participates"),
    }


def test_second_run_changes_nothing():
    call_command("load_initiative", verbosity=0)
    before = snapshot()
    call_command("load_initiative", verbosity=0)
    assert snapshot() == before


def test_report_cells_are_synced_and_staff_cells_kept(staff):
    call_command("load_initiative", verbosity=0)
    report_cell = MatrixCell.objects.get(model__slug="dso-model-1", function__slug="distribution-planning")
    report_cell.note = "tampered"
    report_cell.save(update_fields=["note"])
    staff_cell = MatrixCell.objects.get(model__slug="dso-model-4", function__slug="sced")
    staff_cell.role, staff_cell.note, staff_cell.origin, staff_cell.edited_by = (
        "participates",
        "ours",
        "staff",
        staff,
    )
    staff_cell.save()
    call_command("load_initiative", verbosity=0)
    report_cell.refresh_from_db()
    staff_cell.refresh_from_db()
    assert report_cell.note.startswith("DSO plans distribution capacity upgrades")
    assert (staff_cell.role, staff_cell.note, staff_cell.origin) == ("participates", "ours", "staff")
    assert MatrixCell.objects.count() == 18


def test_report_exchanges_load_once_and_workstream_edits_are_kept(loaded_initiative):
    """The report's data exchanges are created once; a later load neither resets an edited row nor
    recreates a removed one; models the workstream retired stay retired."""
    from workstreams.models import DataExchange, ModelStatus, OperatingModel

    assert DataExchange.objects.count() == 7
    hosting = DataExchange.objects.get(slug="hosting-capacity")
    assert {m.slug for m in hosting.applies_to.all()} == {
        "total-tso", "dso-model-1", "dso-model-2", "dso-model-3", "dso-model-4", "total-dso"
    }  # fmt: skip
    assert [t.title for t in hosting.topics.all()] == ["Hosting capacity"]
    DataExchange.objects.filter(pk=hosting.pk).update(data_item="Hosting capacity maps")
    hosting.applies_to.clear()
    OperatingModel.objects.filter(slug="total-tso").update(status=ModelStatus.RETIRED)
    call_command("load_initiative", verbosity=0)
    hosting.refresh_from_db()
    assert hosting.data_item == "Hosting capacity maps" and not hosting.applies_to.exists()
    assert OperatingModel.objects.get(slug="total-tso").status == ModelStatus.RETIRED
    assert OperatingModel.objects.get(slug="dso-model-1").status == ModelStatus.ADOPTED
