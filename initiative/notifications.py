"""Notifications: who follows what, the events they hear of, and how each reaches them (the bell, an email
at once or a daily digest), once per person per event.

The governance core knows no other app, so events and targets are strings. An app raises an event from
the service that makes it happen (`event_raise`, in that service's transaction), naming the targets it
concerns ("consultations.deliverable:7", "workstreams.workstream:2") and any people told directly (a
comment's author). Each app registers, in its `tasks` module, what its targets are (`register_target`:
how to fetch one for a follow button, and who follows it beyond `Subscription` rows) and which restricted
audiences exist (`register_audience`, e.g. a workstream's members for a members-only draft).

`fan_out` (a Celery task after commit) writes the `Notification` rows in batches with bulk inserts,
unique per (event, recipient), and plans the immediate emails in the outbox in the same transaction as
the batch; the event's `cursor` records the last recipient done, so a rerun resumes and a duplicate run
writes nothing twice. Digest notifications wait for `digest_send` (beat, daily), which turns each
person's day into one outbox row. Unread counts are cached per person and dropped when they change.
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.apps import apps as django_apps
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from . import outbox
from .models import (
    EmailMode,
    Notification,
    NotificationEvent,
    NotificationKind,
    NotificationPreference,
    Subscription,
    User,
)

BATCH = 2000
UNREAD_TTL = 300
UNSUBSCRIBE_SALT = "initiative.notifications.unsubscribe"
ALL_KINDS = "*"

# What a person gets without choosing: what concerns them personally at once, what they follow daily.
DEFAULTS: dict[str, str] = {
    NotificationKind.VERSION_POSTED: EmailMode.DIGEST,
    NotificationKind.REVIEW_OPENED: EmailMode.IMMEDIATE,
    NotificationKind.REVIEW_CLOSING: EmailMode.DIGEST,
    NotificationKind.REVIEW_CLOSED: EmailMode.DIGEST,
    NotificationKind.COMMENT_REPLY: EmailMode.IMMEDIATE,
    NotificationKind.COMMENT_DISPOSITION: EmailMode.IMMEDIATE,
    NotificationKind.VOTE_OPENED: EmailMode.IMMEDIATE,
    NotificationKind.DECISION: EmailMode.IMMEDIATE,
    NotificationKind.PUBLICATION: EmailMode.DIGEST,
    NotificationKind.WEBINAR_CHANGED: EmailMode.IMMEDIATE,
    NotificationKind.ACTION_ITEM: EmailMode.IMMEDIATE,
    NotificationKind.SESSION_SCHEDULED: EmailMode.DIGEST,
}


# Registries ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A kind of thing people follow. `get(ref, user)` returns the object when `user` may see it (else
    None); `followers(ref)` returns a user-id queryset of followers kept elsewhere than `Subscription`."""

    name: str
    get: Callable
    followers: Callable[[str], QuerySet] | None = None


_TARGETS: dict[str, Target] = {}
_AUDIENCES: dict[str, Callable[[str], QuerySet]] = {}


def register_target(name: str, *, get, followers=None) -> Target:
    """Register "<app>.<thing>" (defined in that app's `tasks` package, where it is looked for)."""
    target = Target(name=name, get=get, followers=followers)
    _TARGETS[name] = target
    return target


def register_audience(name: str, users: Callable[[str], QuerySet]) -> str:
    """Register "<app>.<group>": `users(ref)` returns the user-id queryset of the group."""
    _AUDIENCES[name] = users
    return name


def _load(name: str, registry: dict):
    """The registered entry, importing its app's `tasks` package first if needed. Names come from
    requests (a Follow form's target): only an installed app's own package is ever imported."""
    if name not in registry:
        try:
            config = django_apps.get_app_config(name.split(".", 1)[0])
        except LookupError:
            return None
        try:
            importlib.import_module(f"{config.name}.tasks")
        except ImportError:
            return None
    return registry.get(name)


