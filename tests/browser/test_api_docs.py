"""The API documentation runs in a browser under the site's Content-Security-Policy: Swagger UI draws
every operation from the schema, no request leaves the site and no CSP violation is reported."""

from urllib.parse import urlparse

import pytest

from tests.browser.test_home_to_workstream import browser_page  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_draws_the_operations_without_leaving_the_site(live_server, browser_page):  # noqa: F811
    page = browser_page
    hosts, problems = set(), []
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    page.on(
        "console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.goto(live_server.url + "/api/docs/")
    page.get_by_text("/api/v1/rounds/{id}/ballot/").first.wait_for()
    assert page.get_by_role("heading", name="DER Integration Initiative API").first.is_visible()
    assert hosts == {urlparse(live_server.url).hostname}
    assert problems == []
