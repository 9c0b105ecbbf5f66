"""A comment's `hidden` and `members_only` flags in the index (see discovery.sql.search): filled for the
comments already indexed, and the source triggers put back to keep them."""

from django.db import migrations, models

from discovery.sql import search as search_sql

# Frozen here (not built from discovery.sql.search): it names only what exists at this migration.
FILL = """
UPDATE discovery_searchentry SET
  hidden = EXISTS (
    SELECT 1 FROM consultations_comment c
    WHERE c.id = discovery_searchentry.object_id AND c.hidden_at IS NOT NULL),
  members_only = EXISTS (
    SELECT 1 FROM consultations_comment c JOIN consultations_review r ON r.id = c.review_id
    WHERE c.id = discovery_searchentry.object_id AND r.kind <> 'public_consultation')
WHERE kind = 'comment'
"""


def triggers(apps, schema_editor):
    """The source triggers for the columns the index has now (with the flags, or without them again
    when this migration is rolled back)."""
    for statement in search_sql.source_triggers(schema_editor.connection):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in search_sql.drop_source_triggers(schema_editor.connection):
        schema_editor.execute(statement)


def fill(apps, schema_editor):
    schema_editor.execute(FILL)
    triggers(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('discovery', '0001_search_index'),
        ('consultations', '0013_outreach'),
    ]

    operations = [
        # SQLite rebuilds the table to add a column, and cannot rename it back while triggers name it
        migrations.RunPython(drop_triggers, triggers),
        migrations.AddField(
            model_name='searchentry',
            name='hidden',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name='searchentry',
            name='members_only',
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.RunPython(fill, drop_triggers),
    ]
