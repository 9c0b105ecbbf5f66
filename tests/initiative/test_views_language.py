"""The public site in Spanish: chosen by the browser's Accept-Language on a first visit, or with the
header's switcher (a cookie, and the account's preference); English stays the default. Staff-written text
shows its Spanish version when there is one, and the English original with a note when there is not."""

import pytest
from django.conf import settings
from django.urls import reverse

from consultations.models import Review
from tests.consultations.factories import ReviewFactory
from tests.factories import UserFactory, WorkstreamFactory
from tests.webinars.factories import RegistrationFactory, WebinarFactory
from webinars import services as webinar_services
from workstreams.models import Track, Workstream

pytestmark = pytest.mark.django_db

NOTE_ES = "Este contenido no está disponible en español todavía"

# Key messages of the frame every public page shares: each must be in Spanish, none left in English.
FRAME = {
    "Ir al contenido principal": "Skip to main content",
    "Consultas": "<span>Consultations</span>",
    "Biblioteca": "<span>Library</span>",
    "Seminarios web": "<span>Webinars</span>",
    "Buscar en la iniciativa": "Search the initiative",
    "Cambiar idioma": "Change language",
    "Basado en": "Based on",
}


def _public_pages(client):
    """(url, Spanish messages that must be there, English messages that must not) for every public page."""
    track = Track.objects.order_by("number").first()
    workstream = Workstream.objects.order_by("code").first()
    review = ReviewFactory(kind=Review.Kind.PUBLIC_CONSULTATION)
    version = review.version
    webinar = WebinarFactory(title="Interconnection briefing")
    registration = RegistrationFactory(webinar=webinar, email="ana@example.org")
    token = webinar_services.registration_token(registration)
    return [
        ("/", ["Objetivos", "Tres líneas de trabajo", "Cronograma"], ["Three tracks", ">Timeline<"]),
        (track.get_absolute_url(), ["Objetivo", "Inicio"], [">Objective<", "No workstreams yet."]),
        (
            workstream.get_absolute_url(),
            ["El desafío", "Preguntas ilustrativas", "Entregables previstos", "Quién participa"],
            ["The challenge", "Illustrative questions", "Planned deliverables", "Who takes part"],
        ),
        (reverse("consultations:consultation-list"), ["Consultas públicas"], ["Public consultations"]),
        (
            reverse("consultations:draft-detail", args=[version.deliverable_id, version.number]),
            ["Este borrador está abierto a consulta pública", "Comentarios sobre el borrador en su conjunto"],
            ["This draft is open for public consultation", "Comments on the draft as a whole"],
        ),
        (
            reverse("consultations:library"),
            ["Biblioteca de productos de trabajo publicados"],
            ["Library of published work products"],
        ),
        (
            reverse("consultations:decision-list"),
            ["Decisiones del comité directivo"],
            ["Steering committee decisions"],
        ),
        (
            reverse("webinars:webinar-list"),
            ["Seminarios web públicos", "Próximos", "Seminarios web anteriores"],
            ["Public webinars", "Past webinars"],
        ),
        (
            webinar.get_absolute_url(),
            ["Inscribirse", "Sus datos solo los ve el equipo de implementación", "minutos"],
            ["Your details are seen only", "minutes)"],
        ),
        (
            reverse("webinars:registration-manage", kwargs={"token": token}),
            ["Su inscripción", "Tiene una plaza.", "Cancelar mi inscripción"],
            ["You have a seat.", "Cancel my registration"],
        ),
        (reverse("workstreams:glossary"), ["Glosario"], ["Search terms and definitions"]),
        (reverse("initiative:governance"), ["Gobernanza", "Organizaciones participantes"], ["Participating"]),
        (reverse("discovery:search") + "?q=grid", ["Resultados", "Búsqueda y filtros"], [">Results<"]),
        (reverse("discovery:activity"), ["Novedades de la iniciativa"], ["new in the initiative"]),
        (reverse("account_login"), ["Iniciar sesión"], []),
        (reverse("account_signup"), ["Nombre completo", "Tipo de parte interesada"], ["Full name"]),
        ("/no-such-page/", ["Página no encontrada", "Adónde ir ahora"], ["Page not found"]),
    ]