def split(value: str) -> tuple[str, str]:
    name, _, ref = value.partition(":")
    return name, ref


def target_get(value: str, *, user):
    """The object a target string names, if it exists and `user` may see it; None otherwise."""
    name, ref = split(value)
    target = _load(name, _TARGETS)
    if target is None or not ref:
        return None
    return target.get(ref, user)


# Following -------------------------------------------------------------------------------------------------
def subscription_create(*, user, target: str) -> Subscription:
    """Follow `target`; following twice is following once. No audit row: following changes only what
    the person is told."""
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, target=target)
    except IntegrityError:
        return Subscription.objects.get(user=user, target=target)


def subscription_delete(*, user, target: str) -> None:
    Subscription.objects.filter(user=user, target=target).delete()


def is_following(*, user, target: str) -> bool:
    return bool(user.is_authenticated) and Subscription.objects.filter(user=user, target=target).exists()


def subscription_list(*, user) -> list[tuple[Subscription, object]]:
    """The person's follows with the objects they name (a follow of something gone is left out)."""
    rows = []
    for sub in Subscription.objects.filter(user=user).order_by("-created_at"):
        obj = target_get(sub.target, user=user)
        if obj is not None:
            rows.append((sub, obj))
    return rows


# Raising and fanning out -----------------------------------------------------------------------------------
def _in_each_language(text) -> tuple[str, dict[str, str]]:
    """`text`, or a function that writes it, as (the site's language, {language: text}): written once per
    language so each reader sees it in theirs (a string is the same in all)."""
    from django.conf import settings
    from django.utils import translation

    if not callable(text):
        return str(text), {}
    written = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            written[code] = str(text())
    return written.get(settings.LANGUAGE_CODE) or next(iter(written.values())), written


def event_raise(
    *,
    key: str,
    kind: str,
    title,
    url: str,
    body="",
    targets: Iterable[str] = (),
    recipients: Iterable[int] = (),
    audience: str = "",
    actor=None,
    covered_by: str = "",
) -> NotificationEvent:
    """Record an event and fan it out after commit. Idempotent on `key`: raising an event twice (a rerun
    sweep, a redelivered task) finds the first one and fans nothing out again. `title` and `body` are
    text, or functions that write it (`lambda: _("…") % …`): then each language's is kept, and every
    reader sees theirs on the site and in emails."""
    title, titles = _in_each_language(title)
    body, bodies = _in_each_language(body)
    event, created = NotificationEvent.objects.get_or_create(
        key=key[:160],
        defaults={
            "kind": kind,
            "title": title[:300],
            "body": body,
            "translations": {
                code: {"title": titles.get(code, title)[:300], "body": bodies.get(code, body)}
                for code in {*titles, *bodies}
            },
            "url": url,
            "targets": sorted(set(targets)),
            "recipients": sorted({int(r) for r in recipients if r}),
            "audience": audience,
            "actor": actor if getattr(actor, "pk", None) else None,
            "covered_by": covered_by,
        },
    )
    if created:
        from .tasks import fan_out_notification

        transaction.on_commit(partial(fan_out_notification.delay, event.pk), robust=True)
    return event


def audience_of(event: NotificationEvent) -> QuerySet:
    """The active users the event reaches (without the one who caused it)."""
    q = Q(pk__in=event.recipients) if event.recipients else Q(pk__in=[])
    if event.targets:
        q |= Q(pk__in=Subscription.objects.filter(target__in=event.targets).values("user_id"))
    for value in event.targets:
        name, ref = split(value)
        target = _load(name, _TARGETS)
        if target is not None and target.followers is not None:
            q |= Q(pk__in=target.followers(ref))
    users = User.objects.filter(q, is_active=True)
    if event.audience:
        name, ref = split(event.audience)
        group = _load(name, _AUDIENCES)
        users = users.filter(pk__in=group(ref)) if group is not None else users.none()
    if event.actor_id:
        users = users.exclude(pk=event.actor_id)
    return users


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[User, str] | None:
    """(user, kind or "*") from an unsubscribe token, or None when it is forged or the user is gone."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    kind = data.get("k")
    if user is None or (kind != ALL_KINDS and kind not in NotificationKind.values):
        return None
    return user, kind


def unsubscribe_path(*, user_id: int, kind: str, base: str = "") -> str:
    """The unsubscribe link's path; `base` (from `_unsubscribe_base`) saves a URL reversal per row."""
    base = base or _unsubscribe_base()
    return base.replace(_TOKEN_SLOT, unsubscribe_token(user_id=user_id, kind=kind))


