"""A program's round trip through a client generated from the published schema: list the consultations,
post a comment with a write-scoped token, read it back. The client is generated in the test
(openapi-python-client, from `/api/schema/`), so a schema that stops describing what the API does breaks
it; its requests reach the WSGI application through httpx's WSGI transport (no server, no network)."""

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.wsgi import get_wsgi_application

from initiative.services import api_token_create
from tests.consultations.factories import ReviewFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GENERATOR = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))


@pytest.fixture
def wsgi_app(db):
    """The WSGI application keeping the test's database connection (as Django's test client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def generated(client, tmp_path, monkeypatch):
    """The `der_client` package generated from the schema this code serves."""
    assert GENERATOR, "openapi-python-client is in the dev extra: `make install`"
    schema = tmp_path / "schema.json"
    schema.write_bytes(client.get("/api/schema/", {"format": "json"}).content)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            str(schema),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / "der_client"),
        ],
        check=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=120,
    )
    _import_unset(tmp_path / "der_client")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "der_client" or m.startswith("der_client.")]:
        del sys.modules[name]
    return importlib.import_module("der_client")


def _import_unset(package: Path) -> None:
    """openapi-python-client 0.29 writes `body: X | Unset = UNSET` for an operation that takes two request
    content types (our JSON or multipart comment) but imports only `UNSET`: add the missing name."""
    for module in package.glob("api/**/*.py"):
        text = module.read_text()
        if "| Unset" in text and "import UNSET, Response\n" in text:
            module.write_text(text.replace("import UNSET, Response\n", "import UNSET, Response, Unset\n"))


def test_a_generated_client_lists_consultations_posts_a_comment_and_reads_it_back(generated, wsgi_app):
    import httpx

    consultation = ReviewFactory()
    key = consultation.version.paragraphs.first().key
    user = UserFactory(verified=True, full_name="Ana Programmer")
    secret = api_token_create(actor=user, name="sync", scope="write", lifetime_days=30)[1]
    transport = {"transport": httpx.WSGITransport(app=wsgi_app)}
    api = importlib.import_module("der_client.api.v1")
    models = importlib.import_module("der_client.models")
    public = generated.Client(base_url="http://testserver", httpx_args=transport)
    authed = generated.AuthenticatedClient(base_url="http://testserver", token=secret, httpx_args=transport)

    listing = importlib.import_module(f"{api.__name__}.v1_consultations_list").sync(client=public)
    assert [c.id for c in listing.results] == [consultation.pk]
    assert listing.results[0].status == "open" and listing.results[0].kind.value == "public_consultation"

    create = importlib.import_module(f"{api.__name__}.v1_reviews_comments_create")
    posted = create.sync(
        consultation.pk,
        client=authed,
        body=models.CommentCreate(body="Please define hosting capacity.", paragraph_key=key),
    )
    assert isinstance(posted, models.Comment), posted
    assert posted.author == "Ana Programmer" and posted.paragraph_key == key

    read = importlib.import_module(f"{api.__name__}.v1_comments_retrieve").sync(posted.id, client=public)
    assert read.body == "Please define hosting capacity." and read.review == consultation.pk
    page = importlib.import_module(f"{api.__name__}.v1_reviews_comments_list").sync(
        consultation.pk, client=public
    )
    assert [c.id for c in page.results] == [posted.id]

    refused = create.sync(consultation.pk, client=public, body=models.CommentCreate(body="Anonymous."))
    assert isinstance(refused, models.Problem) and refused.status == 401
