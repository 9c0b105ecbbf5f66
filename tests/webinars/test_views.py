"""Pages: public lists and sign-up, the registrant's own link, staff pages, CSV and permissions."""

import csv
import datetime
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core import signing
from django.test import override_settings
from django.utils import timezone

from webinars import services
from webinars.models import Registration, Webinar

from .factories import RegistrationFactory, WebinarFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Ana Díaz",
    "email": "ana@example.org",
    "organization": "Bayview Electric",
    "stakeholder_type": "iou",
    "consent": "on",
}


def test_list_shows_remaining_seats_waitlist_only_and_past_recordings(client, django_assert_max_num_queries):
    open_one = WebinarFactory(title="Open briefing", capacity=3)
    RegistrationFactory(webinar=open_one)
    full = WebinarFactory(title="Full briefing", capacity=1)
    RegistrationFactory(webinar=full)
    start = timezone.now() - datetime.timedelta(days=3)
    WebinarFactory(
        title="Old briefing",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        recording_url="https://video.example.org/old",
    )
    for _ in range(10):
        RegistrationFactory(webinar=WebinarFactory(capacity=2))
    with django_assert_max_num_queries(8):
        page = client.get("/webinars/").content.decode()
    assert "<strong>2</strong> of 3 seats remaining" in page
    assert page.count("Waitlist only") == 1
    assert "https://video.example.org/old" in page
    assert open_one.join_url not in page


def test_detail_never_shows_the_join_link_or_registrants(client):
    webinar = WebinarFactory()
    RegistrationFactory(webinar=webinar, name="Secret Person", email="secret@example.org")
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert webinar.title in page and "Sign up" in page
    assert webinar.join_url not in page
    assert "Secret Person" not in page and "secret@example.org" not in page


def test_plain_post_signup_then_duplicate(client):
    webinar = WebinarFactory(capacity=1)
    response = client.post(f"/webinars/{webinar.slug}/register/", FORM)
    assert response.status_code == 201
    assert "A seat is held for you" in response.content.decode()
    response = client.post(f"/webinars/{webinar.slug}/register/", {**FORM, "email": "ANA@example.org"})
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    response = client.post(f"/webinars/{webinar.slug}/register/", {**FORM, "email": "bo@example.org"})
    assert "You are on the waitlist" in response.content.decode()
    assert Registration.objects.filter(webinar=webinar).count() == 2


