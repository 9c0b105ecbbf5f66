"""The per-recipient delivery rows move to the governance core's outbox (initiative.Delivery), which
every app's fan-outs share; the rows already written are copied there, event keys prefixed with the app."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    Old = apps.get_model("consultations", "Delivery")
    New = apps.get_model("initiative", "Delivery")
    batch = []
    for row in Old.objects.order_by("pk").iterator(chunk_size=1000):
        kind = f"consultations.{row.event.split(':', 1)[0]}"
        batch.append(
            New(
                event=f"consultations.{row.event}",
                kind=kind,
                email=row.email,
                template=row.template,
                context=row.context,
                status=row.status,
                attempts=row.attempts,
                message_id=row.message_id,
                created_at=row.created_at,
                claimed_at=row.claimed_at,
                sent_at=row.sent_at,
            )
        )
        if len(batch) >= 1000:
            New.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0006_review_questions"),
        ("initiative", "0004_outbox"),
    ]

    operations = [
        migrations.RunPython(copy_rows, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="delivery", name="delivery_event_status_idx"),
        migrations.RemoveConstraint(model_name="delivery", name="delivery_unique_recipient"),
        migrations.DeleteModel(name="Delivery"),
    ]
