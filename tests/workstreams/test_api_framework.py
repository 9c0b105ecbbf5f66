"""The Track 1 framework through the API: operating models, functions, actors and matrix cells, public to
everyone, filterable, and read in a number of queries that does not grow with the matrix."""

import pytest
from django.urls import reverse

from tests.api_roles import ROLES, queries, sign_in
from tests.factories import WorkstreamFactory
from tests.workstreams.factories import LOCAL_CACHE
from tests.workstreams.factories_framework import MatrixCellFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_the_framework_is_public(client, role):
    cell = MatrixCellFactory(note="The DSO dispatches DER within the distribution system.")
    sign_in(client, role, WorkstreamFactory())
    models = client.get(reverse("api:framework-model-list"))
    assert models.status_code == 200 and [m["slug"] for m in models.json()] == [cell.model.slug]
    detail = client.get(reverse("api:framework-model-detail", args=[cell.model.slug]))
    assert detail.json()["name"] == cell.model.name
    functions = client.get(reverse("api:framework-function-list")).json()["results"]
    assert functions[0]["category"] == cell.function.category.slug
    actors = client.get(reverse("api:framework-actor-list")).json()["results"]
    assert [a["slug"] for a in actors] == [cell.actor.slug]
    cells = client.get(reverse("api:framework-cell-list")).json()["results"]
    assert cells[0]["note"].startswith("The DSO") and cells[0]["model"] == cell.model.slug
    assert client.get(reverse("api:framework-model-detail", args=["no-such-model"])).status_code == 404


def test_matrix_cells_filter_by_model_function_actor_and_role(client):
    cell = MatrixCellFactory(role="responsible")
    MatrixCellFactory(model=cell.model, role="participates")
    MatrixCellFactory()
    url = reverse("api:framework-cell-list")
    assert client.get(url, {"model": cell.model.slug}).json()["count"] == 2
    assert client.get(url, {"model": cell.model.slug, "role": "responsible"}).json()["count"] == 1
    assert client.get(url, {"function": cell.function.slug, "actor": cell.actor.slug}).json()["count"] == 1
    assert client.get(url, {"role": "nonsense"}).status_code == 400


@pytest.mark.parametrize(
    "url_name",
    [
        "api:framework-model-list",
        "api:framework-function-list",
        "api:framework-actor-list",
        "api:framework-cell-list",
    ],
)
def test_lists_make_as_many_queries_for_twenty_rows_as_for_two(client, settings, url_name):
    settings.CACHES = LOCAL_CACHE
    for _ in range(2):
        MatrixCellFactory()
    few = queries(client, reverse(url_name))
    for _ in range(18):
        MatrixCellFactory()
    assert queries(client, reverse(url_name)) == few


def test_a_client_that_has_the_matrix_already_gets_a_304_until_a_cell_changes(client):
    cell = MatrixCellFactory()
    url = reverse("api:framework-cell-list")
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    cell.note = "Reworded from the report."
    cell.save(update_fields=["note"])
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200
