"""The bell, the notifications page and the settings page: the header counts what is unread, marking
one or all read (plain POST or htmx) lowers it, nobody reads or marks another person's, choices save,
and following works from a page with a plain form."""

import pytest
from django.urls import reverse

from initiative import notifications
from initiative.models import EmailMode, Notification, NotificationKind, Subscription
from tests.factories import UserFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db


def _notify(user, n: int = 1) -> list[Notification]:
    for i in range(n):
        event = notifications.event_raise(
            key=f"view-test:{user.pk}:{i}",
            kind=NotificationKind.DECISION,
            title=f"Decision number {i}",
            url="/decisions/",
            recipients=[user.pk],
        )
        notifications.fan_out(event_id=event.pk)
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def test_bell_counts_unread_and_marking_read_through_the_page_lowers_it(client):
    user = UserFactory()
    first, _second = _notify(user, 2)
    client.force_login(user)
    home = client.get("/").content.decode()
    assert "Notifications" in home and ", 2 unread" in home

    page = client.get(reverse("initiative:notification-list")).content.decode()
    assert "Decision number 0" in page and "Decision number 1" in page and "Mark read" in page
    response = client.post(reverse("initiative:notification-read", args=[first.pk]))
    assert response.status_code == 302
    assert ", 1 unread" in client.get("/").content.decode()

    client.post(reverse("initiative:notification-read-all"))
    home = client.get("/").content.decode()
    assert "unread" not in home
    assert (
        "Nothing unread."
        in client.get(reverse("initiative:notification-list") + "?show=unread").content.decode()
    )


def test_marking_read_with_htmx_returns_the_item_and_the_bell(client):
    user = UserFactory()
    (item,) = _notify(user)
    client.force_login(user)
    response = client.post(
        reverse("initiative:notification-read", args=[item.pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and f'id="notification-{item.pk}"' in body
    assert 'id="nav-bell"' in body and 'hx-swap-oob="true"' in body and "unread" not in body
    assert "HX-Request" in response["Vary"]


def test_nobody_sees_or_marks_another_persons_notifications(client):
    owner, other = UserFactory(), UserFactory()
    (item,) = _notify(owner)
    client.force_login(other)
    assert "Decision number 0" not in client.get(reverse("initiative:notification-list")).content.decode()
    assert client.post(reverse("initiative:notification-read", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None
    client.logout()
    assert client.get(reverse("initiative:notification-list")).status_code == 302  # to the log-in page


def test_settings_page_saves_a_choice_per_kind(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("initiative:notification-preferences")
    page = client.get(url).content.decode()
    assert '<label class="usa-label" for="id_comment_reply">' in page
    data = {kind: EmailMode.IMMEDIATE for kind in NotificationKind.values} | {
        "comment_reply": EmailMode.DIGEST
    }
    assert client.post(url, data).status_code == 302
    assert notifications.preferences_for(user=user)[NotificationKind.COMMENT_REPLY] == EmailMode.DIGEST
    bad = client.post(url, {**data, "decision": "hourly"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()


def test_following_a_workstream_from_its_page(client):
    user = UserFactory()
    workstream = WorkstreamFactory()
    client.force_login(user)
    page = client.get(workstream.get_absolute_url()).content.decode()
    assert f'value="workstreams.workstream:{workstream.pk}"' in page and ">Follow<" in page
    target = f"workstreams.workstream:{workstream.pk}"
    client.post(
        reverse("initiative:follow-toggle"), {"target": target, "next": workstream.get_absolute_url()}
    )
    assert Subscription.objects.filter(user=user, target=target).exists()
    assert "Following" in client.get(workstream.get_absolute_url()).content.decode()
    client.post(reverse("initiative:follow-toggle"), {"target": target, "action": "unfollow"})
    assert not Subscription.objects.filter(user=user, target=target).exists()
    for bogus in (
        "nothing.here:1",
        "os.path:1",
        f"workstreams.workstream:{workstream.pk + 999}",
        "auth.user:1",
    ):
        assert client.post(reverse("initiative:follow-toggle"), {"target": bogus}).status_code == 404
    import sys

    assert "os.tasks" not in sys.modules


def test_the_list_page_query_count_does_not_grow_with_notifications(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    client.force_login(user)
    _notify(user, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("initiative:notification-list"))
    for i in range(2, 30):
        event = notifications.event_raise(
            key=f"many:{i}", kind=NotificationKind.DECISION, title=f"D{i}", url="/", recipients=[user.pk]
        )
        notifications.fan_out(event_id=event.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("initiative:notification-list"))
    assert page.content.decode().count("Mark read<") == 25  # a page of 25
