"""/healthz, the audit log's append-only guarantee, settings safety, and the governance pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse

from initiative import audit
from initiative.models import AuditEvent
from tests.factories import BodyMembershipFactory, EnrollmentFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_reports_a_broken_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_audit_events_cannot_be_changed_or_deleted(staff):
    event = audit.record(actor=staff, action="test.action", obj=staff, after={"x": 1})
    event.action = "tampered"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    if connection.vendor == "postgresql":
        from django.db import DatabaseError

        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.action"


def test_audit_log_page_is_for_staff_and_committee(client, staff, participant):
    audit.record(actor=staff, action="demo.thing", obj=staff)
    client.force_login(participant)
    assert client.get(reverse("initiative:audit-log")).status_code == 403
    client.force_login(staff)
    page = client.get(reverse("initiative:audit-log")).content.decode()
    assert "demo.thing" in page


def run_manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT")
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_missing_secret_key_is_a_clear_error_when_debug_is_off():
    result = run_manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-production-like-secret-key-with-entropy-1234567890",
        ALLOWED_HOSTS="initiative.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_governance_page_lists_bodies_and_organizations_by_type(client, loaded_initiative):
    chair = BodyMembershipFactory(steering_committee=True, role="chair", user__full_name="Chris Chair")
    org = OrganizationFactory(name="Prairie Municipal Light", type="municipal_utility")
    EnrollmentFactory(organization=org)
    page = client.get(reverse("initiative:governance")).content.decode()
    assert "Steering committee" in page and "Implementation team" in page
    assert chair.user.full_name in page and "Chair" in page
    assert "Municipal distribution utility" in page and "Prairie Municipal Light" in page
    assert chair.user.email not in page
