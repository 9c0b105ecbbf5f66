"""Two-factor authentication as people use it: setting up an authenticator app, signing in with its code or
with a recovery code (audited), wrong codes locking the account out for a while, and staff resetting a
member's second factors (confirmed, audited, emailed)."""

import datetime

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse
from django.utils import timezone

from initiative.models import AuditEvent
from tests.factories import (
    BodyMembershipFactory,
    EnrollmentFactory,
    UserFactory,
    give_second_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def _sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _open_app_set_up(client):
    """The set-up first asks for the password again (allauth's reauthentication), then shows the key."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    return client.get(reverse("mfa_activate_totp"))


def test_the_account_page_links_to_the_two_factor_settings(client, public_user):
    client.force_login(public_user)
    page = client.get(reverse("initiative:account")).content.decode()
    assert f'href="{reverse("mfa_index")}"' in page
    assert "Set up two-factor authentication" in page
    settings_page = client.get("/accounts/2fa/")
    assert settings_page.status_code == 200
    assert "Set up an authenticator app" in settings_page.content.decode()


def test_the_two_factor_settings_ask_an_anonymous_visitor_to_sign_in(client):
    response = client.get("/accounts/2fa/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_participant_sets_up_an_authenticator_app_and_gets_recovery_codes(
    client, workstream, django_capture_on_commit_callbacks
):
    """Optional for them: from the account page, scan the key, type the code the app shows."""
    participant = EnrollmentFactory(workstream=workstream, user=UserFactory(verified=True)).user
    _sign_in(client, participant)
    page = _open_app_set_up(client)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'alt="QR code for your authenticator app' in html
    assert '<label class="usa-label" for="id_code">' in html
    secret = client.session["mfa.totp.secret"]
    assert secret in html  # the key is written out for people who can't scan

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert "Incorrect code" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=participant).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=participant).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert AuditEvent.objects.filter(
        action="user.second_factor_add", object_id=str(participant.pk), after={"type": "totp"}
    ).exists()
    account = client.get(reverse("initiative:account")).content.decode()
    assert "Manage two-factor authentication" in account


def test_staff_sign_in_without_a_factor_lands_on_the_set_up_and_then_reach_their_pages(client):
    staff = BodyMembershipFactory(implementation_team=True, second_factor=False).user
    response = _sign_in(client, staff)
    landing = client.get(response["Location"])  # the account page, which sends them on
    assert landing.status_code == 302 and landing["Location"] == reverse("mfa_index")
    _open_app_set_up(client)
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(client.session["mfa.totp.secret"])})
    assert client.get(reverse("workstreams:staff-dashboard")).status_code == 200


def test_sign_in_asks_for_the_app_code_after_the_password(client, staff):
    response = _sign_in(client, staff)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet: the password alone opens nothing.
    assert client.get(reverse("workstreams:staff-dashboard")).status_code == 302
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert '<label class="usa-label" for="id_code">' in page

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert "Incorrect code" in wrong.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("workstreams:staff-dashboard")).status_code == 200


def test_a_code_cannot_be_used_twice(client, staff):
    with time_machine.travel(timezone.now(), tick=False):
        _sign_in(client, staff)
        client.post(reverse("mfa_authenticate"), {"code": totp_code()})
        client.post(reverse("account_logout"))
        _sign_in(client, staff)
        replay = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert "Incorrect code" in replay.content.decode()


def test_sign_in_with_a_recovery_code_is_audited_and_spends_the_code(client, staff):
    codes = RecoveryCodes.activate(staff).get_unused_codes()
    _sign_in(client, staff)
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("workstreams:staff-dashboard")).status_code == 200
    event = AuditEvent.objects.get(action="user.recovery_code_used")
    assert event.actor == staff and event.object_id == str(staff.pk)
    assert event.after["unused_codes"] == len(codes) - 1

    client.post(reverse("account_logout"))
    _sign_in(client, staff)
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert "Incorrect code" in again.content.decode()
    assert AuditEvent.objects.filter(action="user.recovery_code_used").count() == 1


def test_sign_in_with_the_app_is_not_a_recovery_event(client, staff):
    _sign_in(client, staff)
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert not AuditEvent.objects.filter(action="user.recovery_code_used").exists()


def test_repeated_wrong_codes_lock_the_second_step_for_a_while(client, staff, private_cache):
    """Five wrong codes in five minutes: even the right code is refused until the window passes."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _sign_in(client, staff)
        for _ in range(5):
            assert (
                "Incorrect code"
                in client.post(reverse("mfa_authenticate"), {"code": "111111"}).content.decode()
            )
        locked = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
        assert "Too many failed login attempts" in locked.content.decode()
        assert client.get(reverse("workstreams:staff-dashboard")).status_code == 302
    later = start + datetime.timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(at=later)})
        assert response.status_code == 302
        assert client.get(reverse("workstreams:staff-dashboard")).status_code == 200


