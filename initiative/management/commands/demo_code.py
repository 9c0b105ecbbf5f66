"""`manage.py demo_code`: the second-factor code of the demo staff, committee and admin accounts right now,
so that trying the demo needs no authenticator app (see `initiative.demo.DEMO_TOTP_SECRET`)."""

import time

from django.core.management.base import BaseCommand

from initiative.demo import DEMO_TOTP_SECRET, demo_code


class Command(BaseCommand):
    help = "Print the current authenticator code of the demo accounts that require a second factor."

    def handle(self, *args, **options):
        now = time.time()
        left = 30 - int(now) % 30
        self.stdout.write(f"{demo_code(now)}  (valid for {left} more seconds; next: {demo_code(now + 30)})")
        self.stdout.write(f"Authenticator-app key of the demo accounts: {DEMO_TOTP_SECRET}")
