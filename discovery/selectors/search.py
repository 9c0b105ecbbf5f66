"""Search across the apps: one query over the index, with each app's visibility scope applied inside it.

PostgreSQL: `websearch_to_tsquery` against the stored vector (GIN), ranked by `ts_rank` (a title match
weighs A, a body match B), snippets by `ts_headline`. SQLite (no services): every word must occur in the
title or the body (`icontains`), title matches first, then the newest; snippets cut in Python.
Snippets are escaped text with `<mark>` as the only markup.
"""

import datetime
import html
import re
from dataclasses import dataclass
from functools import reduce
from operator import and_
from urllib.parse import urlencode

import nh3
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from consultations.selectors.search import (
    comment_search_condition,
    containing_withheld,
    paragraph_search_scope,
    publication_search_scope,
    withheld_by_deliverable,
)
from initiative import policy
from workstreams.selectors.search import session_minutes_search_scope

from ..models import SearchEntry
from ..models.search import SEARCH_CONFIG

Kind = SearchEntry.Kind
# Kinds whose every row is public; the others are matched against their app's scope.
PUBLIC_KINDS = (Kind.WORKSTREAM, Kind.DELIVERABLE, Kind.GLOSSARY, Kind.SESSION, Kind.WEBINAR)
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
# Markers ts_headline puts around matches; turned into <mark> after the text is escaped.
_START, _STOP = "\u27e6", "\u27e7"
SNIPPET_CHARS = 240


@dataclass(frozen=True)
class SearchParams:
    q: str
    kinds: tuple[str, ...] = ()
    workstream_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def entry_visible_to(*, user) -> QuerySet[SearchEntry]:
    """Index rows `user` may find: public kinds; comments by the flags the index keeps on them; for the
    others the ids their app's scope allows — sub-queries of the same SQL statement, so nothing is
    filtered after the fact."""
    allowed = Q(kind__in=PUBLIC_KINDS) | Q(comment_search_condition(user=user), kind=Kind.COMMENT)
    unredacted = policy.can(user, "consultations.view_unredacted")
    withheld = {} if unredacted else withheld_by_deliverable()
    scoped = {
        Kind.PARAGRAPH: paragraph_search_scope(user=user, withheld=withheld),
        Kind.PUBLICATION: publication_search_scope(user=user),
        Kind.MINUTES: session_minutes_search_scope(user=user),
    }
    for kind, scope in scoped.items():
        # A scope without a condition (staff read every paragraph) needs no sub-query.
        allowed |= Q(kind=kind) if not scope.query.where else Q(kind=kind, object_id__in=scope.values("pk"))
    qs = SearchEntry.objects.filter(allowed)
    # A comment quoting a word a redaction withholds stays out for whoever may not read it (tested on the
    # index's own text, i.e. only on the rows the query matched).
    quoting = containing_withheld("body", withheld, "deliverable_id")
    return qs.exclude(Q(kind=Kind.COMMENT) & quoting) if quoting is not None else qs


def _words(q: str) -> list[str]:
    return [w for w in re.findall(r"\w[\w'-]*", q)][:MAX_WORDS]


def entry_search(*, user, params: SearchParams) -> QuerySet[SearchEntry]:
    """The entries matching `params.q` that `user` may find, best first. Empty when the query has no
    word. Annotates `rank`, and on PostgreSQL `headline` and `title_headline` (with match markers)."""
    q = params.q.strip()[:MAX_QUERY_LENGTH]
    words = _words(q)
    if not words:
        return SearchEntry.objects.none()
    qs = entry_visible_to(user=user)
    if params.kinds:
        qs = qs.filter(kind__in=params.kinds)
    if params.workstream_id:
        qs = qs.filter(workstream_id=params.workstream_id)
    if params.date_from:
        qs = qs.filter(date__date__gte=params.date_from)
    if params.date_to:
        qs = qs.filter(date__date__lte=params.date_to)
    qs = qs.select_related("workstream").defer("vector")
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        marks = {"start_sel": _START, "stop_sel": _STOP, "config": SEARCH_CONFIG}
        return (
            qs.filter(vector=query)
            .annotate(
                rank=SearchRank(F("vector"), query),
                headline=SearchHeadline("body", query, max_words=35, min_words=15, max_fragments=2, **marks),
                title_headline=SearchHeadline("title", query, highlight_all=True, **marks),
            )
            .order_by("-rank", F("date").desc(nulls_last=True), "pk")
        )
    for w in words:
        qs = qs.filter(Q(title__icontains=w) | Q(body__icontains=w))
    in_title = reduce(and_, (Q(title__icontains=w) for w in words))
    return qs.annotate(
        rank=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-rank", F("date").desc(nulls_last=True), "pk")


class SearchPaginator(Paginator):
    """Counts the matches in the same query as the page (`COUNT(*) OVER ()`), so a search is one
    statement, not two; only a page past the end costs a separate count."""

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(match_count=Window(Count("pk")))[bottom : bottom + self.per_page]
        )
        if rows:
            self.__dict__["count"] = rows[0].match_count
        elif number == 1:
            self.__dict__["count"] = 0
        else:
            self.validate_number(number)  # counts, and raises EmptyPage
        return self._get_page(rows, number, self)

    def get_page(self, number):
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(max(1, self.num_pages))