def _assert_spanish(response, must, must_not):
    page = response.content.decode()
    assert '<html lang="es">' in page
    for spanish in [*FRAME, *must]:
        assert spanish in page, spanish
    for english in [*FRAME.values(), *must_not]:
        assert english not in page, english


def test_every_public_page_renders_in_spanish_for_a_browser_that_asks_for_it(client, loaded_initiative):
    for url, must, must_not in _public_pages(client):
        response = client.get(url, headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})
        assert response.status_code in (200, 404), url
        _assert_spanish(response, must, must_not)


def test_every_public_page_renders_in_spanish_with_the_switcher_cookie(client, loaded_initiative):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    for url, must, must_not in _public_pages(client):
        response = client.get(url, headers={"accept-language": "en-US,en;q=0.9"})
        assert response.status_code in (200, 404), url
        _assert_spanish(response, must, must_not)


def test_english_stays_the_default_without_a_choice(client, loaded_initiative):
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Three tracks" in page and "Tres líneas de trabajo" not in page
    assert NOTE_ES not in page


def test_the_switcher_is_a_labelled_form_that_works_without_javascript(client, loaded_initiative):
    page = client.get("/").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    label = '<label class="usa-label language-switcher__label" for="language-switcher">Language</label>'
    assert label in page
    assert '<option value="es" lang="es">Español</option>' in page

    response = client.post(reverse("set_language"), {"language": "es", "next": "/webinars/"})
    assert response.status_code == 302 and response["Location"] == "/webinars/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # the cookie is remembered: the next visit, whatever the browser asks for, is in Spanish
    page = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "Tres líneas de trabajo" in page
    assert '<option value="es" lang="es" selected>Español</option>' in page

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Three tracks" in client.get("/", headers={"accept-language": "es"}).content.decode()


def test_the_switcher_saves_the_account_language_used_for_emails(client):
    user = UserFactory(verified=True)
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not offered: ignored
    user.refresh_from_db()
    assert user.language == "es"


