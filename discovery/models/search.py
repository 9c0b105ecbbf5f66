"""The search index: one row per findable thing (a workstream, a paragraph of a version, a comment...).

Rows are written only by database triggers on the source tables (`discovery.sql.search`), so every
write — a service's save, a bulk update, the admin — keeps the index current, and no app needs to know
the index exists. On PostgreSQL a trigger on this table also computes `vector` (title weighted A, body
B, with the `der_english` configuration: unaccent + English stemming); a GIN index serves the queries.
Who may find a row is decided at query time by the owning app's scope; for comments, the most numerous
kind, the facts that scope needs are kept on the row (`hidden`, `members_only`, with `deliverable_id`), so
a search checks its matches instead of listing every comment a person may read.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

SEARCH_CONFIG = "der_english"


class SearchEntry(models.Model):
    class Kind(models.TextChoices):
        WORKSTREAM = "workstream", _("Workstream")
        DELIVERABLE = "deliverable", _("Deliverable")
        PUBLICATION = "publication", _("Published work product")
        PARAGRAPH = "paragraph", _("Draft text")
        COMMENT = "comment", _("Comment")
        GLOSSARY = "glossary", _("Glossary term")
        SESSION = "session", _("Session")
        MINUTES = "minutes", _("Session minutes")
        WEBINAR = "webinar", _("Webinar")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    workstream = models.ForeignKey(
        "workstreams.Workstream",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    deliverable_id = models.BigIntegerField(null=True)
    version_number = models.PositiveIntegerField(null=True)
    anchor = models.CharField(max_length=200, blank=True, help_text=_("A slug or a paragraph key"))
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    date = models.DateTimeField(null=True)
    vector = SearchVectorField(null=True, editable=False)
    # A comment's: hidden by a moderator; made in a members' review (FALSE for the other kinds). Defaults
    # in the database too: the triggers of a migration still running write rows without them.
    hidden = models.BooleanField(default=False, db_default=False)
    members_only = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_object")
        ]
        indexes = [models.Index(fields=["date"], name="searchentry_date_idx")]
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
