"""Reads on the glossary."""

from django.db.models import (
    Q,
    QuerySet,
)

from ..models import (
    GlossaryTerm,
)


def glossary_search(q: str = "") -> QuerySet[GlossaryTerm]:
    terms = GlossaryTerm.objects.all()
    if q:
        terms = terms.filter(Q(term__icontains=q) | Q(definition__icontains=q))
    return terms
