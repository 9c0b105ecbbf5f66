"""The interfaces pages: the overview flagging common features, a page per pair of actors, the CSV export
(formula-injection guarded), and the exchange form for Workstream A members and staff only."""

import csv
import io

import pytest
from django.urls import reverse

from initiative.models import AuditEvent
from tests.factories import EnrollmentFactory
from workstreams.models import Actor, DataExchange, OperatingModel, Topic, Workstream

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(loaded_initiative):
    return EnrollmentFactory(workstream=Workstream.objects.get(code="A")).user


def test_overview_flags_the_report_examples_common_to_all_adopted_models(client, loaded_initiative):
    page = client.get(reverse("workstreams:interfaces")).content.decode()
    common = page.split('id="common"', 1)[1].split('id="pairs"', 1)[0]
    assert "Distribution system outages and abnormal configurations" in common
    assert "Hosting capacity data" in common
    assert "Net demand curve" not in common  # the Total DSO model only
    assert "Add a data exchange" not in page  # the public read, they do not edit
    pair = client.get(reverse("workstreams:interfaces-pair", args=["dso", "iso"])).content.decode()
    assert "Net demand curve at the T-D interface" in pair and "Scheduling and dispatch data" in pair
    assert "C: Utility/ISO data sharing" in pair
    empty = client.get(reverse("workstreams:interfaces-pair", args=["lse", "customer"])).content.decode()
    assert "No data exchange between LSE and Customer has been recorded yet." in empty
    assert client.get(reverse("workstreams:interfaces-pair", args=["dso", "dso"])).status_code == 404


def test_member_records_an_exchange_linked_to_a_workstream_c_topic(client, member):
    client.force_login(member)
    form = client.get(reverse("workstreams:interfaces-create") + "?sender=lse&receiver=customer")
    assert form.status_code == 200 and '<option value="lse" selected>' in form.content.decode()
    topic = Topic.objects.get(workstream__code="C", title="Mechanics of sharing data")
    models = list(OperatingModel.objects.adopted().values_list("slug", flat=True))
    response = client.post(
        reverse("workstreams:interfaces-create"),
        {
            "sender": "lse",
            "receiver": "customer",
            "data_item": '=HYPERLINK("http://x")',
            "direction": "both_ways",
            "timing": "periodic",
            "latency": "Monthly bill",
            "purpose": "Retail settlement",
            "functions": ["network-charge-settlement"],
            "models": models,
            "topics": [str(topic.pk)],
        },
    )
    exchange = DataExchange.objects.get(data_item__startswith="=HYPERLINK")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/lse/customer/#exchange-{exchange.pk}"
    )
    assert list(exchange.topics.all()) == [topic]
    assert AuditEvent.objects.filter(action="data_exchange.create", object_id=str(exchange.pk)).exists()
    overview = client.get(reverse("workstreams:interfaces")).content.decode()
    assert "=HYPERLINK" in overview.split('id="common"', 1)[1].split('id="pairs"', 1)[0]

    export = client.get(reverse("workstreams:interfaces-export"))
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    row = next(r for r in rows if "HYPERLINK" in r["Data item"])
    assert row["Data item"].startswith("'=")  # shown, never run
    assert (
        row["Common to all adopted models"] == "yes"
        and row["Track 2 topics"] == "C: Mechanics of sharing data"
    )
    net = next(r for r in rows if r["Data item"] == "Net demand curve at the T-D interface")
    assert net["Common to all adopted models"] == "no"


def test_stale_edit_is_refused_and_same_actor_twice_is_an_error(client, member, staff):
    exchange = DataExchange.objects.get(slug="hosting-capacity")
    client.force_login(member)
    url = reverse("workstreams:interfaces-edit", args=[exchange.pk])
    base = {
        "sender": "distribution-utility",
        "receiver": "der-aggregator",
        "data_item": "Hosting capacity maps",
        "direction": "one_way",
        "timing": "periodic",
        "seen_revision": "1",
    }
    assert client.post(url, base).status_code == 302
    stale = client.post(url, base | {"data_item": "Hosting capacity (stale)"})
    assert stale.status_code == 422 and "Someone else changed this exchange" in stale.content.decode()
    same = client.post(url, base | {"receiver": "distribution-utility", "seen_revision": "2"})
    assert same.status_code == 422 and "Choose two different actors." in same.content.decode()
    exchange.refresh_from_db()
    assert exchange.data_item == "Hosting capacity maps" and exchange.revision == 2


@pytest.mark.parametrize(
    "role", ["anonymous", "public_user", "participant", "committee_member", "member", "staff"]
)
def test_only_workstream_a_members_and_staff_edit_interfaces(client, roles, member, role):
    user = member if role == "member" else roles[role]
    if user.is_authenticated:
        client.force_login(user)
    exchange = DataExchange.objects.get(slug="net-demand-curve")
    new = client.get(reverse("workstreams:interfaces-create"))
    delete = client.post(reverse("workstreams:interfaces-delete", args=[exchange.pk]))
    if role in ("member", "staff"):
        assert new.status_code == 200 and delete.status_code == 302
        assert not DataExchange.objects.filter(pk=exchange.pk).exists()
    else:
        expected = 302 if role == "anonymous" else 403
        assert new.status_code == expected and delete.status_code == expected
        assert DataExchange.objects.filter(pk=exchange.pk).exists()
    assert Actor.objects.count() == 6


def test_query_counts_do_not_grow_with_exchanges_or_proposals(client, member, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from workstreams.services import framework as framework_services

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        return len(ctx)

    client.force_login(staff)
    urls = [
        reverse("workstreams:interfaces"),
        reverse("workstreams:interfaces-pair", args=["dso", "iso"]),
        reverse("workstreams:interfaces-export"),
        reverse("workstreams:framework-models"),
    ]
    [count(u) for u in urls]  # warm up (the first request of a session reads more)
    before = [count(u) for u in urls]
    dso, iso = Actor.objects.get(slug="dso"), Actor.objects.get(slug="iso")
    models = list(OperatingModel.objects.all())
    topic = Topic.objects.get(workstream__code="C", title="Hosting capacity")
    for i in range(15):
        e = DataExchange.objects.create(
            data_item=f"Item {i}", sender=dso if i % 2 else iso, receiver=iso if i % 2 else dso
        )
        e.applies_to.set(models)
        e.topics.set([topic])
    for i in range(5):
        p = framework_services.model_propose(actor=member, name=f"Proposal {i}", position=i)
        framework_services.model_comment(actor=member, model=p, body="A comment")
    after = [count(u) for u in urls]
    assert after == before and max(after) <= 12
