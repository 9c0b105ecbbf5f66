"""On PostgreSQL, a trigger makes the audit log append-only for every client, not only the ORM."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION initiative_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER initiative_auditevent_append_only
    BEFORE UPDATE OR DELETE ON initiative_auditevent
    FOR EACH ROW EXECUTE FUNCTION initiative_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS initiative_auditevent_append_only ON initiative_auditevent;
DROP FUNCTION IF EXISTS initiative_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("initiative", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
