"""What of this app's text a person may find through search: querysets, never lists, so that the
search can apply them inside its own query (as `IN (subquery)`), whatever the number of rows; for
comments, a condition on the index's own columns.

The rules decide for one object at a time (`consultations.view_draft`, `comment_scope`); these scopes
say the same for every row at once and are tested against the rules."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils import timezone

from initiative import policy
from workstreams.models import Deliverable
from workstreams.rules import enrolled_workstream_ids

from ..models import Paragraph, Publication, Redaction, Review


def withheld_by_deliverable() -> dict[int, list[str]]:
    """The words each deliverable's redactions withhold (`services.publication.withheld_phrases` for
    every deliverable at once): two queries whatever the number of redactions, one when there is none."""
    spans = list(
        Redaction.objects.values_list(
            "version__deliverable_id", "version_id", "paragraph_key", "start", "end"
        )
    )
    if not spans:
        return {}
    texts = {
        (v, k): t
        for v, k, t in Paragraph.objects.filter(
            reduce(or_, (Q(version_id=v, key=k) for _d, v, k, _s, _e in spans))
        ).values_list("version_id", "key", "text")
    }
    phrases: dict[int, set[str]] = {}
    for d, v, k, start, end in spans:
        if phrase := texts.get((v, k), "")[start:end]:
            phrases.setdefault(d, set()).add(phrase)
    return {d: sorted(words) for d, words in phrases.items()}


def containing_withheld(field: str, withheld: dict[int, list[str]], deliverable_field: str) -> Q | None:
    """A condition true for rows whose `field` contains a word withheld from their deliverable."""
    terms = [
        Q(**{deliverable_field: d, f"{field}__contains": w})
        for d, phrases in withheld.items()
        for w in phrases
    ]
    return reduce(or_, terms) if terms else None


def paragraph_search_scope(*, user, withheld: dict[int, list[str]] | None = None) -> QuerySet[Paragraph]:
    """Paragraphs of the versions `user` may read (`consultations.view_draft`): staff and the committee
    read every version; members read their workstreams' versions, everyone the versions under a public
    consultation that has opened; a version carrying a redacted word is for staff and the committee."""
    qs = Paragraph.objects.all()
    if policy.can(user, "consultations.view_unredacted"):
        return qs
    opened_public = Review.objects.public().filter(opens_at__lte=timezone.now()).values("version_id")
    qs = qs.filter(
        Q(version_id__in=opened_public)
        | Q(version__deliverable__workstream_id__in=list(enrolled_workstream_ids(user)))
    )
    withheld = withheld_by_deliverable() if withheld is None else withheld
    carrying = containing_withheld("text", withheld, "version__deliverable_id")
    if carrying is not None:
        qs = qs.exclude(version_id__in=Paragraph.objects.filter(carrying).values("version_id"))
    return qs


def comment_search_condition(*, user) -> Q:
    """Which indexed comments `user` may find (as `comment_scope` decides per deliverable), said in the
    search index's columns, where the index keeps each comment's flags and deliverable
    (`discovery.sql.search`): members' reviews for the workstream's members, staff and the committee;
    hidden comments for moderators only. A condition on the matched rows, not a list of every comment
    the person may read. (A comment quoting a redacted word is left out by the search itself, on the
    text it would show: see `discovery.selectors.search`.)"""
    condition = Q()
    if not policy.can(user, "consultations.moderate_comments"):
        condition &= Q(hidden=False)
    if policy.can(user, "consultations.view_unredacted"):
        return condition
    enrolled = list(enrolled_workstream_ids(user))
    if not enrolled:
        return condition & Q(members_only=False)
    # through the deliverable's workstream as it is now (a deliverable moved to another workstream
    # does not re-index its comments; a version never changes deliverable)
    theirs = Deliverable.objects.filter(workstream_id__in=enrolled).values("pk")
    return condition & (Q(members_only=False) | Q(deliverable_id__in=theirs))


def publication_search_scope(*, user) -> QuerySet[Publication]:
    """Published copies (their redacted text) are public once rendered."""
    return Publication.objects.public()
