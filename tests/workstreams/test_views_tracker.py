"""The deliverable tracker: filters, CSV contents, the timeline, staff-only access, and a query count
that does not grow with the number of deliverables."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from initiative.models import AuditEvent
from tests.factories import DeliverableFactory, UserFactory, WorkstreamFactory
from tests.workstreams.factories import LOCAL_CACHE

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliverables(staff):
    today = timezone.localdate()
    ws_a, ws_b = WorkstreamFactory(code="WA"), WorkstreamFactory(code="WB")
    owner = UserFactory(full_name="Olive Owner")
    return {
        "late": DeliverableFactory(
            workstream=ws_a,
            title="Late framework",
            owner=owner,
            stage="member_review",
            due_date=today - datetime.timedelta(days=10),
        ),
        "soon": DeliverableFactory(
            workstream=ws_a,
            title="Soon guidelines",
            owner=staff,
            stage="drafting",
            due_date=today + datetime.timedelta(days=7),
        ),
        "done": DeliverableFactory(
            workstream=ws_b,
            title="Done report",
            owner=owner,
            stage="published",
            due_date=today - datetime.timedelta(days=40),
        ),
        "far": DeliverableFactory(
            workstream=ws_b,
            title="Far summary",
            owner=None,
            stage="drafting",
            due_date=today + datetime.timedelta(days=400),
        ),
    }


def titles(response):
    page = response.content.decode()
    return {t for t in ("Late framework", "Soon guidelines", "Done report", "Far summary") if t in page}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", {"Late framework", "Soon guidelines", "Done report", "Far summary"}),
        ("workstream=WA", {"Late framework", "Soon guidelines"}),
        ("stage=published", {"Done report"}),
        ("lateness=late", {"Late framework"}),
        ("lateness=soon", {"Soon guidelines"}),
        ("lateness=on_track", {"Soon guidelines", "Done report", "Far summary"}),
        ("owner=none", {"Far summary"}),
        ("workstream=WB&lateness=late", set()),
    ],
)
def test_tracker_filters(client, staff, deliverables, query, expected):
    client.force_login(staff)
    response = client.get(f"/staff/deliverables/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_by_owner(client, staff, deliverables):
    client.force_login(staff)
    owner = deliverables["late"].owner
    assert titles(client.get(f"/staff/deliverables/?owner={owner.pk}")) == {"Late framework", "Done report"}


def test_tracker_shows_stage_and_days_late(client, staff, deliverables):
    client.force_login(staff)
    page = client.get("/staff/deliverables/?lateness=late").content.decode()
    assert "Member review" in page and '<strong class="text-secondary-dark">10</strong>' in page


def test_csv_export_has_the_filtered_rows(client, staff, deliverables):
    client.force_login(staff)
    response = client.get("/staff/deliverables/?workstream=WA&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert [r["deliverable"] for r in rows] == ["Late framework", "Soon guidelines"]
    late = rows[0]
    assert late["workstream"] == "WA" and late["owner"] == "Olive Owner" and late["stage"] == "Member review"
    assert late["days_late"] == "10" and late["due_date"] == deliverables["late"].due_date.isoformat()
    assert rows[1]["days_late"] == "0"


def test_htmx_filter_returns_only_the_results(client, staff, deliverables):
    client.force_login(staff)
    response = client.get("/staff/deliverables/?stage=published", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="results"' in body and "<h1>" not in body and "Done report" in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("role", ["anonymous", "public_user", "participant", "committee_member"])
def test_tracker_pages_are_for_staff_only(client, roles, role, deliverables):
    if role != "anonymous":
        client.force_login(roles[role])
    for url in (
        "/staff/deliverables/",
        "/staff/deliverables/?format=csv",
        "/staff/deliverables/timeline/",
        f"/staff/deliverables/{deliverables['late'].pk}/",
    ):
        response = client.get(url)
        assert response.status_code == (302 if role == "anonymous" else 403)


def test_staff_set_owner_and_due_date_never_the_stage(client, staff, deliverables):
    d = deliverables["far"]
    client.force_login(staff)
    response = client.post(f"/staff/deliverables/{d.pk}/", {"owner": staff.pk, "due_date": "2027-03-01"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.owner == staff and d.due_date == datetime.date(2027, 3, 1) and d.stage == "drafting"
    assert AuditEvent.objects.filter(action="deliverable.update").exists()


def test_timeline_is_server_drawn_with_a_table_alternative(client, staff, deliverables):
    client.force_login(staff)
    page = client.get("/staff/deliverables/timeline/").content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "Late framework: due" in page  # SVG title of the diamond
    assert "<caption>Workstreams and their deliverables" in page
    assert "<script" not in page.split("<svg")[1].split("</svg>")[0]


def test_tracker_query_count_does_not_grow_with_deliverables(
    client, staff, django_assert_max_num_queries, settings
):
    settings.CACHES = LOCAL_CACHE  # a shared Redis flushed by other test processes would add a query
    client.force_login(staff)
    ws = WorkstreamFactory()
    DeliverableFactory.create_batch(3, workstream=ws, owner=UserFactory())
    client.get("/staff/deliverables/")  # warm caches (session, nav)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/staff/deliverables/")
    for _ in range(30):
        DeliverableFactory(
            workstream=WorkstreamFactory(),
            owner=UserFactory(),
            due_date=timezone.localdate() - datetime.timedelta(days=3),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/deliverables/")
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        client.get("/staff/deliverables/timeline/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/deliverables/?format=csv")


def test_tracker_api_uses_the_same_filters_and_is_staff_only(client, staff, participant, deliverables):
    client.force_login(participant)
    assert client.get("/api/v1/staff/deliverables/").status_code == 403
    client.force_login(staff)
    data = client.get("/api/v1/staff/deliverables/?lateness=late").json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["title"] == "Late framework" and row["days_late"] == 10 and row["stage"] == "member_review"
    assert row["workstream"] == "WA" and row["owner"] == "Olive Owner"
    assert client.get("/api/v1/staff/deliverables/?workstream=WB").json()["count"] == 2


def test_csv_link_follows_the_htmx_filters(client, staff, deliverables):
    """Filtering swaps only the results; the download link must carry the new filters with them."""
    client.force_login(staff)
    body = client.get(
        "/staff/deliverables/?workstream=WA&lateness=late", headers={"HX-Request": "true"}
    ).content.decode()
    assert 'href="?workstream=WA&amp;lateness=late&amp;format=csv"' in body


def test_xlsx_export_has_the_same_rows_as_the_csv(client, staff, deliverables):
    from tests.sheets import assert_same_rows, xlsx_sheet
    from workstreams.models import Deliverable

    Deliverable.objects.filter(pk=deliverables["late"].pk).update(title="=1+1 framework")
    client.force_login(staff)
    query = "/staff/deliverables/?workstream=WA&format="
    xlsx = client.get(query + "xlsx")
    assert 'filename="deliverables.xlsx"' in xlsx["Content-Disposition"]
    assert_same_rows(client.get(query + "csv"), xlsx)
    sheet = xlsx_sheet(xlsx)
    assert sheet["B2"].value == "'=1+1 framework" and sheet["B2"].data_type == "s"
    assert sheet["G2"].is_date and sheet["G2"].value.date() == deliverables["late"].due_date
    assert "format=xlsx" in client.get("/staff/deliverables/").content.decode()
