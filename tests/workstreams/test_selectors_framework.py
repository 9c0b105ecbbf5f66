"""Least-regrets candidates: functions assigned the same way in every compared model (known inputs)."""

import pytest
from django.urls import reverse

from tests.workstreams.factories_framework import (
    ActorFactory,
    GridFunctionFactory,
    MatrixCellFactory,
    OperatingModelFactory,
)
from workstreams.selectors.framework import comparison, least_regrets

A, B = frozenset({(1, "responsible")}), frozenset({(2, "responsible")})


@pytest.mark.parametrize(
    ("assignments", "candidate", "runs"),
    [
        ([A, A, A], True, [(0, 2)]),
        ([A, A, B], False, [(0, 1)]),
        ([B, A, A, A], False, [(1, 3)]),
        ([A, frozenset(), A], False, []),  # unassigned somewhere: not a candidate, no run across the gap
        ([frozenset(), frozenset()], False, []),  # the same by being empty is not shared
        ([A], False, []),  # one model alone compares with nothing
        ([A, B, A], False, []),
    ],
)
def test_least_regrets_rule(assignments, candidate, runs):
    assert least_regrets(assignments) == (candidate, runs)


@pytest.fixture
def grid(db):
    """Three models; f_same is the same everywhere, f_pair the same in the first two only, f_gap missing in
    one model, f_none has only 'no role' cells, f_roles has the same actor in different roles."""
    m1, m2, m3 = (OperatingModelFactory(position=p) for p in (0, 1, 2))
    dso, iso = ActorFactory(name="DSO"), ActorFactory(name="ISO")
    f = {k: GridFunctionFactory(name=k) for k in ("f_same", "f_pair", "f_gap", "f_none", "f_roles")}
    for m in (m1, m2, m3):
        MatrixCellFactory(model=m, function=f["f_same"], actor=dso)
        MatrixCellFactory(model=m, function=f["f_none"], actor=dso, role="none")
    MatrixCellFactory(model=m3, function=f["f_same"], actor=iso, role="none")  # "no role" changes nothing
    MatrixCellFactory(model=m1, function=f["f_pair"], actor=dso)
    MatrixCellFactory(model=m2, function=f["f_pair"], actor=dso)
    MatrixCellFactory(model=m3, function=f["f_pair"], actor=iso)
    MatrixCellFactory(model=m1, function=f["f_gap"], actor=dso)
    MatrixCellFactory(model=m3, function=f["f_gap"], actor=dso)
    MatrixCellFactory(model=m1, function=f["f_roles"], actor=dso)
    MatrixCellFactory(model=m2, function=f["f_roles"], actor=dso, role="participates")
    MatrixCellFactory(model=m3, function=f["f_roles"], actor=dso)
    return {"models": [m1, m2, m3], "functions": f}


def test_comparison_flags_only_functions_shared_by_every_model(grid):
    data = comparison(grid["models"])
    rows = {r["function"].name: r for r in data["rows"]}
    assert [r["function"].name for r in data["candidates"]] == ["f_same"]
    m1, m2, _ = grid["models"]
    assert rows["f_pair"]["runs"] == [(m1, m2)]
    assert rows["f_gap"]["runs"] == [] and not rows["f_gap"]["candidate"]
    assert not rows["f_none"]["candidate"] and not rows["f_roles"]["candidate"]
    # Comparing only the first two models makes f_pair a candidate too.
    assert {r["function"].name for r in comparison([m1, m2])["candidates"]} == {"f_same", "f_pair"}


def test_comparison_page_shows_the_flags(client, grid):
    page = client.get(reverse("workstreams:framework-compare")).content.decode()
    assert "1 least-regrets candidate across 3 models" in page
    same_row = page.split('id="fn-function-', 1)[1]
    row = page.split(">f_same<", 1)[1].split("</tr>", 1)[0]
    assert "Least-regrets candidate" in row
    pair = page.split(">f_pair<", 1)[1].split("</tr>", 1)[0]
    assert "Least-regrets candidate" not in pair and "Shared by Model" in pair
    assert same_row  # the rows carry anchors for links back from the link form
    m1, m2, _ = grid["models"]
    subset = client.get(
        reverse("workstreams:framework-compare"), {"models": [m1.slug, m2.slug]}
    ).content.decode()
    assert "2 least-regrets candidates across 2 models" in subset
