"""The report's glossary of terms and acronyms, and its lifecycle: participants propose terms and comment
on definitions, staff move a term through its statuses and mark a definition agreed for Workstream A.
Every change of definition is a `GlossaryDefinition` row; the term keeps the current text in
`definition` so the list, the search and the API read one table."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TermStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    UNDER_DISCUSSION = "under_discussion", _("Under discussion")
    AGREED = "agreed", _("Agreed")
    RETIRED = "retired", _("Retired")


class GlossaryTerm(models.Model):
    """The common vocabulary Workstream A exists to agree on; the report's abbreviations come first.

    `abbreviation` is the short form a draft may use instead of the term ("DER"); a term whose name ends in
    a parenthesised abbreviation ("Distributed energy resources (DERs)") is also found by it. Only
    `agreed` terms are linked from drafts and publications."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("Abbreviation")
        TERM = "term", _("Term")

    term = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True, null=True, blank=True)
    definition = models.TextField()
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TERM)
    abbreviation = models.CharField(max_length=30, blank=True)
    status = models.CharField(max_length=20, choices=TermStatus.choices, default=TermStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_definition = models.ForeignKey(
        "GlossaryDefinition", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["term"]
        indexes = [models.Index(fields=["status"], name="glossary_term_status")]

    def __str__(self) -> str:
        return self.term

    def get_absolute_url(self) -> str:
        return reverse("workstreams:glossary-term", kwargs={"slug": self.slug})


class GlossaryDefinition(models.Model):
    """One wording of a term's definition, numbered from 1. Rows are never edited: a new wording is a new
    row, so the history of how the vocabulary was agreed stays readable."""

    term = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, related_name="definitions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    note = models.CharField(max_length=300, blank=True, help_text=_("Why the wording changed"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="glossary_definition_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.term} #{self.number}"


class GlossaryComment(models.Model):
    """A participant's comment on one wording of a term's definition."""

    term = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, related_name="comments")
    definition = models.ForeignKey(GlossaryDefinition, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.term}"
