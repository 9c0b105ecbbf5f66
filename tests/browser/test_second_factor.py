"""In a real browser: a staff member without a second factor signs in, is sent to the two-factor settings,
adds a security key (Chromium's virtual authenticator stands in for a passkey) and reaches the staff pages;
the next sign-in asks for the key. And the app code step, typed like a person would."""

import pytest
from allauth.mfa.models import Authenticator

from tests.browser.test_home_to_workstream import browser_page  # noqa: F401  (fixture)
from tests.factories import BodyMembershipFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"


def _sign_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_staff_add_a_security_key_when_asked_and_sign_in_with_it(live_server, browser_page, settings):  # noqa: F811
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server speaks plain http
    staff = BodyMembershipFactory(
        implementation_team=True, second_factor=False, user__email="keyholder@example.org"
    ).user
    page = browser_page
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )

    _sign_in(page, live_server.url, staff.email)
    page.wait_for_url("**/accounts/2fa/")
    page.get_by_text("Your role on the initiative requires two-factor authentication").wait_for()
    page.get_by_role("link", name="Add a security key").click()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks for the password again first
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/webauthn/add/")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: not url.endswith("/webauthn/add/"))
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.WEBAUTHN).exists()
    page.goto(live_server.url + "/staff/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff dashboard"

    page.get_by_role("button", name="Log out").click()
    _sign_in(page, live_server.url, staff.email)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)
    page.goto(live_server.url + "/staff/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff dashboard"


def test_staff_type_the_app_code_after_the_password(live_server, browser_page):  # noqa: F811
    staff = BodyMembershipFactory(implementation_team=True, user__email="apper@example.org").user
    page = browser_page
    _sign_in(page, live_server.url, staff.email)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/account/")
    page.goto(live_server.url + "/staff/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff dashboard"


def test_two_factor_pages_have_no_serious_accessibility_violations(live_server, browser_page):  # noqa: F811
    """axe-core (WCAG 2 A/AA) on the settings page, the app set-up, the code step and the staff reset."""
    from tests.browser.test_home_to_workstream import AXE
    from tests.factories import UserFactory

    staff = BodyMembershipFactory(implementation_team=True, user__email="axe@example.org").user
    member = UserFactory(verified=True, second_factor=True)
    context = browser_page.context.browser.new_context(bypass_csp=True)  # axe is injected inline
    page = context.new_page()
    problems = {}

    def check(label):
        page.add_script_tag(content=AXE.read_text())
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        )
        serious = [
            f"{v['id']}: {v['help']}" for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[label] = serious

    _sign_in(page, live_server.url, staff.email)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    check("code step")
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/account/")
    for path in ["/accounts/2fa/", f"/staff/second-factors/{member.pk}/reset/", "/staff/second-factors/"]:
        page.goto(live_server.url + path)
        check(path)
    page.get_by_role("button", name="Log out").click()
    _sign_in(page, live_server.url, UserFactory(verified=True).email)  # optional for a member of the public
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/totp/activate/")
    check("app set-up")
    context.close()
    assert problems == {}
