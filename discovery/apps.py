from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = "Search and activity"

    def ready(self):
        from .sql.search import reinstall_source_triggers

        # Schema upkeep, like contenttypes' and auth's post_migrate receivers: see the receiver's docstring.
        post_migrate.connect(reinstall_source_triggers, sender=self, dispatch_uid="discovery-triggers")