# Presenting a page of results ------------------------------------------------------------------------------
def _marked(raw: str) -> SafeString:
    """Escape the text, then turn the match markers into <mark>; nh3 guarantees nothing else passes."""
    text = html.escape(raw, quote=False).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(nh3.clean(text, tags={"mark"}, attributes={}))  # noqa: S308 (sanitized by nh3)


def _cut(text: str, words: list[str]) -> str:
    """SQLite: a window of the text around the first match, with the matches between markers."""
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - SNIPPET_CHARS // 3) if found else 0
    window = text[start : start + SNIPPET_CHARS]
    window = window.replace(_START, "").replace(_STOP, "")
    if pattern:
        window = pattern.sub(lambda m: f"{_START}{m.group(0)}{_STOP}", window)
    return ("…" if start else "") + window + ("…" if start + SNIPPET_CHARS < len(text) else "")


def entry_url(entry: SearchEntry) -> str:
    match entry.kind:
        case Kind.WORKSTREAM:
            return reverse("workstreams:workstream-detail", kwargs={"slug": entry.anchor})
        case Kind.DELIVERABLE:
            return reverse("workstreams:workstream-detail", kwargs={"slug": entry.workstream.slug})
        case Kind.PUBLICATION:
            return reverse("consultations:publication-detail", kwargs={"pk": entry.object_id})
        case Kind.PARAGRAPH:
            url = reverse(
                "consultations:draft-detail",
                kwargs={"deliverable_id": entry.deliverable_id, "number": entry.version_number},
            )
            return f"{url}#para-{entry.anchor}"
        case Kind.COMMENT:
            url = reverse(
                "consultations:paragraph-comments",
                kwargs={
                    "deliverable_id": entry.deliverable_id,
                    "number": entry.version_number,
                    "key": entry.anchor or "whole",
                },
            )
            return f"{url}#comment-{entry.object_id}"
        case Kind.GLOSSARY:
            return reverse("workstreams:glossary") + "?" + urlencode({"q": entry.title})
        case Kind.SESSION | Kind.MINUTES:
            return reverse("workstreams:session-detail", kwargs={"pk": entry.object_id})
        case Kind.WEBINAR:
            return reverse("webinars:webinar-detail", kwargs={"slug": entry.anchor})
    return ""


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    date: datetime.datetime | None
    workstream: str
    rank: float


def hits(entries, *, q: str) -> list[Hit]:
    """Turn a page of entries into what pages and the API show (no query of its own)."""
    words = _words(q)
    labels = dict(Kind.choices)
    out = []
    for e in entries:
        if hasattr(e, "headline"):
            title_raw, body_raw = e.title_headline, e.headline
        else:
            title_raw, body_raw = _cut(e.title, words), _cut(e.body, words)
        title = _marked(title_raw) if e.title else mark_safe(html.escape(str(labels[e.kind])))  # noqa: S308
        out.append(
            Hit(
                kind=e.kind,
                kind_label=str(labels[e.kind]),
                title=title,
                snippet=_marked(body_raw),
                url=entry_url(e),
                date=e.date,
                workstream=e.workstream.title if e.workstream_id and e.workstream else "",
                rank=float(e.rank),
            )
        )
    return out
