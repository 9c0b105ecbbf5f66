"""A registrant who signed up in Spanish gets every email, and the calendar invite, in Spanish — whatever
language the task or the staff member who triggers it runs in; one who signed up in English, in English.
The same for the mailing list."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from webinars import services
from webinars.models import Registration

from .factories import WebinarFactory

pytestmark = pytest.mark.django_db


def _ics(message) -> str:
    parts = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0].get_content()


def _webinar():
    start = datetime.datetime(2027, 3, 4, 14, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    return WebinarFactory(
        title="Interconnection queue briefing",
        description="A walk through the draft.",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        duration_minutes=90,
        capacity=5,
    )


def test_a_spanish_registrant_gets_the_confirmation_and_the_invite_in_spanish(
    client, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = _webinar()
    webinar.title_es = "Sesión sobre la cola de interconexión"
    webinar.description_es = "Un recorrido por el borrador."
    webinar.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("webinars:webinar-register", args=[webinar.slug]),
            {
                "name": "Ana Díaz",
                "email": "ana@example.org",
                "organization": "",
                "stakeholder_type": "consumer_advocate",
                "consent": "on",
            },
        )
    assert response.status_code == 201
    assert "Revise su correo electrónico" in response.content.decode()
    registration = Registration.objects.get(email="ana@example.org")
    assert registration.language == "es"

    confirmation = mailoutbox[-1]
    assert confirmation.subject == "Confirme su inscripción: Sesión sobre la cola de interconexión"
    assert "Hola, Ana Díaz:" in confirmation.body
    assert "Tiene una plaza reservada." in confirmation.body
    assert "jueves, 4 de marzo de 2027, 14:00" in confirmation.body
    assert "90 minutos" in confirmation.body
    assert "Cancelar mi inscripción" in confirmation.body
    html = confirmation.alternatives[0][0]
    assert '<html lang="es">' in html and "Confirmar mi inscripción" in html
    for english in ("Hello", "A seat is held", "Cancel my registration", "minutes"):
        assert english not in confirmation.body

    # confirming the address (in a task, in English) sends the invite in the registrant's language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm_email(registration=registration)
    invite = mailoutbox[-1]
    assert invite.subject == "Está inscrito: Sesión sobre la cola de interconexión"
    assert "Su inscripción está confirmada. Se adjunta la invitación de calendario." in invite.body
    assert "Unirse al seminario web: https://meet.example.org/der-webinar" in invite.body
    event = next(iter(Calendar.from_ical(_ics(invite)).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "Sesión sobre la cola de interconexión"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Un recorrido por el borrador.")
    assert "Unirse: https://meet.example.org/der-webinar" in description
    assert event["ORGANIZER"].params["CN"] == "Iniciativa de Integración de DER"


def test_without_a_spanish_description_the_invite_falls_back_to_english(
    signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = _webinar()
    with django_capture_on_commit_callbacks(execute=True):
        registration = signup(webinar, "luis@example.org", language="es").registration
        services.registration_confirm_email(registration=registration)
    invite = mailoutbox[-1]
    assert invite.subject == "Está inscrito: Interconnection queue briefing"
    event = next(iter(Calendar.from_ical(_ics(invite)).walk("VEVENT")))
    assert str(event["DESCRIPTION"]).startswith("A walk through the draft.\n\nUnirse: ")


def test_an_english_registrant_stays_in_english_even_from_a_spanish_request(
    client, eager_tasks, mailoutbox, django_capture_on_commit_callbacks, signup
):
    webinar = _webinar()
    with django_capture_on_commit_callbacks(execute=True):
        registration = signup(webinar, "sam@example.org").registration  # language defaults to English
    assert registration.language == "en"
    client.get("/", headers={"accept-language": "es"})  # leaves Spanish active in this thread
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm_email(registration=registration)
    invite = mailoutbox[-1]
    assert invite.subject == "You are registered: Interconnection queue briefing"
    event = next(iter(Calendar.from_ical(_ics(invite)).walk("VEVENT")))
    assert "Join: https://meet.example.org/der-webinar" in str(event["DESCRIPTION"])


def test_a_move_tells_each_registrant_in_their_own_language(
    staff, signup, eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    webinar = _webinar()
    with django_capture_on_commit_callbacks(execute=True):
        for email, language in (("ana@example.org", "es"), ("sam@example.org", "en")):
            services.registration_confirm_email(
                registration=signup(webinar, email, language=language).registration
            )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.webinar_update(
            actor=staff, webinar=webinar, starts_at=webinar.starts_at + datetime.timedelta(hours=1)
        )
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {
        "ana@example.org": "Nuevo horario: Interconnection queue briefing",
        "sam@example.org": "New time: Interconnection queue briefing",
    }


def test_the_mailing_list_confirmation_is_in_the_language_of_the_sign_up(client, mailoutbox):
    client.post(
        reverse("consultations:list-subscribe"),
        {"email": "maria@example.org"},
        headers={"accept-language": "es"},
    )
    assert mailoutbox[-1].subject == "Confirme su suscripción a los avisos de consultas públicas"
    assert "Confirmar la suscripción" in mailoutbox[-1].body
    from consultations.models import Subscriber

    assert Subscriber.objects.get(email="maria@example.org").language == "es"
