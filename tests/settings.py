"""Test settings: the real settings module with the few overrides tests need, in one place.

DATABASE_URL and REDIS_URL still come from the environment, so CI runs on PostgreSQL and Redis."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# No pool and no persistent connections: threads of the live server must not keep the test DB busy.
os.environ.setdefault("DB_POOL", "false")
os.environ.setdefault("CONN_MAX_AGE", "0")

from initiative.settings import *  # noqa: E402,F403
from initiative.settings import CACHES, DATABASES, REDIS_URL, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SITE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test process gets its own cache namespace, so rate limits and the nav cache don't leak between
# xdist workers sharing one Redis.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
# ... and its own Celery queue, so a real-worker test never consumes another process's tasks.
CELERY_TASK_DEFAULT_QUEUE = f"tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A test database in a file (one per xdist worker), not in memory: a real worker's thread then opens
    # a connection of its own that waits for the test's writes (WAL, busy timeout, immediate
    # transactions) instead of failing with "database table is locked" on a shared in-memory cache.
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
