"""The Track 1 framework in a real browser: staff edit a matrix cell in place with htmx (the CSRF header
rides on <body>), and the framework's public pages pass axe-core's accessibility rules."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import test_home_to_workstream as base

AXE = base.AXE
browser_page = base.browser_page  # the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/track-1/framework/",
    "/track-1/framework/models/",
    "/track-1/framework/models/dso-model-4/",
    "/track-1/framework/compare/",
    "/track-1/framework/framing-questions/?tso-is-iso=yes&planning=dso-co-optimizes",
    "/track-1/framework/roadmap/?current=dso-model-1&target=total-dso",
]


def test_staff_edit_a_cell_in_place(live_server, browser_page, loaded_initiative, staff, tmp_path):
    from workstreams.models import MatrixCell

    client = Client()
    client.force_login(staff)
    page = browser_page
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + "/track-1/framework/models/dso-model-2/")
    page.get_by_role("link", name="Edit Distribution Utility in Outage reporting and management").click()
    cell = page.locator("#cell-outage-reporting-distribution-utility")
    cell.get_by_label("Role").select_option("responsible")
    cell.get_by_label("Note").fill("Real-time outage communication")
    cell.get_by_role("button", name="Save").click()
    page.wait_for_selector("#cell-outage-reporting-distribution-utility >> text=Edited by staff")
    assert "/models/dso-model-2/" in page.url  # swapped in place, no navigation
    saved = MatrixCell.objects.get(model__slug="dso-model-2", function__slug="outage-reporting")
    assert (saved.role, saved.note, saved.edited_by_id) == (
        "responsible",
        "Real-time outage communication",
        staff.pk,
    )
    page.screenshot(path=str(tmp_path / "matrix.png"), full_page=True)


def test_framework_pages_have_no_serious_accessibility_violations(
    live_server, browser_page, loaded_initiative
):
    context = browser_page.context.browser.new_context(bypass_csp=True)
    page = context.new_page()
    problems = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        page.add_script_tag(content=Path(AXE).read_text())
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        )
        serious = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    context.close()
    assert problems == {}
