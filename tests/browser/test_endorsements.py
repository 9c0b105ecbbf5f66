"""At phone width, a designated representative records the organization's position with htmx (the panel
is swapped in place, no sideways scrolling), and the endorsement and workstream pages pass axe-core."""

from pathlib import Path

import pytest

from tests.browser import test_home_to_workstream as base
from tests.consultations.factories_endorsements import open_window, participating_org
from tests.factories import BodyMembershipFactory
from workstreams.models import RelatedEffort

browser_page = base.browser_page  # the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def test_representative_records_a_position_at_phone_width(live_server, browser_page):
    staff = BodyMembershipFactory(implementation_team=True).user
    window = open_window(staff=staff)
    org = participating_org(window.deliverable.workstream, name="Bayview Electric")
    effort = RelatedEffort.objects.create(
        slug="naruc", name="NARUC-NASEO Task Force", led_by="NARUC and NASEO"
    )
    effort.workstreams.add(window.deliverable.workstream)
    context = browser_page.context.browser.new_context(viewport=PHONE, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(org.representative.email)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/account/")
    page.goto(f"{live_server.url}/endorsements/{window.pk}/")
    page.evaluate("window.__marker = 'same page'")
    group = page.get_by_role("group", name="Position")
    group.get_by_text("Endorse with reservations", exact=True).click()  # USWDS hides the input itself
    assert group.get_by_label("Endorse with reservations").is_checked()
    page.get_by_role("textbox", name="Statement").fill("Section 4 should state the costs.")
    page.get_by_role("button", name="Record the position").click()
    page.get_by_role("status").get_by_text(
        "Recorded for Bayview Electric: Endorse with reservations."
    ).wait_for()
    assert page.evaluate("window.__marker") == "same page"  # swapped in place
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    problems = {}
    for path in (f"/endorsements/{window.pk}/", window.deliverable.workstream.get_absolute_url()):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        page.add_script_tag(content=Path(base.AXE).read_text())
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
