"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

SHARED_CACHE_BACKENDS = (
    "initiative.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.db.DatabaseCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
)


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    """Rate limits and log-in limits count in the default cache: in production it must be shared by every
    process, or each gunicorn worker counts on its own and the limits multiply."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend in SHARED_CACHE_BACKENDS:
        return []
    return [
        Warning(
            f"The default cache ({backend}) is not shared by the processes of this deployment, so rate "
            "limits and log-in limits count per process.",
            hint="Set REDIS_URL, or use the database cache (the default without REDIS_URL).",
            id="initiative.W001",
        )
    ]
