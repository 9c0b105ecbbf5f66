"""Writes of the related-efforts registry: staff add and edit outside efforts and their links to
workstreams and topics. An edit makes the row staff-owned, so the content loader no longer syncs it."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from initiative import audit, policy

from ..models import EffortOrigin, RelatedEffort

FIELDS = ["name", "led_by", "kind", "description", "relevance", "url"]


class EffortError(Exception):
    pass


def _check_links(workstreams, topics) -> None:
    ws_ids = {w.pk for w in workstreams}
    stray = [t for t in topics if t.workstream_id not in ws_ids]
    if stray:
        raise EffortError(
            _("A linked topic must belong to one of the linked workstreams: %(t)s")
            % {"t": ", ".join(t.title for t in stray)}
        )


def _snapshot(effort: RelatedEffort) -> dict:
    data = audit.snapshot(effort, FIELDS)
    data["workstreams"] = sorted(effort.workstreams.values_list("code", flat=True))
    data["topics"] = sorted(effort.topics.values_list("pk", flat=True))
    return data


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "effort"
    slug, n = base, 2
    while RelatedEffort.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def related_effort_create(*, actor, workstreams, topics=(), **fields) -> RelatedEffort:
    """Staff add an outside effort linked to workstreams (and, optionally, their topics)."""
    policy.require(actor, "workstreams.manage_related_efforts")
    workstreams, topics = list(workstreams), list(topics)
    if not workstreams:
        raise EffortError(_("Link the effort to at least one workstream."))
    _check_links(workstreams, topics)
    values = {k: (fields.get(k) or "").strip() if k != "kind" else fields.get(k) or "other" for k in FIELDS}
    with transaction.atomic():
        effort = RelatedEffort.objects.create(
            slug=_unique_slug(values["name"]),
            origin=EffortOrigin.STAFF,
            updated_by=actor,
            updated_at=timezone.now(),
            **values,
        )
        effort.workstreams.set(workstreams)
        effort.topics.set(topics)
        audit.record(actor=actor, action="related_effort.create", obj=effort, after=_snapshot(effort))
    return effort


def related_effort_update(*, actor, effort: RelatedEffort, workstreams, topics=(), **fields) -> RelatedEffort:
    """Staff edit an effort; from now on the loader leaves it as staff left it."""
    policy.require(actor, "workstreams.manage_related_efforts")
    workstreams, topics = list(workstreams), list(topics)
    if not workstreams:
        raise EffortError(_("Link the effort to at least one workstream."))
    _check_links(workstreams, topics)
    with transaction.atomic():
        # lock: two staff editing one effort are applied one after the other, each with a true "before"
        locked = RelatedEffort.objects.select_for_update(no_key=True).get(pk=effort.pk)
        before = _snapshot(locked)
        for k in FIELDS:
            if k in fields:
                value = fields[k]
                setattr(locked, k, (value or "").strip() if k != "kind" else value or "other")
        locked.origin = EffortOrigin.STAFF
        locked.updated_by = actor
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*FIELDS, "origin", "updated_by", "updated_at"])
        locked.workstreams.set(workstreams)
        locked.topics.set(topics)
        audit.record(
            actor=actor, action="related_effort.update", obj=locked, before=before, after=_snapshot(locked)
        )
    return locked