_TOKEN_SLOT = "token-slot"


def _unsubscribe_base() -> str:
    return reverse("initiative:notification-unsubscribe", kwargs={"token": _TOKEN_SLOT})


def _modes(user_ids: list[int], kind: str) -> dict[int, str]:
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list("user_id", "email")
    )
    default = DEFAULTS.get(kind, EmailMode.DIGEST)
    return {uid: chosen.get(uid, default) for uid in user_ids}


def fan_out(*, event_id: int, batch: int = BATCH) -> int:
    """Write the event's notifications from its cursor on, a batch per transaction; returns the number of
    recipients handled in this run. Each batch's immediate emails are planned in the outbox with it."""
    event = NotificationEvent.objects.filter(pk=event_id).first()
    if event is None or event.fanned_out_at is not None:
        return 0
    users = audience_of(event)
    cursor, handled, planned = event.cursor, 0, False
    base = _unsubscribe_base()
    while True:
        page = list(users.filter(pk__gt=cursor).order_by("pk").values_list("pk", "email", "language")[:batch])
        if not page:
            break
        ids = [pk for pk, _, _ in page]
        modes = _modes(ids, event.kind)
        covered = set()
        if event.covered_by:
            from .models import Delivery

            covered = set(
                Delivery.objects.filter(
                    event=event.covered_by, email__in=[e.lower() for _, e, _ in page]
                ).values_list("email", flat=True)
            )
        now = timezone.now()
        rows, immediate = [], {}
        for pk, email, language in page:
            mode = EmailMode.NONE if (email or "").lower() in covered or not email else modes[pk]
            rows.append(Notification(event=event, recipient_id=pk, email=mode, created_at=now))
            if mode == EmailMode.IMMEDIATE:
                immediate[email] = {
                    "unsubscribe_path": unsubscribe_path(user_id=pk, kind=event.kind, base=base),
                    "language": language,
                }
        with transaction.atomic():
            Notification.objects.bulk_create(rows, batch_size=batch, ignore_conflicts=True)
            if immediate:
                outbox.plan(kind=NOTIFICATION, ref=event.pk, template="notification", recipients=immediate)
                planned = True
            NotificationEvent.objects.filter(pk=event.pk, cursor__lt=ids[-1]).update(cursor=ids[-1])
        cache.delete_many([_unread_key(pk) for pk in ids])
        cursor = ids[-1]
        handled += len(ids)
    NotificationEvent.objects.filter(pk=event.pk, fanned_out_at__isnull=True).update(
        fanned_out_at=timezone.now()
    )
    if planned or event.recipients or event.targets:
        from .tasks import deliver_event

        # the sweep would, within a minute; a broker that is down only delays the emails
        transaction.on_commit(
            partial(deliver_event.delay, outbox.event_key(NOTIFICATION, event.pk)), robust=True
        )
    return handled


