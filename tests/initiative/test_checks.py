"""`manage.py check --deploy` warns when production settings have no cache shared by every process."""

from django.core.checks import Tags, run_checks


def _warning_ids():
    return {message.id for message in run_checks(include_deployment_checks=True, tags=[Tags.caches])}


def test_deploy_check_warns_about_a_per_process_cache_in_production(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "initiative.W001" in _warning_ids()


def test_deploy_check_accepts_the_database_cache_and_development(settings):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
    }
    assert "initiative.W001" not in _warning_ids()
    settings.DEBUG = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "initiative.W001" not in _warning_ids()


def test_the_default_cache_without_redis_is_shared(settings):
    """Without REDIS_URL the settings choose the database cache, which every process shares."""
    import importlib
    import os

    from initiative import settings as project_settings

    saved = os.environ.pop("REDIS_URL", None)
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    finally:
        if saved is not None:
            os.environ["REDIS_URL"] = saved
        importlib.reload(project_settings)
