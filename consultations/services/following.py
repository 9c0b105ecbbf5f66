"""Following a deliverable and the public consultations mailing list (double opt-in, one-click
unsubscribe). Unsubscribing keeps the row, so a redelivered mailing cannot re-add anyone."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from initiative import audit, emails, notifications, policy
from initiative.models import Language, NotificationKind

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


# Notifications: the events of this app, raised by the services that make them happen ---------------------
DELIVERABLE = "consultations.deliverable"
REVIEW = "consultations.review"


def deliverable_targets(deliverable) -> list[str]:
    """Who hears of a deliverable's events: its followers and its workstream's."""
    return [f"{DELIVERABLE}:{deliverable.pk}", f"workstreams.workstream:{deliverable.workstream_id}"]


def _members_only(deliverable) -> str:
    return f"workstreams.members:{deliverable.workstream_id}"


def _draft_url(version) -> str:
    return reverse("consultations:draft-detail", args=[version.deliverable_id, version.number])


def version_posted_notify(*, version, actor) -> None:
    """A new version is members-only until a public consultation opens on it."""
    deliverable = version.deliverable
    notifications.event_raise(
        key=f"consultations.version_posted:{version.pk}",
        kind=NotificationKind.VERSION_POSTED,
        title=lambda: (
            _("Version %(n)s of “%(title)s” is posted") % {"n": version.number, "title": deliverable.title}
        ),
        body=version.change_note,
        url=_draft_url(version),
        targets=deliverable_targets(deliverable),
        audience=_members_only(deliverable),
        actor=actor,
    )


def review_notify(*, kind: str, review, key: str, title, covered_by: str = "") -> None:
    """An event of a review window, told to followers of the window, its deliverable and its workstream
    (only members, for a member review)."""
    from ..models import Review

    deliverable = review.version.deliverable
    public = review.kind == Review.Kind.PUBLIC_CONSULTATION
    notifications.event_raise(
        key=key,
        kind=kind,
        title=title,
        url=_draft_url(review.version),
        targets=[*deliverable_targets(deliverable), f"{REVIEW}:{review.pk}"],
        audience="" if public else _members_only(deliverable),
        covered_by=covered_by,
    )


def review_window_notify(*, review, what: str, covered_by: str = "") -> None:
    """`what`: "opened", "closing" (within 48 hours) or "closed"."""
    kinds = {
        "opened": NotificationKind.REVIEW_OPENED,
        "closing": NotificationKind.REVIEW_CLOSING,
        "closed": NotificationKind.REVIEW_CLOSED,
    }

    def title() -> str:  # in each language (see notifications.event_raise)
        names = {"title": review.version.deliverable.title, "kind": review.get_kind_display()}
        titles = {
            "opened": _("%(kind)s open on “%(title)s”"),
            "closing": _("%(kind)s on “%(title)s” closes within 48 hours"),
            "closed": _("%(kind)s on “%(title)s” has closed"),
        }
        return titles[what] % names

    # a window extended after its reminder gets a reminder for its new end
    suffix = f":{review.closes_at.isoformat()}" if what == "closing" else ""
    review_notify(
        kind=kinds[what],
        review=review,
        key=f"consultations.review_{what}:{review.pk}{suffix}",
        title=title,
        covered_by=covered_by,
    )


def reply_notify(*, reply, actor) -> None:
    """A reply tells the thread's authors (the comment's and the earlier replies'): authors follow their
    threads without a follow row."""
    from ..models import Comment

    parent = reply.parent
    authors = set(Comment.objects.filter(parent_id=parent.pk).values_list("author_id", flat=True))
    authors.add(parent.author_id)
    deliverable = reply.version.deliverable
    notifications.event_raise(
        key=f"consultations.comment_reply:{reply.pk}",
        kind=NotificationKind.COMMENT_REPLY,
        title=lambda: _("A reply in your thread on “%(title)s”") % {"title": deliverable.title},
        body=Truncator(reply.body).chars(300),
        url=f"{_draft_url(reply.version)}#comment-{parent.pk}",
        recipients=[a for a in authors if a],
        actor=actor,
    )


def disposition_notify(*, comment, author_ids, actor) -> None:
    """Staff's disposition and response reach the comment's author (every copy's, for a campaign)."""
    deliverable = comment.version.deliverable
    notifications.event_raise(
        key=f"consultations.comment_disposition:{comment.pk}:{comment.disposed_at.isoformat()}",
        kind=NotificationKind.COMMENT_DISPOSITION,
        title=lambda: (
            _("Your comment on “%(title)s”: %(disposition)s")
            % {"title": deliverable.title, "disposition": comment.get_disposition_display()}
        ),
        body=Truncator(comment.response).chars(300),
        url=f"{_draft_url(comment.version)}#comment-{comment.pk}",
        recipients=[a for a in author_ids if a],
        actor=actor,
    )


def vote_opened_notify(*, approval, committee_ids, covered_by: str) -> None:
    notifications.event_raise(
        key=f"consultations.vote_opened:{approval.pk}",
        kind=NotificationKind.VOTE_OPENED,
        title=lambda: _("Vote open: “%(title)s”") % {"title": approval.deliverable.title},
        url=reverse("consultations:approval-detail", args=[approval.pk]),
        recipients=committee_ids,
        covered_by=covered_by,
    )


def decision_notify(*, approval, covered_by: str) -> None:
    notifications.event_raise(
        key=f"consultations.decision:{approval.pk}",
        kind=NotificationKind.DECISION,
        title=lambda: (
            _("Decision on “%(title)s”: %(decision)s")
            % {"title": approval.deliverable.title, "decision": approval.get_decision_display()}
        ),
        url=reverse("consultations:decision-detail", args=[approval.pk]),
        targets=deliverable_targets(approval.deliverable),
        covered_by=covered_by,
    )


def publication_notify(*, publication, actor) -> None:
    notifications.event_raise(
        key=f"consultations.publication:{publication.pk}",
        kind=NotificationKind.PUBLICATION,
        title=lambda: _("Published: “%(title)s”") % {"title": publication.title},
        url=reverse("consultations:publication-detail", args=[publication.pk]),
        targets=deliverable_targets(publication.deliverable),
        actor=actor,
    )
