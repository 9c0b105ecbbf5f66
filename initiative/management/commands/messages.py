"""`manage.py messages update|compile|check`: the Spanish catalog with Babel, no GNU gettext needed."""

from django.core.management.base import BaseCommand, CommandError

from initiative import catalog


class Command(BaseCommand):
    help = "Update the Spanish .po from the public templates and modules, compile the .mo, or check both."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "compile", "check"])

    def handle(self, *args, action: str, **options):
        if action == "update":
            messages = catalog.update()
            self.stdout.write(f"{catalog.po_path()}: {len(messages)} messages")
        elif action == "compile":
            catalog.compile_mo()
            self.stdout.write(f"wrote {catalog.mo_path()}")
        else:
            found = catalog.problems(catalog.read_catalog(), catalog.extract_catalog())
            if not catalog.mo_is_current():
                found.append(f"{catalog.mo_path()} is older than the .po: run `manage.py messages compile`")
            if found:
                raise CommandError("\n".join(found))
            self.stdout.write("The Spanish catalog covers every public message, and the .mo is current.")
