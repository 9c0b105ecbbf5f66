"""One model's matrix page, editing it cell by cell (staff only, htmx or plain POST, audited), and the
permission matrix of the framework's rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiative import policy
from initiative.models import AuditEvent
from tests.workstreams.factories import LOCAL_CACHE
from tests.workstreams.factories_framework import ActorFactory, GridFunctionFactory, MatrixCellFactory
from workstreams.models import MatrixCell, OperatingModel

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "public_user", "participant", "staff", "committee_member"]


def cell_url(model="dso-model-4", function="sced", actor="dso"):
    return reverse("workstreams:framework-cell-edit", args=[model, function, actor])


def test_matrix_page_shows_functions_by_actors_with_roles_and_sources(client, loaded_initiative):
    page = client.get(reverse("workstreams:framework-model", args=["dso-model-4"])).content.decode()
    assert "<caption>DSO Model 4: functions (rows) by actors (columns)" in page
    for name in ["Distribution System Operator (DSO)", "Independent System Operator (ISO)", "Customer"]:
        assert f'<th scope="col">{name}</th>' in page
    assert '<th scope="row">Security-constrained economic dispatch</th>' in page
    assert '<th scope="rowgroup" colspan="7">Operations</th>' in page
    cell = page.split('id="cell-sced-dso"', 1)[1].split("</td>", 1)[0]
    assert "Responsible" in cell and "DSO conducts security-constrained dispatch of DERs" in cell
    assert "Source: Table 3" in cell
    assert "Not stated" in page.split('id="cell-sced-iso"', 1)[1].split("</td>", 1)[0]
    assert "DSO operates competitive markets for energy and grid services" in page  # Table 3 dimension
    assert cell_url() not in page  # no edit links for the public


def test_staff_see_edit_links(client, loaded_initiative, staff):
    client.force_login(staff)
    page = client.get(reverse("workstreams:framework-model", args=["dso-model-4"])).content.decode()
    assert f'hx-get="{cell_url()}"' in page and f'href="{cell_url()}"' in page


@pytest.mark.parametrize("perm", ["workstreams.edit_framework", "workstreams.link_least_regrets"])
def test_permission_matrix(roles, perm):
    for role in ROLES:
        assert policy.can(roles[role], perm) is (role == "staff"), role


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_may_open_or_post_a_cell(client, loaded_initiative, roles, role):
    if role != "anonymous":
        client.force_login(roles[role])
    get = client.get(cell_url())
    post = client.post(cell_url(), {"role": "participates", "note": "x", "source": "y", "seen_revision": 1})
    cell = MatrixCell.objects.get(model__slug="dso-model-4", function__slug="sced", actor__slug="dso")
    if role == "staff":
        assert get.status_code == 200 and post.status_code == 302
        assert cell.role == "participates"
    else:
        expected = 302 if role == "anonymous" else 403
        assert (get.status_code, post.status_code) == (expected, expected)
        assert cell.role == "responsible" and cell.origin == "report"


def test_htmx_edit_swaps_the_form_in_and_the_saved_cell_back(client, loaded_initiative, staff):
    client.force_login(staff)
    url = cell_url(function="outage-reporting", actor="distribution-utility")
    form = client.get(url, headers={"HX-Request": "true"})
    body = form.content.decode()
    assert "<html" not in body and body.strip().startswith(
        '<td id="cell-outage-reporting-distribution-utility"'
    )
    assert 'hx-post="' + url + '"' in body and 'name="seen_revision"' in body and "<label" in body
    assert "HX-Request" in form["Vary"]
    saved = client.post(
        url,
        {
            "role": "responsible",
            "note": "Real-time outage communication",
            "source": "Working session 1",
            "seen_revision": 0,
        },
        headers={"HX-Request": "true"},
    )
    body = saved.content.decode()
    assert saved.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<td id="cell-outage-reporting-distribution-utility"')
    assert "Responsible" in body and "Edited by staff" in body and "Saved." in body
    cell = MatrixCell.objects.get(function__slug="outage-reporting", actor__slug="distribution-utility")
    assert (cell.origin, cell.revision, cell.edited_by) == ("staff", 1, staff)
    event = AuditEvent.objects.get(action="matrix_cell.set")
    assert event.before is None and event.after["role"] == "responsible" and event.actor == staff
    cancel = client.get(url + "?show=1", headers={"HX-Request": "true"}).content.decode()
    assert "<form" not in cancel and "Responsible" in cancel


def test_plain_post_redirects_to_the_row_and_records_before_and_after(client, loaded_initiative, staff):
    client.force_login(staff)
    response = client.post(cell_url(), {"role": "none", "note": "", "source": "", "seen_revision": 1})
    assert response.status_code == 302 and response["Location"].endswith("/dso-model-4/#row-sced")
    event = AuditEvent.objects.get(action="matrix_cell.set")
    assert event.before["role"] == "responsible" and event.before["origin"] == "report"
    assert event.after["role"] == "none" and event.after["revision"] == 2


def test_a_stale_edit_is_refused_and_shows_the_newer_version(client, loaded_initiative, staff):
    client.force_login(staff)
    client.post(cell_url(), {"role": "participates", "note": "first", "source": "", "seen_revision": 1})
    late = client.post(cell_url(), {"role": "none", "note": "second", "source": "", "seen_revision": 1})
    assert late.status_code == 409
    assert "Someone else changed this cell" in late.content.decode() and "first" in late.content.decode()
    cell = MatrixCell.objects.get(model__slug="dso-model-4", function__slug="sced", actor__slug="dso")
    assert (cell.role, cell.note, cell.revision) == ("participates", "first", 2)


def test_invalid_htmx_post_returns_the_form_with_errors_as_200(client, loaded_initiative, staff):
    client.force_login(staff)
    response = client.post(cell_url(), {"role": "boss", "seen_revision": 1}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "usa-error-message" in response.content.decode()
    assert client.post(cell_url(), {"role": "boss", "seen_revision": 1}).status_code == 422


def test_the_edit_page_without_htmx_is_a_plain_form(client, loaded_initiative, staff):
    """Opened as a page (no JS, or a new tab), the form posts normally: no hx-post aimed at a cell that
    is not on this page."""
    client.force_login(staff)
    page = client.get(cell_url()).content.decode()
    assert '<form method="post" action="' + cell_url() + '"' in page and "hx-post" not in page
    assert "<h1>" in page and 'for="id_sced-dso_role"' in page


def _count(client, url):
    client.get(url)  # warm caches (nav, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_functions_actors_and_cells(client, loaded_initiative, staff, settings):
    settings.CACHES = LOCAL_CACHE
    client.force_login(staff)
    urls = [
        reverse("workstreams:framework"),
        reverse("workstreams:framework-models"),
        reverse("workstreams:framework-model", args=["dso-model-2"]),
        reverse("workstreams:framework-compare"),
        reverse("workstreams:framework-framing") + "?tso-is-iso=yes&planning=dso-wires",
        reverse("workstreams:framework-roadmap") + "?current=dso-model-1&target=total-dso",
    ]
    before = [_count(client, u) for u in urls]
    actors = ActorFactory.create_batch(4)
    for function in GridFunctionFactory.create_batch(10):
        for model in OperatingModel.objects.all():
            for actor in actors:
                MatrixCellFactory(model=model, function=function, actor=actor)
    after = [_count(client, u) for u in urls]
    assert after == before
    assert max(after) <= 12
