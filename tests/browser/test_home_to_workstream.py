"""A person opens the home page in a real browser (Debian's Chromium, driven by Playwright), reaches a
workstream by keyboard-free clicking, and sees the report's text there."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (REQUIRE_BROWSER is set) but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (bin/system-deps installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page()
        yield page
        browser.close()


def test_home_page_leads_to_a_workstream(live_server, browser_page, loaded_initiative, tmp_path):
    from workstreams.models import Workstream

    page = browser_page
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "U.S. National Initiative on DER Integration"
    page.get_by_role("link", name="Workstream B: Coordinated planning").first.click()
    page.wait_for_url("**/workstreams/workstream-b/")
    assert page.locator("h1").inner_text() == "Workstream B: Coordinated planning"
    challenge = Workstream.objects.get(code="B").challenge.split()[:6]
    assert " ".join(challenge) in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Lifecycle progress").is_visible()
    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.screenshot(path=str(tmp_path / "workstream.png"), full_page=True)
