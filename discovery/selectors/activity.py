"""The public activity feed: what happened in the initiative (or one workstream), newest first.

Built from the records themselves — versions, consultations, decisions, publications, sessions,
webinars — by each owning app's selector with the public's visibility, joined with `UNION ALL` so that a
page of the feed is one query (plus one count) however long the history."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.selectors.activity import (
    consultation_activity,
    decision_activity,
    publication_activity,
    version_activity,
)
from webinars.selectors import webinar_activity
from workstreams.selectors.activity import session_activity

SOURCES = (
    version_activity,
    consultation_activity,
    decision_activity,
    publication_activity,
    session_activity,
    webinar_activity,
)


def activity_rows(*, workstream_id: int | None = None) -> QuerySet:
    """Rows (dicts of `a_*` columns) of the public activity, newest first."""
    # Each part loses its model's default ordering: SQLite allows no ORDER BY inside a compound query.
    first, *rest = (source(workstream_id=workstream_id).order_by() for source in SOURCES)
    return first.union(*rest, all=True).order_by("-a_date", "a_kind", "-a_id")


@dataclass
class ActivityItem:
    kind: str
    title: str
    summary: str
    url: str
    date: datetime.datetime
    workstream: str
    guid: str


def _workstream_title(code: str | None, name: str | None) -> str:
    if not code:
        return ""
    if code.startswith("T"):
        return f"Track {code[1:]}: {name}"
    return f"Workstream {code}: {name}"


def _describe(row: dict) -> tuple[str, str, str]:
    """(title, summary, path) of one row."""
    kind, pk, title, number = row["a_kind"], row["a_id"], row["a_title"], row["a_number"]
    deliverable = row["a_deliv"]
    if kind == "version":
        path = reverse("consultations:draft-detail", kwargs={"deliverable_id": deliverable, "number": number})
        return (
            _("New version: %(t)s (version %(n)s)") % {"t": title, "n": number},
            _("A new version was posted."),
            path,
        )
    if kind == "consultation":
        path = reverse("consultations:draft-detail", kwargs={"deliverable_id": deliverable, "number": number})
        return (
            _("Consultation opened: %(t)s") % {"t": title},
            _("A public consultation opened on version %(n)s.") % {"n": number},
            path,
        )
    if kind == "decision":
        from consultations.models.approvals import Decision

        label = dict(Decision.choices).get(row["a_detail"], row["a_detail"])
        path = reverse("consultations:decision-detail", kwargs={"pk": pk})
        return (
            _("Decision: %(t)s — %(d)s") % {"t": title, "d": label},
            _("The steering committee decided on version %(n)s: %(d)s.") % {"n": number, "d": label},
            path,
        )
    if kind == "publication":
        path = reverse("consultations:publication-detail", kwargs={"pk": pk})
        return _("Published: %(t)s") % {"t": title}, _("A work product was published."), path
    if kind == "session":
        path = reverse("workstreams:session-detail", kwargs={"pk": pk})
        return _("Session: %(t)s") % {"t": title}, _("A session of the workstream took place."), path
    path = reverse("webinars:webinar-detail", kwargs={"slug": row["a_detail"]})
    if number:
        return _("Webinar cancelled: %(t)s") % {"t": title}, _("This webinar was cancelled."), path
    return _("Webinar: %(t)s") % {"t": title}, _("A webinar was announced."), path


def activity_items(rows) -> list[ActivityItem]:
    items = []
    for row in rows:
        title, summary, path = _describe(row)
        items.append(
            ActivityItem(
                kind=row["a_kind"],
                title=title,
                summary=summary,
                url=path,
                date=row["a_date"],
                workstream=_workstream_title(row["a_ws_code"], row["a_ws_name"]),
                guid=f"{row['a_kind']}-{row['a_id']}",
            )
        )
    return items
