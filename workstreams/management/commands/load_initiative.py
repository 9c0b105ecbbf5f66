"""`manage.py load_initiative`: load (or bring up to date) the initiative from the report's content."""

from django.core.management.base import BaseCommand

from workstreams.loader import load_initiative


class Command(BaseCommand):
    help = "Load the initiative, its tracks, workstreams, lifecycle and glossary from workstreams/content/."

    def handle(self, *args, **options):
        counts = load_initiative()
        created = sum(v for k, v in counts.items() if k.endswith("created"))
        updated = sum(v for k, v in counts.items() if k.endswith("updated"))
        unchanged = sum(v for k, v in counts.items() if k.endswith("unchanged"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Initiative loaded: {created} created, {updated} updated, {unchanged} unchanged."
            )
        )
        if options["verbosity"] > 1:
            for key in sorted(counts):
                self.stdout.write(f"  {key}: {counts[key]}")
