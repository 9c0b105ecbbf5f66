"""Emails to the public and participants go out in the recipient's language (their account's), whatever
language the task runs in; an English account, or an address without one, gets English."""

import pytest
from django.core import mail

from consultations.models import Follow
from consultations.tasks import workflow as tasks
from initiative import notifications, outbox
from initiative.models import EmailMode, NotificationKind, NotificationPreference
from tests.consultations.factories_workflow import committee, deliverable_at, staff_user
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _send_all() -> None:
    while outbox.deliver(None).sent:
        pass


def test_a_spanish_follower_gets_the_decision_in_spanish_and_an_english_one_in_english():
    members = committee(3)
    deliverable = deliverable_at("approved", members=members, staff=staff_user())
    spanish = UserFactory(verified=True, language="es")
    english = UserFactory(verified=True)
    for user in (spanish, english):
        Follow.objects.create(user=user, deliverable=deliverable)
    tasks.send_decision.run(deliverable.approvals.get().pk)

    to_spanish = next(m for m in mail.outbox if m.to == [spanish.email])
    assert to_spanish.subject.startswith("Decisión del comité directivo:")
    assert "El comité directivo ha decidido sobre" in to_spanish.body
    assert "Darse de baja:" in to_spanish.body and "Votos:" in to_spanish.body
    html = to_spanish.alternatives[0][0]
    assert '<html lang="es">' in html and "Lea el acta de la decisión" in html
    assert "The steering committee has decided" not in to_spanish.body

    to_english = next(m for m in mail.outbox if m.to == [english.email])
    assert to_english.subject.startswith("Steering committee decision:")
    assert "The steering committee has decided on" in to_english.body
    assert '<html lang="en">' in to_english.alternatives[0][0]
    # the committee (accounts left on English) reads it in English
    assert all(
        "Steering committee decision" in m.subject
        for m in mail.outbox
        if m.to[0] in {u.email for u in members}
    )


def test_a_spanish_reader_gets_the_daily_digest_and_an_immediate_notification_in_spanish(eager_tasks):
    spanish, english = UserFactory(language="es"), UserFactory()
    for user in (spanish, english):
        for kind in NotificationKind.values:
            NotificationPreference.objects.create(user=user, kind=kind, email=EmailMode.DIGEST)
    for i in range(2):
        event = notifications.event_raise(
            key=f"lang:{i}",
            kind=NotificationKind.DECISION,
            title=f"Decision {i}",
            url="/consultations/",
            recipients=[spanish.pk, english.pk],
        )
        notifications.fan_out(event_id=event.pk)
    assert notifications.digest_send() == 2
    _send_all()

    es = next(m for m in mail.outbox if m.to == [spanish.email])
    assert "Su resumen diario: 2 novedades" in es.subject
    assert "Lo que ha pasado desde su último resumen:" in es.body and "Decision 1" in es.body
    assert "Todas sus notificaciones:" in es.body and "What happened" not in es.body
    assert "Dejar de recibir todos estos correos" in es.alternatives[0][0]
    en = next(m for m in mail.outbox if m.to == [english.email])
    assert "Your daily digest: 2 updates" in en.subject and "What happened since your last digest" in en.body

    mail.outbox.clear()
    NotificationPreference.objects.filter(user=spanish).update(email=EmailMode.IMMEDIATE)
    event = notifications.event_raise(
        key="lang:now", kind=NotificationKind.DECISION, title="Now", url="/", recipients=[spanish.pk]
    )
    notifications.fan_out(event_id=event.pk)
    _send_all()
    (message,) = mail.outbox
    assert "Elija qué llega a su bandeja de entrada:" in message.body and "Ábralo:" in message.body


def test_a_notification_reads_in_each_recipients_language_on_the_site_and_by_email(
    client, eager_tasks, django_capture_on_commit_callbacks
):
    """The services write a notification's title in every language; each reader sees theirs under the
    bell and in the email, whatever language the person who caused it used."""
    from django.utils import translation

    from consultations.services import comments as comment_services
    from tests.consultations.factories import ReviewFactory

    review = ReviewFactory()
    spanish, english = UserFactory(verified=True, language="es"), UserFactory(verified=True)
    for user in (spanish, english):
        NotificationPreference.objects.create(
            user=user, kind=NotificationKind.COMMENT_REPLY, email=EmailMode.IMMEDIATE
        )
    parent = comment_services.comment_create(actor=spanish, review=review, body="¿Y las cooperativas?")
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.comment_reply(actor=english, parent=parent, body="Good point.")
    with django_capture_on_commit_callbacks(execute=True), translation.override("es"):
        # the replier's page was Spanish: the titles are written in each language all the same
        comment_services.comment_reply(actor=spanish, parent=parent, body="Gracias.")
    title = review.version.deliverable.title
    _send_all()
    to_spanish = next(m for m in mail.outbox if m.to == [spanish.email])
    assert to_spanish.subject == f"Una respuesta en su hilo sobre «{title}»"
    to_english = next(m for m in mail.outbox if m.to == [english.email])
    assert to_english.subject == f"A reply in your thread on “{title}”"

    client.force_login(spanish)
    page = client.get("/notifications/", headers={"Accept-Language": "es"}).content.decode()
    assert f"Una respuesta en su hilo sobre «{title}»" in page and "A reply in your thread" not in page
