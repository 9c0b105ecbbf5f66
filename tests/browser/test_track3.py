"""The Track 3 issue areas in a real browser on a 390 px phone: a workshop participant edits the vision
by its label, the history shows the change, and the area, history and list pages pass axe-core's rules
with nothing scrolling sideways."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import test_accessibility_crawl as crawl
from tests.browser import test_home_to_workstream as base

browser_page = base.browser_page  # the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREA = "/track-3/issue-areas/distribution-operations/"


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_participant_edits_the_vision_on_a_phone(live_server, browser_page, loaded_initiative):
    from tests.factories import EnrollmentFactory
    from workstreams.models import AreaSection, Workstream

    user = EnrollmentFactory(workstream=Workstream.objects.get(code="T3")).user
    page = browser_page
    page.set_viewport_size(crawl.PHONE)
    _login(page, live_server, user)
    page.goto(live_server.url + AREA)
    page.get_by_role("link", name="Edit longer-term vision").click()
    page.get_by_label("Text (Markdown)").fill("DSOs and ISOs share one operating picture.")
    page.get_by_label("What changed").fill("First draft at the workshop")
    page.get_by_role("button", name="Save a new version").click()
    page.wait_for_selector("text=Saved as version 1.")
    assert page.evaluate(crawl.OVERFLOW) is None
    page.get_by_role("link", name="History and changes of longer-term vision").click()
    page.wait_for_selector("text=First draft at the workshop")
    assert page.evaluate(crawl.OVERFLOW) is None
    assert AreaSection.objects.get(area__slug="distribution-operations", kind="vision").version == 1


def test_track3_pages_pass_axe_on_a_phone(live_server, browser_page, loaded_initiative):
    context = browser_page.context.browser.new_context(bypass_csp=True, viewport=crawl.PHONE)
    page = context.new_page()
    problems = {}
    for path in ["/track-3/issue-areas/", AREA, AREA + "challenges/history/", "/tracks/track-3/"]:
        page.goto(live_server.url + path)
        page.add_script_tag(content=Path(crawl.AXE).read_text())
        found = page.evaluate(crawl.AXE_RUN)
        overflow = page.evaluate(crawl.OVERFLOW)
        if found or overflow:
            problems[path] = (found, overflow)
    context.close()
    assert problems == {}