def test_the_admin_signs_in_through_the_two_step_log_in(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    admin = UserFactory(verified=True, is_staff=True, is_superuser=True, second_factor=True)
    response = client.post(reverse("admin:login"), {"username": admin.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302  # the admin's password form signs no one in


# Reset by staff ------------------------------------------------------------------------------------------


@pytest.fixture
def member_with_factors():
    member = UserFactory(verified=True, full_name="Mel Member", second_factor=True)
    RecoveryCodes.activate(member)
    return member


def test_staff_find_a_member_and_confirm_before_the_reset(client, staff, member_with_factors):
    client.force_login(staff)
    listing = client.get(reverse("initiative:second-factor-list"), {"q": "mel"}).content.decode()
    url = reverse("initiative:second-factor-reset", args=[member_with_factors.pk])
    assert member_with_factors.email in listing and url in listing
    page = client.get(url).content.decode()
    assert "authenticator app" in page and "recovery codes" in page
    assert '<label class="usa-checkbox__label" for="id_confirm">' in page
    # Without ticking the confirmation, nothing happens.
    response = client.post(url, {"reason": "Lost phone"})
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=member_with_factors).count() == 2


def test_staff_reset_removes_every_factor_audits_and_emails_the_member(
    client, staff, member_with_factors, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    url = reverse("initiative:second-factor-reset", args=[member_with_factors.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on", "reason": "Lost phone, checked by call"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=member_with_factors).exists()
    event = AuditEvent.objects.get(action="user.second_factor_reset")
    assert event.actor == staff and event.object_id == str(member_with_factors.pk)
    assert event.before == {"authenticators": ["recovery_codes", "totp"]}
    assert event.reason == "Lost phone, checked by call"
    assert [m.to for m in mailoutbox] == [[member_with_factors.email]]
    assert "removed the second factors" in mailoutbox[0].body
    assert "Lost phone, checked by call" in mailoutbox[0].body
    # The member signs in with the password alone now.
    client.logout()
    response = _sign_in(client, member_with_factors)
    assert response["Location"] == reverse("initiative:account")


def test_a_reset_staff_member_must_set_up_a_new_factor(client, staff, eager_tasks):
    colleague = BodyMembershipFactory(implementation_team=True).user
    from initiative import services

    services.second_factor_reset(actor=staff, user=colleague, reason="New phone")
    client.force_login(colleague)
    assert client.get(reverse("workstreams:staff-dashboard"))["Location"] == reverse("mfa_index")


@pytest.mark.parametrize("role", ["public_user", "participant", "committee_member"])
def test_only_the_implementation_team_resets_second_factors(client, request, role, member_with_factors):
    user = request.getfixturevalue(role)
    give_second_factor(user)
    client.force_login(user)
    assert client.get(reverse("initiative:second-factor-list")).status_code == 403
    url = reverse("initiative:second-factor-reset", args=[member_with_factors.pk])
    assert client.post(url, {"confirm": "on", "reason": "x"}).status_code == 403
    assert Authenticator.objects.filter(user=member_with_factors).count() == 2
    assert not AuditEvent.objects.filter(action="user.second_factor_reset").exists()
