"""The API answers every error with one problem body, documents the errors each operation can return,
and a schema-driven fuzz finds no undocumented status and no server error."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import BodyMembershipFactory, DeliverableFactory

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def _schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_every_operation_documents_its_errors_with_the_problem_body(client):
    schema = _schema(client)
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) >= 10
    for path, method, op in operations:
        errors = {code: r for code, r in op["responses"].items() if int(code) >= 400}
        assert {"400", "406"} <= set(errors), (method, path)
        if "{" in path:
            assert "404" in errors, (method, path)
        if method != "get":
            assert {"403", "415"} <= set(errors), (method, path)
        for code, response in errors.items():
            assert response["content"] == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, (method, path, code)
    assert "409" in schema["paths"]["/api/v1/deliverables/{id}/transitions/"]["post"]["responses"]
    assert "403" in schema["paths"]["/api/v1/staff/deliverables/"]["get"]["responses"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/workstreams/no-such-workstream/", 404),
        ("/api/v1/staff/deliverables/", 401),  # anonymous: asked for credentials (a token or a session)
        ("/api/v1/glossary/?kind=not-a-kind", 400),
        ("/api/v1/glossary/?page=999", 404),
        ("/api/v1/glossary/?q=%00", 400),
    ],
)
def test_errors_share_one_problem_body(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert PROBLEM_KEYS <= set(body) and body["status"] == status and body["type"] == "about:blank"


def test_a_validation_error_names_the_fields(client):
    staff = BodyMembershipFactory(implementation_team=True).user
    client.force_login(staff)
    deliverable = DeliverableFactory()
    response = client.post(
        f"/api/v1/deliverables/{deliverable.pk}/transitions/",
        {"to": "nowhere"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "to" in response.json()["errors"]


def test_a_refused_permission_does_not_leak_the_permission_name(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(verified=True))
    response = client.get(f"/api/v1/deliverables/{DeliverableFactory().pk}/transitions/")
    assert response.status_code == 403
    assert "consultations." not in response.content.decode()


# Schema-driven fuzz ------------------------------------------------------------------------------------
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_schema(db):
    """The schema, served by the WSGI application itself. Like Django's test client, requests keep the
    test's database connection (and its transaction) instead of closing it when they finish."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    DeliverableFactory()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def staff_cookie(client):
    client.force_login(BodyMembershipFactory(implementation_team=True).user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_fuzzed_requests_get_only_documented_statuses_and_no_server_error(api_schema, staff_cookie):
    """A few generated requests per operation, with valid and with invalid parameters and bodies, each
    sent as anonymous and as implementation staff."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=4,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def call(case):
                case.call_and_validate(checks=CHECKS)
                case.call_and_validate(checks=CHECKS, headers={"Cookie": staff_cookie})

            try:
                call()
            except Unsatisfiable:  # nothing invalid to send: the operation takes no input
                assert mode is GenerationMode.NEGATIVE, operation.label
