"""Participants enrolled before notifications existed follow their workstreams, as enrolling now does."""

from django.db import migrations


def follow(apps, schema_editor):
    Enrollment = apps.get_model("workstreams", "Enrollment")
    Subscription = apps.get_model("initiative", "Subscription")
    rows = [
        Subscription(user_id=user_id, target=f"workstreams.workstream:{workstream_id}")
        for user_id, workstream_id in Enrollment.objects.filter(status="active").values_list(
            "user_id", "workstream_id"
        )
    ]
    Subscription.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0006_related_efforts"),
        ("initiative", "0007_notifications"),
    ]

    operations = [migrations.RunPython(follow, migrations.RunPython.noop)]