def test_htmx_signup_returns_the_fragment_and_invalid_form_is_422(client):
    webinar = WebinarFactory()
    response = client.post(f"/webinars/{webinar.slug}/register/", FORM, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 201 and "<html" not in body and 'id="signup"' in body
    assert "HX-Request" in response["Vary"]
    response = client.post(f"/webinars/{webinar.slug}/register/", {**FORM, "consent": ""})
    assert response.status_code == 422
    assert "usa-error-message" in response.content.decode()
    # htmx 2 swaps only 2xx: the same refusal as a fragment, 200
    response = client.post(
        f"/webinars/{webinar.slug}/register/",
        {**FORM, "email": "x@example.org", "consent": ""},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "usa-error-message" in body


def test_signup_after_deadline_is_refused_with_a_message(client):
    webinar = WebinarFactory(registration_closes_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.post(f"/webinars/{webinar.slug}/register/", FORM)
    assert response.status_code == 409
    assert "Registration for this webinar has closed." in response.content.decode()


@override_settings(WEBINAR_SIGNUP_RATE="2/m")
@time_machine.travel(datetime.datetime(2031, 1, 1, 12, 0, 10, tzinfo=datetime.UTC), tick=False)
def test_signup_is_rate_limited_per_ip_with_a_clear_429(client):
    # (time frozen mid-minute: the fixed window must not roll over during the test)
    webinar = WebinarFactory(capacity=10)
    for i in range(2):
        assert (
            client.post(
                f"/webinars/{webinar.slug}/register/", {**FORM, "email": f"x{i}@example.org"}
            ).status_code
            == 201
        )
    response = client.post(f"/webinars/{webinar.slug}/register/", {**FORM, "email": "x9@example.org"})
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    htmx = client.post(
        f"/webinars/{webinar.slug}/register/",
        {**FORM, "email": "x8@example.org"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 200 and "Too many sign-ups" in htmx.content.decode()
    assert "<html" not in htmx.content.decode()
    assert Registration.objects.count() == 2
    other = client.post(
        f"/webinars/{webinar.slug}/register/", {**FORM, "email": "y@example.org"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 201


def test_manage_page_confirms_by_post_and_then_shows_the_join_link(client):
    reg = RegistrationFactory(email_confirmed_at=None)
    url = f"/webinars/registration/{services.registration_token(reg)}/"
    page = client.get(url).content.decode()
    assert "Confirm my registration" in page and reg.webinar.join_url not in page
    reg.refresh_from_db()
    assert reg.email_confirmed_at is None  # a GET (a mail scanner) confirms nothing
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert reg.webinar.join_url in response.content.decode()
    reg.refresh_from_db()
    assert reg.email_confirmed_at is not None


def test_waitlisted_registrant_confirming_is_not_told_they_have_a_seat(client):
    webinar = WebinarFactory(capacity=1)
    RegistrationFactory(webinar=webinar)
    waiting = RegistrationFactory(webinar=webinar, status="waitlisted", email_confirmed_at=None)
    url = f"/webinars/registration/{services.registration_token(waiting)}/"
    page = client.post(url, {"action": "confirm"}, follow=True).content.decode()
    assert "your email address is confirmed" in page and "place on the waitlist" in page
    assert "your registration is confirmed" not in page
    assert "number 1 on the waitlist" in page and webinar.join_url not in page


def test_waitlisted_registrant_sees_their_place_but_no_join_link(client):
    webinar = WebinarFactory(capacity=1)
    RegistrationFactory(webinar=webinar)
    first = RegistrationFactory(webinar=webinar, status="waitlisted")
    second = RegistrationFactory(webinar=webinar, status="waitlisted")
    page = client.get(f"/webinars/registration/{services.registration_token(second)}/").content.decode()
    assert "number 2 on the waitlist" in page
    assert webinar.join_url not in page
    assert (
        "number 1"
        in client.get(f"/webinars/registration/{services.registration_token(first)}/").content.decode()
    )


def test_cancel_link_cancels_that_registration_only(client):
    webinar = WebinarFactory(capacity=5)
    mine = RegistrationFactory(webinar=webinar)
    theirs = RegistrationFactory(webinar=webinar)
    url = f"/webinars/registration/{services.registration_token(mine)}/cancel/"
    assert client.get(url).status_code == 200
    mine.refresh_from_db()
    assert mine.status == "confirmed"  # GET only asks
    client.post(url)
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "cancelled" and theirs.status == "confirmed"


def test_forged_or_stale_links_are_404(client):
    reg = RegistrationFactory()
    token = services.registration_token(reg)
    other = RegistrationFactory(webinar=reg.webinar)
    # someone else's id with this link's signature
    payload = signing.b64_encode(
        json.dumps([other.pk, reg.link_nonce], separators=(",", ":")).encode()
    ).decode()
    forged = payload + ":" + token.rsplit(":", 1)[1]
    assert client.post(f"/webinars/registration/{forged}/cancel/").status_code == 404
    assert client.get("/webinars/registration/not-a-token/").status_code == 404
    Registration.objects.filter(pk=reg.pk).update(link_nonce="rotated")
    assert client.get(f"/webinars/registration/{token}/").status_code == 404
    other.refresh_from_db()
    assert other.status == "confirmed"


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 302),
        ("public_user", 403),
        ("participant", 403),
        ("committee_member", 403),
        ("staff", 200),
    ],
)
@pytest.mark.parametrize("path", ["registrants/", "registrants.csv", "edit/", "cancel/"])
def test_staff_pages_permission_matrix(client, roles, role, expected, path):
    webinar = WebinarFactory()
    if role != "anonymous":
        client.force_login(roles[role])
    assert client.get(f"/webinars/{webinar.slug}/{path}").status_code == expected


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", 302),
        ("public_user", 403),
        ("participant", 403),
        ("committee_member", 403),
        ("staff", 200),
    ],
)
def test_create_page_permission(client, roles, role, expected):
    if role != "anonymous":
        client.force_login(roles[role])
    assert client.get("/webinars/new/").status_code == expected


def test_registrant_list_counts_by_type_and_organization(client, staff, django_assert_max_num_queries):
    webinar = WebinarFactory(capacity=3)
    RegistrationFactory(webinar=webinar, organization="Bayview Electric", stakeholder_type="iou")
    RegistrationFactory(webinar=webinar, organization="bayview electric", stakeholder_type="iou")
    RegistrationFactory(webinar=webinar, organization="Fair Power", stakeholder_type="consumer_advocate")
    RegistrationFactory(
        webinar=webinar, organization="Fair Power", stakeholder_type="consumer_advocate", status="waitlisted"
    )
    RegistrationFactory(webinar=webinar, organization="Gone Inc", status="cancelled")
    client.force_login(staff)
    client.get(f"/webinars/{webinar.slug}/registrants/")  # warm the role cache of the session
    with django_assert_max_num_queries(14):
        response = client.get(f"/webinars/{webinar.slug}/registrants/")
    page = response.content.decode()
    assert "<strong>3</strong> of 3 seats confirmed" in page
    assert '<th scope="row">Investor-owned distribution utility</th><td class="text-right">2</td>' in page
    assert (
        '<th scope="row">Consumer or underserved-community advocate</th><td class="text-right">2</td>' in page
    )
    assert '<td class="text-right">2</td>' in page.split("By organization")[1]
    assert "Gone Inc" not in page.split("By organization")[1].split("</table>")[0]


def test_registrant_list_query_count_does_not_grow(client, staff, django_assert_max_num_queries):
    webinar = WebinarFactory(capacity=100)
    for _ in range(60):
        RegistrationFactory(webinar=webinar)
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        assert client.get(f"/webinars/{webinar.slug}/registrants/").status_code == 200


def test_csv_export_contents(client, staff):
    webinar = WebinarFactory(capacity=1)
    RegistrationFactory(
        webinar=webinar,
        name="Ana Díaz",
        email="ana@example.org",
        organization="Bayview",
        stakeholder_type="iou",
        attended=True,
    )
    RegistrationFactory(
        webinar=webinar,
        name='=HYPERLINK("x")',
        email="bo@example.org",
        organization="",
        stakeholder_type="national_lab",
        status="waitlisted",
        email_confirmed_at=None,
    )
    client.force_login(staff)
    response = client.get(f"/webinars/{webinar.slug}/registrants.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"{webinar.slug}-registrants.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0] == [
        "name",
        "email",
        "organization",
        "stakeholder_type",
        "status",
        "registered_at",
        "email_confirmed",
        "attended",
    ]
    assert rows[1][:5] == [
        "Ana Díaz",
        "ana@example.org",
        "Bayview",
        "Investor-owned distribution utility",
        "confirmed",
    ]
    assert rows[1][6:] == ["yes", "yes"]
    assert rows[2][0] == '\'=HYPERLINK("x")'  # no formula injection into spreadsheets
    assert rows[2][3:5] == ["National lab or research organization", "waitlisted"]
    assert rows[2][6:] == ["no", ""]
    assert len(rows) == 3


def test_staff_mark_attendance_on_the_page(client, staff):
    start = timezone.now() - datetime.timedelta(hours=2)
    webinar = WebinarFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1), capacity=2)
    a = RegistrationFactory(webinar=webinar)
    b = RegistrationFactory(webinar=webinar)
    client.force_login(staff)
    client.post(f"/webinars/{webinar.slug}/registrants/", {"present": [a.pk], "shown": [a.pk, b.pk]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.attended, b.attended) == (True, False)
    page = client.get(f"/webinars/{webinar.slug}/registrants/").content.decode()
    assert "<strong>1</strong> attended" in page


def test_staff_create_reads_the_start_in_the_webinars_time_zone(client, staff):
    client.force_login(staff)
    response = client.post(
        "/webinars/new/",
        {
            "title": "Workstream B draft final report",
            "description": "Walkthrough",
            "starts_at": "2031-03-11T14:00",
            "time_zone": "America/Chicago",
            "duration_minutes": "90",
            "capacity": "50",
            "join_url": "https://meet.example.org/b",
            "registration_closes_at": "",
            "recording_url": "",
        },
    )
    assert response.status_code == 302
    webinar = Webinar.objects.get()
    assert webinar.starts_at == datetime.datetime(
        2031, 3, 11, 14, 0, tzinfo=zoneinfo.ZoneInfo("America/Chicago")
    )
    assert webinar.ends_at - webinar.starts_at == datetime.timedelta(minutes=90)
    assert webinar.slug == "workstream-b-draft-final-report"
    page = client.get(f"/webinars/{webinar.slug}/edit/").content.decode()
    assert 'value="2031-03-11T14:00"' in page


def test_staff_cancel_page_cancels(client, staff):
    webinar = WebinarFactory()
    client.force_login(staff)
    client.post(f"/webinars/{webinar.slug}/cancel/", {"reason": "Postponed"})
    webinar.refresh_from_db()
    assert webinar.status == "cancelled" and webinar.cancellation_reason == "Postponed"
    assert "This webinar was cancelled" in client.get(webinar.get_absolute_url()).content.decode()


def test_full_webinar_offers_the_waitlist_and_past_one_the_recording(client, django_assert_max_num_queries):
    full = WebinarFactory(capacity=1)
    RegistrationFactory(webinar=full)
    with django_assert_max_num_queries(6):
        page = client.get(full.get_absolute_url()).content.decode()
    assert "Waitlist only" in page and "Join the waitlist" in page
    start = timezone.now() - datetime.timedelta(days=2)
    past = WebinarFactory(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        recording_url="https://video.example.org/r",
    )
    page = client.get(past.get_absolute_url()).content.decode()
    assert "https://video.example.org/r" in page and "<form" not in page.split('id="main-content"')[1]


def test_staff_tie_a_webinar_to_a_public_consultation_and_the_page_links_it(client, staff):
    from tests.consultations.factories import ReviewFactory

    consultation = ReviewFactory()
    member_review = ReviewFactory(kind="member_review")
    client.force_login(staff)
    form = {
        "title": "Consultation briefing",
        "description": "",
        "starts_at": "2031-03-11T14:00",
        "time_zone": "America/New_York",
        "duration_minutes": "60",
        "capacity": "50",
        "join_url": "https://meet.example.org/c",
        "registration_closes_at": "",
        "recording_url": "",
    }
    refused = client.post("/webinars/new/", {**form, "consultation": member_review.pk})
    assert refused.status_code == 422  # only public consultations are offered
    assert client.post("/webinars/new/", {**form, "consultation": consultation.pk}).status_code == 302
    webinar = Webinar.objects.get()
    assert webinar.consultation == consultation
    page = client.get(webinar.get_absolute_url()).content.decode()
    version = consultation.version
    assert f'href="/drafts/{version.deliverable_id}/v{version.number}/"' in page
    assert version.title in page


def test_xlsx_export_has_the_same_rows_as_the_csv_with_formulas_neutralised(client, staff):
    from tests.sheets import assert_same_rows, xlsx_sheet

    webinar = WebinarFactory(capacity=5)
    RegistrationFactory(webinar=webinar, name="Ana Díaz", attended=True)
    RegistrationFactory(webinar=webinar, name='=HYPERLINK("x")', email_confirmed_at=None)
    client.force_login(staff)
    xlsx = client.get(f"/webinars/{webinar.slug}/registrants.xlsx")
    assert f"{webinar.slug}-registrants.xlsx" in xlsx["Content-Disposition"]
    assert_same_rows(client.get(f"/webinars/{webinar.slug}/registrants.csv"), xlsx)
    sheet = xlsx_sheet(xlsx)
    names = {sheet.cell(row=r, column=1).value: r for r in (2, 3)}
    assert '\'=HYPERLINK("x")' in names and sheet.cell(row=2, column=6).is_date
    page = client.get(f"/webinars/{webinar.slug}/registrants/").content.decode()
    assert "registrants.xlsx" in page
    client.logout()
    assert client.get(f"/webinars/{webinar.slug}/registrants.xlsx").status_code == 302
