"""The index's triggers come back after every `migrate`: SQLite drops a table's triggers when a later
migration rebuilds the table, and the index must not silently stop following it."""

import pytest
from django.db import connection

from discovery.models import SearchEntry
from discovery.sql import search as search_sql
from workstreams.models import GlossaryTerm


def _drop_source_triggers():
    with connection.cursor() as cursor:
        for table in search_sql._tables():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS discovery_index ON {table}")
            else:
                for op in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS discovery_index_{table}_{op}")


@pytest.mark.django_db
def test_post_migrate_puts_lost_triggers_back():
    _drop_source_triggers()  # as a table rebuild on SQLite would
    lost = GlossaryTerm.objects.create(term="Dugong", definition="Lost.")
    assert not SearchEntry.objects.filter(kind="glossary", object_id=lost.pk).exists()
    search_sql.reinstall_source_triggers(using="default")
    search_sql.reinstall_source_triggers(using="default")  # idempotent
    found = GlossaryTerm.objects.create(term="Manatee", definition="Found.")
    assert SearchEntry.objects.filter(kind="glossary", object_id=found.pk).count() == 1


def test_the_receiver_is_connected_to_post_migrate():
    from django.apps import apps
    from django.db.models.signals import post_migrate

    assert post_migrate.has_listeners(apps.get_app_config("discovery"))
