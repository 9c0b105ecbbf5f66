"""The lifecycle steps on the workstream page, as staff move them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from workstreams.models import LifecycleStep

pytestmark = pytest.mark.django_db


def test_starting_a_step_asks_for_the_date_today_by_default_and_records_the_one_given(
    client, staff, workstream
):
    """The "Start step 1" button comes with a "Started on" date field holding today; staff change it to
    the day the work really started, and that day is recorded (not silently today)."""
    client.force_login(staff)
    html = client.get(workstream.get_absolute_url()).content.decode()
    today = timezone.localdate().isoformat()
    field = re.search(r'<label[^>]*for="step-1-start-on">Started on', html)
    assert field is not None
    assert f'id="step-1-start-on" name="on" value="{today}" required' in html
    started = timezone.localdate() - datetime.timedelta(days=9)
    client.post(
        reverse("workstreams:step-transition", args=[workstream.slug, 1, "start"]),
        {"on": started.isoformat()},
    )
    assert LifecycleStep.objects.get(workstream=workstream, number=1).started_on == started