def events_unfanned(*, older_than_seconds: int = 120) -> list[int]:
    """Events whose fan-out never finished (a task lost before it ran): what the sweep restarts."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        NotificationEvent.objects.filter(fanned_out_at__isnull=True, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:100]
    )


# Emails ----------------------------------------------------------------------------------------------------
def _notification_shared(ref: str) -> dict | None:
    event = NotificationEvent.objects.filter(pk=int(ref)).first()
    return None if event is None else {"event": event}


def _digest_shared(ref: str) -> dict | None:
    return {}


def _digest_personal(shared: dict, row: dict) -> dict | None:
    events = list(
        NotificationEvent.objects.filter(notifications__pk__in=row.get("ids", [])).order_by(
            "created_at", "pk"
        )
    )
    if not events:
        return None
    return {
        "context": {
            "events": events,
            "unsubscribe_path": row.get("unsubscribe_path", ""),
            "language": row.get("language"),
        }
    }


NOTIFICATION = outbox.register("initiative.notification", shared=_notification_shared).name
DIGEST = outbox.register(
    "initiative.notification_digest", shared=_digest_shared, personal=_digest_personal
).name


def digest_send(*, now: datetime | None = None) -> int:
    """Turn every person's waiting digest notifications into one email each; returns how many emails
    were planned. The notifications are claimed (SKIP LOCKED) and marked in the transaction that plans
    the row, keyed by the newest one's id, so an overlapping or repeated run sends nothing twice."""
    now = now or timezone.now()
    planned = 0
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(email=EmailMode.DIGEST, digested_at__isnull=True, created_at__lte=now)
            .values_list("pk", "recipient_id", "recipient__email", "recipient__language")
            .order_by("recipient_id", "pk")
        )
        if not waiting:
            return 0
        per_user: dict[int, tuple[str, str, list[int]]] = {}
        for pk, uid, email, language in waiting:
            per_user.setdefault(uid, (email, language, []))[2].append(pk)
        Notification.objects.filter(pk__in=[row[0] for row in waiting]).update(digested_at=now)
        for uid, (email, language, ids) in per_user.items():
            if not email:
                continue
            outbox.plan(
                kind=DIGEST,
                ref=f"{uid}:{ids[-1]}",
                template="notification_digest",
                recipients={
                    email: {
                        "ids": ids,
                        "unsubscribe_path": unsubscribe_path(user_id=uid, kind=ALL_KINDS),
                        "language": language,
                    }
                },
            )
            planned += 1
    return planned


# Reading and marking ---------------------------------------------------------------------------------------
def _unread_key(user_id: int) -> str:
    return f"notifications-unread:{user_id}"


def unread_count(*, user) -> int:
    """The bell's number: cached per person (no query on most pages), dropped whenever it changes."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return cache.get_or_set(
        _unread_key(user.pk),
        lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        UNREAD_TTL,
    )


def notification_list(*, user, unread_only: bool = False) -> QuerySet:
    qs = Notification.objects.filter(recipient=user).select_related("event")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_mark_read(*, user, pk: int) -> Notification | None:
    """Mark one of the person's notifications read; someone else's is not found."""
    n = Notification.objects.select_related("event").filter(recipient=user, pk=pk).first()
    if n is not None and n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
        cache.delete(_unread_key(user.pk))
    return n


def notification_mark_all_read(*, user) -> int:
    done = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    cache.delete(_unread_key(user.pk))
    return done


# Preferences -----------------------------------------------------------------------------------------------
def preferences_for(*, user) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: chosen.get(kind, DEFAULTS[kind]) for kind in NotificationKind.values}


def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store the person's choice per kind (`kind → EmailMode`); kinds left out keep theirs."""
    for kind, mode in choices.items():
        if kind in NotificationKind.values and mode in EmailMode.values:
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": mode})


def declined_email(kind: str) -> QuerySet:
    """The ids of the people who chose no email for `kind`: an announcement sent by its own outbox
    event (a review opening, a decision) leaves them out; the bell still tells them."""
    return NotificationPreference.objects.filter(kind=kind, email=EmailMode.NONE).values("user_id")


def unsubscribe(*, user, kind: str) -> None:
    """Stop the emails of `kind` (of every kind for "*"); the bell still shows them."""
    kinds = NotificationKind.values if kind == ALL_KINDS else [kind]
    preferences_save(user=user, choices=dict.fromkeys(kinds, EmailMode.NONE))
