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

Reads a request will make can be fetched together beforehand (`prefetch`, inside a request: see
`RequestScope`), so that several cost one round trip: on a busy machine each round trip is a wait and
a switch of processes, and a comment posted makes a dozen.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import revisions

# (group, key) -> (generation, cached entry or None), fetched by `prefetch` for this request
_prefetched: ContextVar[dict | None] = ContextVar("readcache_prefetched", default=None)


def _generation_key(group: str) -> str:
    return f"readcache:{group}:generation"


def _value_key(group: str, key: str) -> str:
    return f"readcache:{group}:{key}"


def read(group: str, key: str, compute):
    """The value cached under `key` in `group`, or `compute()` (then cached)."""
    seconds = settings.READ_CACHE_SECONDS
    if not seconds:
        return compute()
    memo = _prefetched.get()
    if memo is not None and (group, key) in memo:
        generation, cached = memo.pop((group, key))  # once: a second read asks the cache again
    else:
        generation_key, value_key = _generation_key(group), _value_key(group, key)
        got = cache.get_many([generation_key, value_key])
        generation, cached = got.get(generation_key, ""), got.get(value_key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    value = compute()
    cache.set(_value_key(group, key), (generation, value), timeout=seconds)
    return value


def prefetch(*entries: tuple[str, str]) -> None:
    """Fetch the (group, key) entries that this request is about to `read`, in one round trip; each
    read then uses what was fetched (once). Outside a `RequestScope` (a task, a shell), nothing: each
    read fetches its own."""
    memo = _prefetched.get()
    if memo is None or not settings.READ_CACHE_SECONDS:
        return
    entries = [e for e in entries if e not in memo]
    if not entries:
        return
    keys = {_generation_key(group) for group, _key in entries}
    keys.update(_value_key(group, key) for group, key in entries)
    got = cache.get_many(list(keys))
    for group, key in entries:
        memo[group, key] = (got.get(_generation_key(group), ""), got.get(_value_key(group, key)))


def changed(group: str) -> None:
    """Whatever `group` cached is stale: a new generation now, and again on commit (and whatever this
    request prefetched from it is dropped)."""
    if settings.READ_CACHE_SECONDS:
        memo = _prefetched.get()
        if memo:
            for entry in [e for e in memo if e[0] == group]:
                del memo[entry]
        revisions.replace_now_and_on_commit(_generation_key(group))


class RequestScope:
    """Middleware: the span of one request, within which `prefetch` keeps what it fetched (and nothing
    outlives the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _prefetched.set({})
        try:
            return self.get_response(request)
        finally:
            _prefetched.reset(token)


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
