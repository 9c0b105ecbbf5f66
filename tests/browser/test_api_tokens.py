"""A signed-in person creates an API token on their account page (htmx swaps the section in place, the
secret shown once), then revokes it."""

import pytest

from tests.browser.test_home_to_workstream import browser_page  # noqa: F401  (fixture)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_then_revoke_a_token_in_place(live_server, browser_page):  # noqa: F811
    user = UserFactory(verified=True, email="programmer@example.org")
    page = browser_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign In").click()
    page.goto(live_server.url + "/account/")
    page.evaluate("window.__marker = 'same page'")

    page.get_by_label("Token name").fill("Queue sync")
    assert page.get_by_label("Read only").is_checked()
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Your new token")
    secret.wait_for()
    assert secret.input_value().startswith("der_")
    assert page.get_by_text("shown only this once").is_visible()
    assert page.get_by_role("row", name="Queue sync").get_by_text("Read and write").is_visible()

    page.get_by_role("button", name="Revoke the token Queue sync").click()
    page.get_by_text("You have no API token.").wait_for()
    assert page.get_by_label("Your new token").count() == 0
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, no reload
