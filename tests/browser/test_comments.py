"""A member of the public comments on a draft in a real browser: the comment box never cuts a pasted
text, counts what is left (and tells a screen reader at thresholds), and keeps an over-long text after
the server refuses it; replies and comment counts update in place."""

import pytest

from tests.browser.test_home_to_workstream import browser_page  # noqa: F401  (fixture)
from tests.consultations.factories import ReviewFactory, make_version
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_a_pasted_over_long_comment_is_counted_refused_and_kept(live_server, browser_page):  # noqa: F811
    review = ReviewFactory(version=make_version(body="# Intro\n\nFirst paragraph.\n"))
    user = UserFactory(verified=True)
    page = browser_page
    log_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/drafts/{review.version.deliverable_id}/v1/")
    page.get_by_role("link", name="0 comments — show or comment").click()
    box = page.get_by_label("Your comment")
    box.wait_for()
    assert box.get_attribute("maxlength") is None
    text = ("Prepared regulatory text, pasted whole. " * 128)[:5100]
    box.fill(text)  # one input event, as a paste
    assert box.input_value() == text  # nothing cut
    count = page.locator("[data-count-for]")  # the visible count (hidden from screen readers)
    status = page.locator("[data-count-status-for]")  # what a screen reader is told
    assert count.inner_text() == "100 characters over the limit"
    assert status.get_attribute("aria-live") == "polite"
    assert status.inner_text() == "100 characters over the limit"

    box.press("End")
    box.press("Backspace")  # a keystroke inside the same band: the visible count follows, the status does not
    assert count.inner_text() == "99 characters over the limit"
    assert status.inner_text() == "100 characters over the limit"

    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("A comment can be at most 5,000 characters; this one has 5,099.").first.wait_for()
    assert page.get_by_label("Your comment").input_value() == text[:-1]  # the text is kept
    assert page.get_by_text("Thank you").count() == 0


def test_commenting_and_replying_stay_on_the_draft_and_update_the_count(live_server, browser_page):  # noqa: F811
    from tests.consultations.factories import CommentFactory

    review = ReviewFactory(version=make_version(body="# Intro\n\nFirst paragraph.\n"))
    CommentFactory(review=review, body="An earlier comment")
    user = UserFactory(verified=True)
    page = browser_page
    log_in(page, live_server.url, user)
    draft = f"{live_server.url}/drafts/{review.version.deliverable_id}/v1/"
    page.goto(draft)
    page.evaluate("window.__marker = 'same page'")
    page.get_by_role("link", name="1 comment on paragraph 1").click()
    page.get_by_label("Your comment").fill("My own point.")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("Thank you: your comment has been received.").wait_for()
    page.get_by_role("link", name="2 comments on paragraph 1").wait_for()  # the count followed

    page.get_by_text("Reply", exact=True).last.click()  # the earlier comment's reply box (newest first)
    page.get_by_label("Your reply").last.fill("Replying in place.")
    page.get_by_role("button", name="Send reply").last.click()
    page.get_by_text("Your reply has been posted.").wait_for()
    page.get_by_text("Replying in place.").wait_for()
    assert page.url == draft
    assert page.evaluate("window.__marker") == "same page"  # swapped in place, no navigation
