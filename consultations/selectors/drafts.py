"""Reads about draft versions as one person may see them: which versions they may read, what to say
about the others (who may read them, and when they open to everyone), and the words withheld from them
after a redacted publication.

Pages never show a link the person may not follow: they ask here, and this module asks the policy
(`consultations.view_draft`) for each version, with the versions' reviews prefetched so that asking
costs no query per version."""

import hashlib
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from initiative import policy, readcache

from .. import redaction
from ..models import DraftVersion, Publication, Review


@dataclass
class VersionEntry:
    number: int
    readable: bool
    note: str = ""


@dataclass
class DraftAccess:
    """What one person may read of a deliverable: the newest version open to them (or None) and, when
    a newer one exists that is not open to them, why and when it opens."""

    version: DraftVersion | None = None
    note: str = ""
    versions: list[VersionEntry] = field(default_factory=list)
    by_number: dict[int, DraftVersion] = field(default_factory=dict)  # every version, readable or not


def _date(value) -> str:
    return f"{timezone.localtime(value):%B %-d, %Y}"


def closed_note(version: DraftVersion, *, now=None) -> str:
    """Why `version` is not open to everyone, and when it will be: said to a person the policy refuses
    (on the 403 page, and instead of a link). Uses `version.reviews` (prefetch them for a list)."""
    now = now or timezone.now()
    reviews = list(version.reviews.all())
    workstream = version.deliverable.workstream.title
    in_member_review = any(r.kind == Review.Kind.MEMBER_REVIEW and r.is_open(now) for r in reviews)
    upcoming = sorted(
        (
            r
            for r in reviews
            if r.kind == Review.Kind.PUBLIC_CONSULTATION and r.opens_at > now and not r.closed_at
        ),
        key=lambda r: r.opens_at,
    )
    if in_member_review:
        who = _("This draft is in member review, open to the participants of %(ws)s.") % {"ws": workstream}
    else:
        who = _(
            "Version %(n)d of this draft is open to the participants of %(ws)s, the implementation team and "
            "the steering committee."
        ) % {"n": version.number, "ws": workstream}
    if upcoming:
        when = _("It becomes public when the public consultation opens on %(date)s.") % {
            "date": _date(upcoming[0].opens_at)
        }
    else:
        when = _("It becomes public when a public consultation on it opens.")
    return f"{who} {when}"


def versions_for_policy(**filters):
    """Versions with what the `view_draft` rule reads prefetched or annotated (their reviews, whether
    published), so that asking the policy for each costs no query."""
    published = Publication.objects.public().filter(version=OuterRef("pk"))
    return (
        DraftVersion.objects.filter(**filters)
        .select_related("deliverable__workstream")
        .prefetch_related("reviews")
        .annotate(published=Exists(published))
    )


def _versions(deliverable_ids) -> list[DraftVersion]:
    return list(
        versions_for_policy(deliverable_id__in=deliverable_ids)
        .defer("body")
        .order_by("deliverable_id", "-number")
    )


def draft_access_map(*, user, deliverables, versions=None) -> dict[int, DraftAccess]:
    """{deliverable id: DraftAccess} for a list of deliverables, in two queries whatever their number
    (none when `versions`, their versions newest first, are given)."""
    now = timezone.now()
    out = {d.pk: DraftAccess() for d in deliverables}
    for v in _versions(list(out)) if versions is None else versions:
        access = out[v.deliverable_id]
        access.by_number[v.number] = v
        readable = policy.can(user, "consultations.view_draft", v)
        note = "" if readable else closed_note(v, now=now)
        access.versions.insert(0, VersionEntry(v.number, readable, note))
        if readable and access.version is None:
            access.version = v
        elif not readable and access.version is None and not access.note:
            access.note = note  # the newest version, closed to this person
    return out


def draft_access(*, user, deliverable) -> DraftAccess:
    """One deliverable's `draft_access_map`. Its versions come from the shared read cache (group
    "drafts", made stale by any write to a version, review, deliverable, workstream or publication):
    every draft page starts here; what the person may read is still decided per request."""
    versions = readcache.read("drafts", f"versions:{deliverable.pk}", lambda: _versions([deliverable.pk]))
    return draft_access_map(user=user, deliverables=[deliverable], versions=versions)[deliverable.pk]


# Redacted words --------------------------------------------------------------------------------------
def withheld_phrases(*, deliverable_id: int) -> list[redaction.Withheld]:
    """Every phrase a redaction withholds in the deliverable, whoever reads (see `withheld_for`)."""
    from ..services.publication import withheld_phrases as phrases

    return phrases(deliverable_id=deliverable_id)


