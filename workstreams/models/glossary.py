"""The report's glossary of terms and acronyms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GlossaryTerm(models.Model):
    """The common vocabulary Workstream A exists to agree on; the report's abbreviations come first."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("Abbreviation")
        TERM = "term", _("Term")

    term = models.CharField(max_length=120, unique=True)
    definition = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TERM)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term
