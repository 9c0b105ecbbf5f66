"""Staff invite a participant from the workstream's invitation page; htmx swaps the panel in place,
with the error for a bad address and the new invitation for a good one."""

import pytest

from tests.browser.test_home_to_workstream import browser_page  # noqa: F401  (fixture)
from tests.factories import BodyMembershipFactory, WorkstreamFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invite_panel_updates_in_place(live_server, browser_page):  # noqa: F811
    staff = BodyMembershipFactory(implementation_team=True, user__email="staff@example.org").user
    workstream = WorkstreamFactory()
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code())  # staff have an authenticator app (the factory's)
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url("**/account/")
    page.goto(f"{live_server.url}/workstreams/{workstream.slug}/invitations/")
    page.evaluate("window.__marker = 'same page'")

    page.get_by_label("Email address").fill("not-an-email")
    page.evaluate("document.querySelector('#invite-panel form input[name=email]').type = 'text'")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Enter a valid email address").wait_for()

    page.get_by_label("Email address").fill("invitee@example.org")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to invitee@example.org").wait_for()
    assert (
        page.locator("#invite-panel table")
        .get_by_role("cell", name="invitee@example.org", exact=True)
        .is_visible()
    )
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, no reload
