"""Common features for standardization: a data exchange is common when it applies to every adopted
model; computed on a hand-made set, and following the adopted set when it changes."""

import pytest

from tests.workstreams.factories_framework import ActorFactory, GridFunctionFactory, OperatingModelFactory
from workstreams.models import DataExchange, ModelStatus
from workstreams.selectors import interfaces as selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("models", "adopted", "common"),
    [
        ({1, 2, 3}, {1, 2, 3}, True),
        ({1, 2, 3, 4}, {1, 2, 3}, True),  # applying to a proposal as well changes nothing
        ({1, 2}, {1, 2, 3}, False),
        (set(), {1, 2, 3}, False),
        ({1, 2}, set(), False),  # no adopted set: nothing is common to it
    ],
)
def test_is_common(models, adopted, common):
    assert selectors.is_common(models, adopted) is common


@pytest.fixture
def hand_made():
    m1, m2, m3 = (OperatingModelFactory(position=p) for p in (0, 1, 2))
    m4 = OperatingModelFactory(position=3, status=ModelStatus.PROPOSED)
    dso, iso, agg = ActorFactory(name="DSO"), ActorFactory(name="ISO"), ActorFactory(name="Aggregator")
    f = GridFunctionFactory(name="Outage reporting")

    def exchange(item, sender, receiver, models):
        e = DataExchange.objects.create(data_item=item, sender=sender, receiver=receiver)
        e.applies_to.set(models)
        e.functions.set([f])
        return e

    return {
        "models": (m1, m2, m3, m4),
        "actors": (dso, iso, agg),
        "all3": exchange("Outages", dso, agg, [m1, m2, m3]),
        "two": exchange("Schedules", iso, dso, [m1, m2]),
        "all4": exchange("Net demand", dso, iso, [m1, m2, m3, m4]),
        "none": exchange("Telemetry", agg, iso, []),
    }


def test_common_features_are_those_applying_to_every_adopted_model(hand_made):
    data = selectors.overview()
    assert {e.data_item for e in data["common"]} == {"Outages", "Net demand"}
    pairs = {(p["a"].name, p["b"].name): (p["count"], p["common"]) for p in data["pairs"]}
    assert pairs[("DSO", "ISO")] == (2, 1)  # both directions count for the pair
    assert pairs[("DSO", "Aggregator")] == (1, 1)
    assert pairs[("ISO", "Aggregator")] == (1, 0)
    assert len(data["pairs"]) == 3


def test_common_features_follow_the_adopted_set(hand_made):
    m1, m2, m3, _m4 = hand_made["models"]
    m3.status = ModelStatus.PROPOSED
    m3.save(update_fields=["status"])
    assert {e.data_item for e in selectors.overview()["common"]} == {"Outages", "Schedules", "Net demand"}
    exchanges = selectors.exchange_list()
    assert selectors.common_features(exchanges, [m1.pk]) == [e for e in exchanges if m1.pk in e.model_ids]
