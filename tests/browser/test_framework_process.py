"""Track 1 as a process in a real browser: a Workstream A member proposes a model by label and role, and
the new pages (models with proposals and rounds, a proposal, a frozen version, the interfaces overview, a
pair of actors, the exchange form) pass axe-core on a desktop and at 390 px without scrolling sideways."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import test_accessibility_crawl as crawl
from tests.browser import test_home_to_workstream as base

browser_page = base.browser_page  # the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser_page, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser_page.context.browser.new_context(bypass_csp=True)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_member_proposes_and_the_pages_pass_axe_on_phone_and_desktop(
    live_server, browser_page, loaded_initiative, staff
):
    from tests.factories import EnrollmentFactory
    from workstreams.models import OperatingModel, Workstream
    from workstreams.services import framework as services

    member = EnrollmentFactory(workstream=Workstream.objects.get(code="A")).user
    context = _signed_in(browser_page, live_server, member)
    page = context.new_page()
    page.set_viewport_size(crawl.PHONE)
    page.goto(live_server.url + "/track-1/framework/models/")
    page.get_by_role("link", name="Propose a model").click()
    page.get_by_label("Name").fill("DSO Model 3b")
    page.get_by_label("Position on the spectrum").select_option("3")
    page.get_by_label("Distribution operations").fill("DSO dispatches DERs for non-wires services")
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("heading", name="DSO Model 3b").wait_for()
    proposal = OperatingModel.objects.get(name="DSO Model 3b")
    assert proposal.status == "proposed" and proposal.position == 3
    context.close()

    services.model_version_freeze(actor=staff, model=OperatingModel.objects.get(slug="dso-model-4"))
    context = _signed_in(browser_page, live_server, staff)
    page = context.new_page()
    axe = crawl.AXE.read_text()
    problems = {}
    for path in [
        "/track-1/framework/models/",
        proposal.get_absolute_url(),
        "/track-1/framework/models/dso-model-4/v/1/",
        "/track-1/framework/interfaces/",
        "/track-1/framework/interfaces/dso/iso/",
        "/track-1/framework/interfaces/new/",
    ]:
        found = []
        for name, size in (("desktop", crawl.DESKTOP), ("390px", crawl.PHONE)):
            page.set_viewport_size(size)
            assert page.goto(live_server.url + path).status == 200, path
            page.add_script_tag(content=axe)
            found += [f"{name}: {v}" for v in page.evaluate(crawl.AXE_RUN)]
        overflow = page.evaluate(crawl.OVERFLOW)
        if overflow:
            found.append(f"390px: scrolls sideways, {overflow}")
        if found:
            problems[path] = found
    context.close()
    assert problems == {}
