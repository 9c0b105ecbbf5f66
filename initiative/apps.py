from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(**kwargs) -> None:
    """`migrate` also creates the database cache's table (idempotent), so every deployment without
    Redis gets its shared cache from the one command it already runs."""
    from django.conf import settings
    from django.core.management import call_command

    if any(c["BACKEND"].endswith("db.DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


class InitiativeConfig(AppConfig):
    name = "initiative"
    verbose_name = "Initiative and governance"

    def ready(self) -> None:
        from . import checks, readcache, signals  # noqa: F401  (system checks, allauth hooks)
        from .auth import user_group

        # the signed-in user, read through the cache by initiative.auth
        readcache.changed_by("initiative.User", lambda user: user_group(user.pk))

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="initiative-cache-table")
