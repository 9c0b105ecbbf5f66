"""A visitor switches the site to Spanish and back with the keyboard alone, in a real browser (Debian's
Chromium): the switcher is reached with Tab, found by its label, and sent with its button."""

import pytest

from tests.browser.test_home_to_workstream import browser_page  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_switch_to_spanish_and_back_with_the_keyboard(live_server, browser_page, loaded_initiative):  # noqa: F811
    page = browser_page
    page.goto(live_server.url + "/webinars/")
    assert page.locator("html").get_attribute("lang") == "en"
    switcher = page.get_by_label("Language")
    assert switcher.is_visible()

    _tab_to(page, "language-switcher")
    page.keyboard.press("ArrowDown")  # English → Español
    assert switcher.input_value() == "es"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Change language"
    with page.expect_navigation():  # the form posts and comes back to the same URL
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Seminarios web públicos"

    # remembered: another page opens in Spanish
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="Tres líneas de trabajo").is_visible()

    # and back, by the Spanish label
    _tab_to(page, "language-switcher")
    page.keyboard.press("ArrowUp")
    with page.expect_navigation():
        page.get_by_role("button", name="Cambiar idioma").press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Three tracks").is_visible()
