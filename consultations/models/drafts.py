"""Draft versions of a deliverable's text, split into sections and paragraphs with stable keys.

A version is immutable once saved: a change is a new version. A paragraph keeps its `key` from one
version to the next when its text is unchanged or edited but recognizably the same (see
`consultations.paragraphs`), so comments stay attached to it across versions.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiative import readcache


class DraftVersion(models.Model):
    deliverable = models.ForeignKey(
        "workstreams.Deliverable", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(help_text=_("Markdown"))
    change_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["deliverable", "number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="draftversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.number})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("A draft version is immutable; create a new version instead.")
        super().save(*args, **kwargs)

    def paragraph_entry(self, key: str) -> tuple[str, str]:
        """Where `paragraph_at` keeps a paragraph's place in the read cache (for `readcache.prefetch`)."""
        return "paragraph-places", f"{self.pk}:{key}"

    def paragraph_at(self, key: str):
        """The paragraph with `key` in this version, or None. Read once per object (a comment's view and
        its service both ask) and its place kept in the shared cache: a version's paragraphs never move.
        Only the place is loaded (what posting a comment needs); its text loads when first read."""
        found = self.__dict__.setdefault("_paragraph_at", {})
        if key not in found:
            place = readcache.read(
                *self.paragraph_entry(key),
                lambda: self.paragraphs.filter(key=key).values_list("pk", "section_id", "order").first(),
            )
            found[key] = None
            if place is not None:
                pk, section_id, order = place
                fields = ["id", "version_id", "section_id", "key", "order"]
                found[key] = Paragraph.from_db(self._state.db, fields, [pk, self.pk, section_id, key, order])
        return found[key]


class Section(models.Model):
    """A heading of a version and the paragraphs under it (for the table of contents)."""

    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=32)
    order = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField(default=2)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="section_unique_key")]

    def __str__(self) -> str:
        return self.title


class Paragraph(models.Model):
    """One addressable block of a version (a paragraph, list, table or quote), in Markdown."""

    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="paragraphs")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.CASCADE, related_name="paragraphs"
    )
    key = models.CharField(max_length=32, help_text=_("Stable across versions while the paragraph survives"))
    order = models.PositiveIntegerField()
    text = models.TextField()
    digest = models.CharField(max_length=64, help_text=_("Hash of the normalized text"))

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="paragraph_unique_key")]
        indexes = [models.Index(fields=["key"], name="paragraph_key_idx")]

    def __str__(self) -> str:
        return f"¶{self.order} {self.text[:60]}"
