"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "initiative.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process: out of the
# collector's sight, so that its full collections, which a busy worker runs every few requests, scan
# only what requests allocate (measured: 0.57 → 0.14 ms of collection per comment POST).
gc.freeze()
