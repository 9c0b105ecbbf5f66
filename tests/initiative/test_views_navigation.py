"""The navigation every page carries: the tracks, the staff pages offered by role, and the bell."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiative import notifications
from tests.factories import TrackFactory

pytestmark = pytest.mark.django_db


def _nav(client) -> str:
    page = client.get(reverse("initiative:home"))
    assert page.status_code == 200
    html = page.content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_staff_pages_are_offered_by_role(client, anonymous, public_user, staff):
    track = TrackFactory()
    tracker, audit_log = reverse("workstreams:tracker"), reverse("initiative:audit-log")
    for who, offered in ((None, False), (public_user, False), (staff, True)):
        client.logout()
        if who is not None:
            client.force_login(who)
        nav = _nav(client)
        assert track.get_absolute_url() in nav
        assert (f'href="{tracker}"' in nav, f'href="{audit_log}"' in nav) == (offered, offered), who


def test_the_bell_counts_unread_notifications(client, public_user):
    client.force_login(public_user)
    assert "unread" not in _nav(client)
    for n in range(2):
        event = notifications.event_raise(
            key=f"nav-test-{n}", kind="test", title=f"Event {n}", url="/", recipients=[public_user.pk]
        )
        notifications.fan_out(event_id=event.pk)
    assert "2 unread" in _nav(client)


@pytest.mark.skipif(not settings.REDIS_URL, reason="sessions are read through the cache only with Redis")
def test_a_signed_in_page_reads_its_session_from_the_cache(client, public_user):
    client.force_login(public_user)
    client.get(reverse("initiative:home"))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("initiative:home")).status_code == 200
    assert not [q for q in ctx.captured_queries if "django_session" in q["sql"]]
    key = client.session.session_key
    client.logout()  # signing out ends it in the database as well as in the cache
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("initiative:notification-list")).status_code == 302
