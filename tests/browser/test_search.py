"""At phone width a person finds the search box in the header, searches, narrows by kind and reaches
a result; the search and activity pages pass axe-core's rules."""

from pathlib import Path

import pytest

from tests.browser.test_home_to_workstream import browser_page  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def test_search_from_the_header_at_phone_width(live_server, browser_page, loaded_initiative):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/")
    search = page.get_by_role("search", name="Site search")
    box = search.get_by_label("Search the initiative")
    assert box.is_visible()
    box.fill("interconnection")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=interconnection")
    assert page.get_by_role("heading", level=1).inner_text() == "Search"
    assert "results for “interconnection”" in page.get_by_role("status").inner_text()
    filters = page.get_by_role("search", name="Search and filters")
    filters.get_by_text("Glossary term", exact=True).click()  # USWDS draws the box on the label
    assert filters.get_by_label("Glossary term").is_checked()
    filters.get_by_role("button", name="Search").click()
    page.wait_for_url("**kind=glossary**")
    first = page.locator(".search-hit h3 a").first
    assert "nterconnection" in first.inner_text()
    assert page.locator(".search-hit mark").count() > 0
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_search_and_activity_pages_have_no_serious_accessibility_violations(
    live_server,
    browser_page,  # noqa: F811
    loaded_initiative,
):
    context = browser_page.context.browser.new_context(
        bypass_csp=True, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    problems = {}
    for path in ["/search/", "/search/?q=data+sharing", "/activity/", "/workstreams/workstream-a/activity/"]:
        page.goto(live_server.url + path)
        page.add_script_tag(content=AXE.read_text())
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        )
        serious = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            problems[path] = serious
    context.close()
    assert problems == {}
