"""The glossary rows that exist come from the report: they become agreed terms, each with its definition
as wording number 1, and get a slug for their entry's address."""

from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify


def unique_slug(term: str, taken: set[str]) -> str:
    base = (slugify(term) or "term")[:130]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def forwards(apps, schema_editor):
    GlossaryTerm = apps.get_model("workstreams", "GlossaryTerm")
    GlossaryDefinition = apps.get_model("workstreams", "GlossaryDefinition")
    now = timezone.now()
    taken = set(GlossaryTerm.objects.exclude(slug=None).values_list("slug", flat=True))
    for term in GlossaryTerm.objects.order_by("pk"):
        first = GlossaryDefinition.objects.create(term=term, number=1, text=term.definition, created_at=now)
        term.slug = term.slug or unique_slug(term.term, taken)
        term.status = "agreed"
        term.agreed_definition = first
        term.agreed_at = now
        term.save(update_fields=["slug", "status", "agreed_definition", "agreed_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("workstreams", "0004_glossary_lifecycle_self_assessments"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
