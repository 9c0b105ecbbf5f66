"""In a real browser (Debian's Chromium): staff answer a comment inside the matrix without losing their
filters, page or focus; a commenter's focus stays on their new comment (or the field to fix) after the
comment panel refreshes; on a 390 px phone no page scrolls sideways and the key columns stay in view."""

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import test_home_to_workstream as base
from tests.consultations.factories import ReviewFactory, bulk_comments
from tests.factories import BodyMembershipFactory, DeliverableFactory, UserFactory

browser_page = base.browser_page  # the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "document.activeElement === document.body ? 'body' : document.activeElement.outerHTML"


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_answering_a_comment_in_the_matrix_keeps_filters_page_and_focus(live_server, browser_page):
    staff = BodyMembershipFactory(implementation_team=True).user
    review = ReviewFactory()
    bulk_comments(review, 60, keys=[review.version.paragraphs.first().key])
    page = browser_page
    _log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/reviews/{review.pk}/matrix/?disposition=none&page=2")
    assert page.get_by_text("0 of 60 comments answered").is_visible()
    row = page.locator("tbody tr").first
    row_id = row.get_attribute("id")
    row.get_by_role("link", name=re.compile("^Respond")).click()
    form = page.locator(f"#{row_id} form")
    form.get_by_label("Disposition", exact=True).wait_for()
    assert "<select" in page.evaluate(FOCUSED)  # the form's first field, not the top of the page
    form.get_by_label("Disposition", exact=True).select_option(label="Accepted")
    form.get_by_label("Response").fill("Agreed; see the revised text.")
    form.get_by_role("button", name="Save").click()
    page.locator(f"#{row_id}").get_by_text("Agreed; see the revised text.").wait_for()
    assert page.get_by_text("1 of 60 comments answered").is_visible()
    assert page.url.endswith(f"/reviews/{review.pk}/matrix/?disposition=none&page=2")
    # focus moves when htmx settles the swap, a moment after the new row appears
    page.wait_for_function("document.activeElement && document.activeElement !== document.body")
    assert ">Edit<" in page.evaluate(FOCUSED)  # focus stays on the row just answered


def test_focus_stays_on_the_new_comment_or_the_field_to_fix(live_server, browser_page):
    commenter = UserFactory(verified=True)
    review = ReviewFactory()
    version = review.version
    page = browser_page
    _log_in(page, live_server, commenter)
    page.goto(f"{live_server.url}/drafts/{version.deliverable_id}/v{version.number}/")
    # the accessible name starts with the words on the button ("0 comments"), then says which paragraph
    page.get_by_role("link", name="0 comments on paragraph 1", exact=True).click()
    panel = page.locator(".comments-panel").first
    panel.get_by_label("Your comment").fill("   ")
    panel.get_by_role("button", name="Send comment").click()
    page.locator("[aria-invalid='true']").first.wait_for()
    # focus moves when htmx settles the swap, a moment after the new content appears
    page.wait_for_function("document.activeElement && document.activeElement.tagName === 'TEXTAREA'")
    assert "textarea" in page.evaluate(FOCUSED)
    page.locator(".comments-panel").first.get_by_label("Your comment").fill("Define DSO before using it.")
    page.locator(".comments-panel").first.get_by_role("button", name="Send comment").click()
    page.get_by_text("Thank you: your comment has been received.").wait_for()
    focused = page.evaluate(FOCUSED)
    assert focused.startswith('<li id="comment-') and "Define DSO before using it." in focused


PHONE_PAGES = [
    "/governance/",
    "/workstreams/workstream-a/",
    "/staff/deliverables/",
    "/staff/deliverables/timeline/",
    "/track-1/framework/models/dso-model-2/",
    "/track-1/framework/compare/",
]


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1


def test_on_a_phone_pages_do_not_scroll_sideways_and_key_columns_show(
    live_server, browser_page, loaded_initiative
):
    from workstreams.models import Actor, GridFunction, MatrixCell, OperatingModel, Workstream

    outage, utility = GridFunction.objects.get(slug="outage-reporting"), Actor.objects.first()
    MatrixCell.objects.filter(function=outage).delete()
    for model in OperatingModel.objects.all():  # the same actor in the same role everywhere: a candidate
        MatrixCell.objects.create(model=model, function=outage, actor=utility, role="responsible")
    staff = BodyMembershipFactory(implementation_team=True).user
    DeliverableFactory(workstream=Workstream.objects.get(code="A"), title="Late one", due_date="2026-01-05")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_server, staff)
    for path in PHONE_PAGES:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path

    page.goto(live_server.url + "/staff/deliverables/")
    row = page.locator("tbody tr", has_text="Late one")
    for label in ("Due", "Days late"):  # each row is stacked: every cell, with its column's name
        cell = row.locator(f'td[data-label="{label}"]')
        assert cell.is_visible() and _in_view(page, cell), label

    page.goto(live_server.url + "/staff/deliverables/timeline/")
    years = page.locator("svg.timeline-svg text", has_text=re.compile(r"^Year \d$"))
    assert years.count() >= 4
    assert all(_in_view(page, years.nth(i)) for i in range(years.count()))  # every year, not only year 1

    page.goto(live_server.url + "/track-1/framework/compare/")
    candidates = page.get_by_text("Least-regrets candidate", exact=True)
    assert candidates.count() >= 1 and _in_view(page, candidates.first)  # said in text, in view

    page.goto(live_server.url + "/track-1/framework/models/dso-model-2/")
    box = page.locator(".usa-table-container--scrollable", has=page.locator("table.matrix"))
    box.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    function = page.locator("table.matrix tbody th[scope=row]").first
    assert _in_view(page, function)  # the function's name stays beside the last actor's column