def test_sign_up_in_spanish_makes_a_spanish_account(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.post(
        reverse("account_signup"),
        {
            "email": "lucia@example.org",
            "password1": "una-clave-larga-y-segura-42",
            "password2": "una-clave-larga-y-segura-42",
            "full_name": "Lucía Pérez",
            "stakeholder_type": "consumer_advocate",
        },
    )
    assert response.status_code == 302
    from initiative.models import User

    assert User.objects.get(email="lucia@example.org").language == "es"


def test_staff_written_text_shows_in_spanish_when_entered_and_in_english_with_a_note_when_not(client):
    workstream = WorkstreamFactory(challenge="Utilities plan the grid in different ways.")
    spanish = {"headers": {"accept-language": "es"}}

    page = client.get(workstream.get_absolute_url(), **spanish).content.decode()
    assert "Utilities plan the grid in different ways." in page  # English fallback
    assert NOTE_ES in page

    workstream.challenge_es = "Las distribuidoras planifican la red de maneras distintas."
    workstream.save()
    page = client.get(workstream.get_absolute_url(), **spanish).content.decode()
    assert "Las distribuidoras planifican la red de maneras distintas." in page
    assert "Utilities plan the grid" not in page
    assert NOTE_ES not in page
    # English readers still get the English text
    assert "Utilities plan the grid" in client.get(workstream.get_absolute_url()).content.decode()


def test_a_webinar_description_in_spanish_or_the_english_one_with_a_note(client):
    webinar = WebinarFactory(description="A walk through the draft.")
    spanish = {"headers": {"accept-language": "es"}}
    page = client.get(webinar.get_absolute_url(), **spanish).content.decode()
    assert "A walk through the draft." in page and NOTE_ES in page

    webinar.title_es = "Sesión informativa"
    webinar.description_es = "Un recorrido por el borrador."
    webinar.save()
    page = client.get(webinar.get_absolute_url(), **spanish).content.decode()
    assert "Sesión informativa" in page and "Un recorrido por el borrador." in page
    assert NOTE_ES not in page


def test_a_draft_paragraph_in_spanish_keeps_its_comments(client):
    review = ReviewFactory(kind=Review.Kind.PUBLIC_CONSULTATION)
    version = review.version
    paragraph = version.paragraphs.order_by("order").first()
    paragraph.text_es = "Primer párrafo."
    paragraph.save()
    url = reverse("consultations:draft-detail", args=[version.deliverable_id, version.number])
    page = client.get(url, headers={"accept-language": "es"}).content.decode()
    assert "Primer párrafo." in page
    assert f'id="para-{paragraph.key}"' in page
    assert "Primer párrafo." not in client.get(url).content.decode()


def test_dates_and_numbers_follow_the_language(client):
    import datetime
    import zoneinfo

    starts = datetime.datetime(2027, 3, 4, 14, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    webinar = WebinarFactory(starts_at=starts, capacity=1500, duration_minutes=90)
    english = client.get(webinar.get_absolute_url()).content.decode()
    assert "Thursday, March 4, 2027, 2:00 PM" in english
    spanish = client.get(webinar.get_absolute_url(), headers={"accept-language": "es"}).content.decode()
    assert "jueves, 4 de marzo de 2027, 14:00" in spanish
    assert "90 minutos" in spanish


def test_notifications_settings_glossary_proposal_and_activity_feed_in_spanish(
    client, loaded_initiative, participant
):
    client.force_login(participant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    pages = [
        (
            reverse("initiative:notification-list"),
            ["Marcar todas como leídas", "Todavía no tiene notificaciones", "Mostrar solo las no leídas"],
            ["Mark all read", "No notifications yet"],
        ),
        (
            reverse("initiative:notification-preferences"),
            ["Preferencias de notificación", "Lo que sigue", "Guardar"],
            ["Notification settings", "What you follow"],
        ),
        (
            reverse("workstreams:glossary-propose"),
            ["Proponer un término", "Definición propuesta", "Proponer</button>"],
            ["Proposed definition", "Workstream A discusses it"],
        ),
    ]
    for url, must, must_not in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_spanish(response, must, must_not)

    issue_areas = client.get(reverse("workstreams:issue-area-list")).content.decode()
    assert "La agenda de la Línea 3" in issue_areas and "Próxima reevaluación" in issue_areas
    assert "The Track 3 agenda" not in issue_areas and "Open action items" not in issue_areas

    ReviewFactory(kind=Review.Kind.PUBLIC_CONSULTATION)  # a row of the activity feed
    feed = client.get(reverse("discovery:activity-feed")).content.decode()
    assert "Nuevas versiones, consultas, decisiones, publicaciones, sesiones y seminarios web." in feed
    assert "Consulta abierta:" in feed and "Consultation opened:" not in feed
    activity = client.get(reverse("discovery:activity")).content.decode()
    assert "Consulta abierta:" in activity and "A public consultation opened" not in activity


def test_a_track3_issue_area_reads_in_spanish(client):
    from tests.workstreams.factories import IssueAreaFactory
    from workstreams.services import dialogue

    area = IssueAreaFactory(name="Market Regulation")
    dialogue.area_sections_seed(area=area)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get(reverse("workstreams:issue-area-detail", args=[area.slug]))
    assert response.status_code == 200
    _assert_spanish(
        response,
        [
            "Visión a largo plazo",
            "Prioridades a corto plazo",
            "Reevaluación de la visión",
            "Sesiones y talleres",
        ],
        [
            "Longer-term vision",
            "Decisions and action items",
            "Nothing here yet",
            "Sign in</a> as a participant",
        ],
    )


def test_working_sessions_read_in_spanish(client):
    from tests.workstreams.factories import SessionFactory

    session = SessionFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    listing = client.get(reverse("workstreams:session-list", args=[session.workstream.slug]))
    assert listing.status_code == 200
    _assert_spanish(
        listing, ["Sesiones de trabajo de", "Cuándo (según lo programado)"], ["Working sessions of"]
    )
    detail = client.get(reverse("workstreams:session-detail", args=[session.pk]))
    assert detail.status_code == 200
    _assert_spanish(
        detail,
        ["Orden del día", "son para los participantes del grupo de trabajo"],
        ["<h2>Agenda</h2>", "are for the workstream's participants"],
    )


def test_the_track1_framework_overview_reads_in_spanish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = client.get(reverse("workstreams:framework"))
    assert response.status_code == 200
    _assert_spanish(
        response,
        ["Marco de la Línea 1: funciones, actores y modelos", "Modelos de operación", "Hoja de ruta"],
        ["Operating models", "Functions by category", "Models on the spectrum"],
    )
