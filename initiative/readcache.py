"""Reads that every request makes and that rarely change (a person's roles, a review's questions, the
words a deliverable withholds), kept in the shared cache for READ_CACHE_SECONDS.

A cached value belongs to a *group* ("roles:42"), and every write to a row the group is read from
replaces the group's generation token (model signals; an `initiative.revisions` token, replaced at once
and again on commit). A value is stored with the generation that was current *before* it was computed
and is used only while that generation is still current, so a request that read the old rows while a
write was committing can store them but nobody will use them. One round trip per read (the value and
its group's token together).

Off (every read computed) when READ_CACHE_SECONDS is 0: the default without Redis, where a cache read
would cost the query it saves.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import revisions


def _generation_key(group: str) -> str:
    return f"readcache:{group}:generation"


def read(group: str, key: str, compute):
    """The value cached under `key` in `group`, or `compute()` (then cached)."""
    seconds = settings.READ_CACHE_SECONDS
    if not seconds:
        return compute()
    generation_key, value_key = _generation_key(group), f"readcache:{group}:{key}"
    got = cache.get_many([generation_key, value_key])
    generation = got.get(generation_key, "")
    cached = got.get(value_key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    value = compute()
    cache.set(value_key, (generation, value), timeout=seconds)
    return value


def changed(group: str) -> None:
    """Whatever `group` cached is stale: a new generation now, and again on commit."""
    if settings.READ_CACHE_SECONDS:
        revisions.replace_now_and_on_commit(_generation_key(group))


_CONNECTED: set[str] = set()


def changed_by(model: str, group_of, *, m2m: str | None = None) -> None:
    """Connect the saves and deletes of `model` ("app_label.Model") to `changed(group)` for each group
    `group_of(instance)` names (one, or a list); with `m2m` (a many-to-many field of `model`), changes
    to that relation too. One call per model and m2m field (a second is refused: it would be ignored).

    `QuerySet.update()` sends no signal: code that updates such rows in bulk calls `changed` itself."""

    def receiver(instance, **_kwargs):
        groups = group_of(instance)
        for group in [groups] if isinstance(groups, str) else groups:
            changed(group)

    uid = f"readcache-{model}-{m2m or ''}"
    if uid in _CONNECTED:
        raise RuntimeError(f"{model} already makes cached reads stale: name all its groups in one call")
    _CONNECTED.add(uid)
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
    if m2m:
        from django.apps import apps

        through = getattr(apps.get_model(model), m2m).through
        m2m_changed.connect(receiver, sender=through, weak=False, dispatch_uid=uid)


class StaleOnUpdate(QuerySet):
    """A queryset whose `update()` makes `stale_groups` stale, as a save of one of its rows does through
    `changed_by`: an update in bulk sends no signal. For models whose groups do not depend on the row."""

    stale_groups: tuple[str, ...] = ()

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            for group in self.stale_groups:
                changed(group)
        return rows
