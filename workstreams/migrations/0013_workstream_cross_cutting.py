from django.db import migrations, models


def mark_workstream_c(apps, schema_editor):
    """The report makes Workstream C (data access) the cross-cutting theme; the loader says so from the
    content files, this says it for a database loaded before the field existed."""
    apps.get_model("workstreams", "Workstream").objects.filter(code="C").update(cross_cutting=True)


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0012_enrollment_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="workstream",
            name="cross_cutting",
            field=models.BooleanField(
                default=False,
                help_text="A theme the other workstreams check their work with (the report: Workstream C, "
                "with regular coordination checkpoints): suggested first when a deliverable asks for a "
                "checkpoint",
            ),
        ),
        migrations.RunPython(mark_workstream_c, migrations.RunPython.noop),
    ]
