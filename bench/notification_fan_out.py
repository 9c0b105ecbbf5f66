"""The notification fan-out budget: one event to 50,000 followers of a workstream, written by one worker
(`initiative.notifications.fan_out`, as the `initiative.fan_out_notification` task runs it) with bulk
inserts in batches — the notification rows, and the outbox rows of those who want an email at once.
Budget: finished within 60 s on PostgreSQL. The followers are committed (the fan-out commits per batch,
as in production) and deleted afterwards; the task's broker is "memory://" so no delivery is queued."""

import os
import time

from . import BenchmarkError

FOLLOWERS = 50_000
BUDGET_S = 60


def _setup_django() -> None:
    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["CELERY_BROKER_URL"] = "memory://"
    django.setup()
    call_command("migrate", verbosity=0)


def run() -> dict:
    _setup_django()
    from django.db import connection
    from django.db.models import Count

    from initiative import notifications, outbox
    from initiative.models import Delivery, EmailMode, Notification, NotificationKind, Subscription, User
    from workstreams.models import Track, Workstream

    if connection.vendor != "postgresql":
        raise BenchmarkError("the fan-out budget is for PostgreSQL: set DATABASE_URL=postgres://…")
    track, _ = Track.objects.get_or_create(
        number=97, defaults={"slug": "bench-fan-out", "name": "Bench", "title": "Bench", "objective": "-"}
    )
    Workstream.objects.filter(slug="bench-fan-out").delete()  # a run interrupted earlier
    ws = Workstream.objects.create(
        track=track,
        code="BFAN",
        slug="bench-fan-out",
        name="Bench fan-out",
        challenge="-",
        objective="-",
        start_month=0,
        end_month=1,
    )
    target = f"workstreams.workstream:{ws.pk}"
    followers = User.objects.filter(email__startswith="fan-out-", email__endswith="@bench.example")
    followers.delete()  # only its own: other benches' users may have written comments (PROTECT)
    try:
        users = User.objects.bulk_create(
            (User(email=f"fan-out-{i}@bench.example", full_name=f"Follower {i}") for i in range(FOLLOWERS)),
            batch_size=5000,
        )
        Subscription.objects.bulk_create(
            (Subscription(user=u, target=target) for u in users), batch_size=5000
        )
        event = notifications.event_raise(
            key=f"bench.fan_out:{ws.pk}",
            kind=NotificationKind.REVIEW_OPENED,  # an email at once by default: the heavier case
            title="Bench: a consultation opens",
            url="/consultations/",
            targets=[target],
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        started = time.perf_counter()
        handled = notifications.fan_out(event_id=event.pk)
        elapsed = time.perf_counter() - started
        rerun_started = time.perf_counter()
        from initiative.models import NotificationEvent

        NotificationEvent.objects.filter(pk=event.pk).update(cursor=0, fanned_out_at=None)
        notifications.fan_out(event_id=event.pk)  # a duplicate run: writes nothing new
        rerun = time.perf_counter() - rerun_started
        rows = Notification.objects.filter(event=event).count()
        per_person = Notification.objects.filter(event=event).values("recipient").annotate(n=Count("id"))
        duplicates = per_person.filter(n__gt=1).count()
        emails = Delivery.objects.filter(event=outbox.event_key(notifications.NOTIFICATION, event.pk)).count()
        figures = {
            "followers": FOLLOWERS,
            "batch": notifications.BATCH,
            "handled": handled,
            "notification_rows": rows,
            "outbox_rows": emails,
            "duplicate_rows": duplicates,
            "fan_out_s": round(elapsed, 2),
            "rows_per_s": round(rows / elapsed),
            "duplicate_run_s": round(rerun, 2),
            "ok": elapsed < BUDGET_S and rows == FOLLOWERS and duplicates == 0 and emails == FOLLOWERS,
            "email_default": str(EmailMode.IMMEDIATE),
            "database": connection.vendor,
            "load_average_1min": round(os.getloadavg()[0], 1),
            "cpus": os.cpu_count(),
        }
    finally:
        Delivery.objects.filter(email__startswith="fan-out-", email__endswith="@bench.example").delete()
        followers.delete()  # cascades to their rows
        from initiative.models import NotificationEvent

        NotificationEvent.objects.filter(key__startswith="bench.fan_out:").delete()
        ws.delete()
    return figures
