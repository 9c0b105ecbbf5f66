"""Following a deliverable and the public consultations mailing list (double opt-in, one-click
unsubscribe). Unsubscribing keeps the row, so a redelivered mailing cannot re-add anyone."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from initiative import audit, emails, policy
from initiative.models import Language

from ..models import Follow, Subscriber


def follow_create(*, actor, deliverable) -> Follow:
    policy.require(actor, "consultations.follow_deliverable", deliverable)
    try:
        with transaction.atomic():
            follow = Follow.objects.create(user=actor, deliverable=deliverable)
            audit.record(actor=actor, action="follow.create", obj=deliverable)
    except IntegrityError:
        follow = Follow.objects.get(user=actor, deliverable=deliverable)
    return follow


def follow_delete_by_token(*, token: str) -> Follow | None:
    follow = Follow.objects.select_related("deliverable", "user").filter(token=token).first()
    if follow is not None:
        follow.delete()
    return follow


def follow_delete(*, actor, deliverable) -> None:
    Follow.objects.filter(user=actor, deliverable=deliverable).delete()


def subscriber_subscribe(*, email: str, language: str = Language.ENGLISH) -> Subscriber:
    """Add (or re-add) an address and send the confirmation link. Nothing is sent to it until the
    address is confirmed. Saying nothing different for known addresses keeps the list private. The list's
    emails to the address are in `language`, the one it signed up in (the latest sign-up's)."""
    email = email.strip().lower()
    language = language if language in Language.values else Language.ENGLISH
    subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"language": language})
    if subscriber.confirmed_at is None or subscriber.unsubscribed_at is not None:
        if subscriber.language != language:
            subscriber.language = language
            subscriber.save(update_fields=["language"])
        emails.send(
            template="consultations_list_confirm",
            to=[email],
            context={
                "confirm_path": reverse("consultations:list-confirm", kwargs={"token": subscriber.token})
            },
            language=subscriber.language,
        )
    return subscriber


def subscriber_confirm(*, token: str) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is not None:
        Subscriber.objects.filter(pk=subscriber.pk).update(confirmed_at=timezone.now(), unsubscribed_at=None)
        subscriber.refresh_from_db()
    return subscriber


def subscriber_unsubscribe(*, token: str) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is not None and subscriber.unsubscribed_at is None:
        Subscriber.objects.filter(pk=subscriber.pk).update(unsubscribed_at=timezone.now())
        subscriber.refresh_from_db()
    return subscriber
