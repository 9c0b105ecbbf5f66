"""Related efforts: shown on the workstream page, listed on their own page, added and edited by staff
only; the loader seeds them from the report and leaves staff edits alone."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from initiative.models import AuditEvent
from tests.factories import WorkstreamFactory
from workstreams.models import RelatedEffort, Topic, Workstream
from workstreams.services import efforts as services


def effort(workstream, **kw):
    e = RelatedEffort.objects.create(
        slug=kw.pop("slug", "naruc-naseo"), name=kw.pop("name", "NARUC-NASEO Task Force"), **kw
    )
    e.workstreams.add(workstream)
    return e


@pytest.mark.django_db
def test_workstream_page_shows_its_related_efforts_and_not_others(client):
    ws, other = WorkstreamFactory(), WorkstreamFactory()
    topic = Topic.objects.create(workstream=ws, title="Coordinated scenario planning")
    mine = effort(
        ws, led_by="NARUC and NASEO", relevance="We build on its cohorts.", url="https://www.naruc.org/"
    )
    mine.topics.add(topic)
    effort(other, slug="epri", name="EPRI TSO-DSO work")
    html = client.get(ws.get_absolute_url()).content.decode()
    assert '<h2 id="related-efforts-h">Related efforts we build on</h2>' in html
    assert "NARUC-NASEO Task Force" in html and "We build on its cohorts." in html
    assert "Coordinated scenario planning" in html
    assert "EPRI TSO-DSO work" not in html
    assert "related-efforts/naruc-naseo/edit/" not in html  # no edit link for the public


@pytest.mark.django_db
def test_workstream_page_query_count_does_not_grow_with_efforts(client, django_assert_max_num_queries):
    ws = WorkstreamFactory()
    effort(ws)
    client.get(ws.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(ws.get_absolute_url())
    for n in range(5):
        e = effort(ws, slug=f"e{n}", name=f"Effort {n}")
        e.topics.add(Topic.objects.create(workstream=ws, title=f"Topic {n}"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(ws.get_absolute_url())


@pytest.mark.django_db
def test_staff_see_edit_links_on_the_workstream_page(client, staff):
    ws = WorkstreamFactory()
    effort(ws)
    client.force_login(staff)
    html = client.get(ws.get_absolute_url()).content.decode()
    assert reverse("workstreams:related-effort-edit", args=["naruc-naseo"]) in html
    assert reverse("workstreams:related-effort-create") in html


@pytest.mark.django_db
def test_adding_and_editing_is_for_staff_only(client, roles):
    ws = WorkstreamFactory()
    e = effort(ws)
    for role in ("participant", "public_user", "committee_member"):
        client.force_login(roles[role])
        assert client.get(reverse("workstreams:related-effort-create")).status_code == 403, role
        assert (
            client.post(
                reverse("workstreams:related-effort-edit", args=[e.slug]), {"name": "Hijacked"}
            ).status_code
            == 403
        ), role
    client.logout()
    assert client.get(reverse("workstreams:related-effort-create")).status_code == 302
    e.refresh_from_db()
    assert e.name == "NARUC-NASEO Task Force"


@pytest.mark.django_db
def test_staff_add_an_effort_with_a_page_labelled_fieldsets(client, staff):
    ws = WorkstreamFactory()
    topic = Topic.objects.create(workstream=ws, title="Hosting capacity")
    client.force_login(staff)
    url = reverse("workstreams:related-effort-create")
    html = client.get(url).content.decode()
    assert '<legend class="usa-legend">Workstreams</legend>' in html
    assert '<label class="usa-label" for="id_name">Name</label>' in html
    response = client.post(
        url,
        {
            "name": "FERC Order 2222 proceedings",
            "led_by": "FERC",
            "kind": "proceeding",
            "relevance": "Workstream E's aggregation review.",
            "workstreams": [ws.pk],
            "topics": [topic.pk],
        },
    )
    assert response.status_code == 302
    created = RelatedEffort.objects.get(name="FERC Order 2222 proceedings")
    assert created.origin == "staff" and list(created.topics.all()) == [topic]
    assert AuditEvent.objects.filter(action="related_effort.create").exists()
    assert "FERC Order 2222 proceedings" in client.get(ws.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_staff_edit_an_effort_and_a_topic_of_an_unlinked_workstream_is_refused(client, staff):
    ws, other = WorkstreamFactory(), WorkstreamFactory()
    stray = Topic.objects.create(workstream=other, title="Elsewhere")
    e = effort(ws)
    client.force_login(staff)
    url = reverse("workstreams:related-effort-edit", args=[e.slug])
    assert 'value="NARUC-NASEO Task Force"' in client.get(url).content.decode()
    base = {"name": "NARUC-NASEO Task Force (2021–2023)", "kind": "task_force", "workstreams": [ws.pk]}
    refused = client.post(url, {**base, "topics": [stray.pk]})
    assert (
        refused.status_code == 400
        and "must belong to one of the linked workstreams" in refused.content.decode()
    )
    assert client.post(url, base).status_code == 302
    e.refresh_from_db()
    assert e.name == "NARUC-NASEO Task Force (2021–2023)" and e.origin == "staff"
    event = AuditEvent.objects.get(action="related_effort.update")
    assert event.before["name"] == "NARUC-NASEO Task Force"


@pytest.mark.django_db
def test_the_registry_page_lists_every_effort_with_its_workstreams(client):
    ws = WorkstreamFactory()
    effort(ws)
    html = client.get(reverse("workstreams:related-effort-list")).content.decode()
    assert html.count("<h1") == 1 and "NARUC-NASEO Task Force" in html and ws.title in html


@pytest.mark.django_db
def test_loader_seeds_the_reports_efforts_idempotently_and_keeps_staff_edits(staff):
    call_command("load_initiative", verbosity=0)
    naruc = RelatedEffort.objects.get(slug="naruc-naseo-task-force")
    assert set(naruc.workstreams.values_list("code", flat=True)) == {"B", "C"}
    assert naruc.topics.filter(title="Coordinated scenario planning").exists()
    assert (
        RelatedEffort.objects.filter(slug__in=["epri-tso-dso-coordination", "ferc-order-2222"]).count() == 2
    )
    snapshot = list(RelatedEffort.objects.values())
    links = sorted(RelatedEffort.workstreams.through.objects.values_list("relatedeffort_id", "workstream_id"))
    call_command("load_initiative", verbosity=0)
    assert list(RelatedEffort.objects.values()) == snapshot
    assert (
        sorted(RelatedEffort.workstreams.through.objects.values_list("relatedeffort_id", "workstream_id"))
        == links
    )
    b = Workstream.objects.get(code="B")
    services.related_effort_update(
        actor=staff, effort=naruc, workstreams=[b], name="NARUC-NASEO Task Force (renamed by staff)"
    )
    call_command("load_initiative", verbosity=0)
    naruc.refresh_from_db()
    assert naruc.name == "NARUC-NASEO Task Force (renamed by staff)"
    assert list(naruc.workstreams.all()) == [b]
