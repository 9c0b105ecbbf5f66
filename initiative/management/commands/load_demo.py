"""`manage.py load_demo`: demo organizations, accounts (one per role) and each app's demo data.

Each local app may have a `demo.py` with `load()`; they run in INSTALLED_APPS order, so an app's demo
can build on the ones before it. Refuses to run with DEBUG off unless --force.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from initiative import readcache

LOCAL_APPS = ("initiative", "workstreams", "consultations", "webinars")


class Command(BaseCommand):
    help = "Load demo accounts and data (for trying the platform; not for production)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for trials: run with DEBUG=true, or pass --force.")
        rows: list[tuple[str, str]] = []
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name in LOCAL_APPS and find_spec(f"{config.name}.demo"):
                    rows += import_module(f"{config.name}.demo").load() or []
            # the demos move deliverables and workstreams along with updates in bulk, which send no
            # signal: drafts read before the load are not used after it
            readcache.changed("drafts")
        # the demo's events (drafts posted, replies) reach the bells now, without waiting for a worker
        from initiative import notifications
        from initiative.models import NotificationEvent

        for pk in NotificationEvent.objects.filter(fanned_out_at__isnull=True).values_list("pk", flat=True):
            notifications.fan_out(event_id=pk)
        width = max(len(email) for email, _ in rows)
        self.stdout.write(self.style.SUCCESS(f"\nDemo accounts (password for all: {settings.DEMO_PASSWORD})"))
        for email, role in rows:
            self.stdout.write(f"  {email.ljust(width)}  {role}")
        from initiative.demo import DEMO_TOTP_SECRET

        self.stdout.write(
            "\nStaff, committee and admin accounts ask for a second code after the password: run\n"
            "  .venv/bin/python manage.py demo_code\n"
            f"or add the key {DEMO_TOTP_SECRET} to an authenticator app.\n"
        )