def withheld_for(*, user, deliverable_id: int, phrases=None) -> list[redaction.Withheld]:
    """The words to mask for `user` on pages of this deliverable's drafts and comments: those a
    redaction withholds from its published copy, unless `user` may read the original. `phrases`: the
    deliverable's `withheld_phrases` when the caller already has them (no query then)."""
    if policy.can(user, "consultations.view_unredacted"):
        return []
    return phrases if phrases is not None else withheld_phrases(deliverable_id=deliverable_id)


def mask_version(version: DraftVersion, withheld) -> DraftVersion:
    """Mask the title and change note of a version object for display (never saved: versions are
    immutable, and `save()` refuses)."""
    if withheld:
        version.title = redaction.mask(version.title, withheld)
        version.change_note = redaction.mask(version.change_note, withheld)
    return version


def mask_comments(comments, withheld, *, markdown: bool = True, replies: bool = True):
    """Mask the bodies and responses of comments (and their prefetched replies) for display; never
    saved. `markdown` when the page renders them as Markdown (the notice's brackets are escaped)."""
    if not withheld:
        return comments
    for c in comments:
        c.body = redaction.mask(c.body, withheld, escape=markdown)
        c.body_html = ""  # rendered at write time from the unmasked text: the page renders the masked one
        c.response = redaction.mask(c.response, withheld, escape=markdown)
        if replies:
            for r in c.replies.all():
                r.body = redaction.mask(r.body, withheld, escape=markdown)
                r.body_html = ""
    return comments


@dataclass
class WithheldSummary:
    notices: list[str]  # "[Redacted — Security]", …
    publication: object | None  # the public copy that withholds them, to link to


def withheld_summary(withheld, *, deliverable_id: int) -> WithheldSummary | None:
    """What the page says about the masked words (None when nothing is masked): one query."""
    if not withheld:
        return None
    from ..models import Publication

    publication = (
        Publication.objects.public()
        .filter(deliverable_id=deliverable_id)
        .only("pk")
        .order_by("-published_at")
    ).first()
    return WithheldSummary(sorted({w.notice for w in withheld}), publication)


# Glossary links ----------------------------------------------------------------------------------------
def text_key(page, *, withheld, phrases) -> str:
    """What a draft page's rendered text depends on, as a key: the version, the reader's language, the
    glossary's revision, the masked and the unlinked words, and the text itself (as a digest)."""
    from django.utils.translation import get_language

    from workstreams.selectors.glossary import glossary_revision

    masked = "|".join(f"{w.phrase}\x00{w.notice}" for w in withheld)
    unlinked = "|".join(w.phrase for w in phrases)
    paragraphs = [*page.preamble, *(p for s in page.sections for p in s.paragraph_list)]
    texts = "\x02".join(p.text for p in paragraphs)
    digest = hashlib.sha256(f"{masked}\x01{unlinked}\x01{texts}".encode()).hexdigest()[:16]
    return f"{page.version.pk}:{get_language()}:{glossary_revision()}:{digest}"


def link_glossary_terms(page, *, deliverable_id: int, withheld, phrases=None) -> None:
    """Render each paragraph of a draft page (`p.html`) with the first use per section of every agreed
    glossary term linked to its definition. The stored text is not touched. Redacted words stay unlinked
    for readers who see them too (for others they are already masked by their notice).

    A fragment cache: a version's English text never changes, so its rendered paragraphs depend on the
    glossary's revision, the redacted words (masked or only left unlinked) and the text in the reader's
    language (staff may add or correct a Spanish version later). The key holds them all, the text as a
    digest; one cache read serves every reader of the same kind, and any change makes a new key."""
    from django.core.cache import cache

    from initiative import markdown

    from ..termlinks import TermLinker

    if phrases is None:
        phrases = list(withheld) or withheld_phrases(deliverable_id=deliverable_id)
    paragraphs = [*page.preamble, *(p for s in page.sections for p in s.paragraph_list)]
    key = f"draft-html:{text_key(page, withheld=withheld, phrases=phrases)}"
    stored = cache.get(key)
    if stored is not None and len(stored) == len(paragraphs):
        for p, html in zip(paragraphs, stored, strict=True):
            p.html = mark_safe(html)  # noqa: S308 (sanitized and linked by the branch below, then cached)
        return
    linker = TermLinker(id_prefix="glossary-def", withheld=phrases)
    for p in page.preamble:
        p.html = linker.link(markdown.render(p.text))
    for s in page.sections:
        linker.new_section()
        for p in s.paragraph_list:
            p.html = linker.link(markdown.render(p.text))
    cache.set(key, [str(p.html) for p in paragraphs], timeout=24 * 3600)
