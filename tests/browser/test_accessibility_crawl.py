"""Every page of the demo that a role reaches by following links passes axe-core's WCAG 2 A/AA rules with
no serious or critical violation, on a desktop and on a 390 px phone, and no page scrolls sideways on the
phone (wide tables scroll inside their own container instead).

The crawl is bounded so it stays affordable in CI: per role, the first page found for each URL name (a
draft page stands for every draft page), up to `MAX_PATTERNS` names."""

from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from tests.browser import test_home_to_workstream as base

browser_page = base.browser_page  # the shared Chromium fixture (skips or fails without Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
MAX_PATTERNS = 40
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ROLES = {
    "public": None,
    "public-signed-in": "public@demo.example.org",
    "participant": "participant@demo.example.org",
    "staff": "staff@demo.example.org",
    "committee": "chair@demo.example.org",
}
START = {
    "public": ["/", "/track-1/framework/", "/accounts/signup/"],
    "public-signed-in": ["/", "/dashboard/", "/account/"],
    "participant": ["/", "/dashboard/"],
    "staff": ["/", "/dashboard/", "/staff/dashboard/", "/staff/deliverables/", "/moderation/"],
    "committee": ["/", "/dashboard/"],
}
# Not pages of the site's own: the admin, downloads, the API, and links that act (log out).
SKIP_PREFIXES = ("/admin", "/accounts/logout", "/api/", "/static/", "/media/", "/healthz")
SKIP_NAMES = {"export-download", "attachment-download", "publication-pdf", "api-schema", "healthz"}
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0].target})`);
}"""
OVERFLOW = """() => {
  const over = document.documentElement.scrollWidth - window.innerWidth;
  if (over <= 0) return null;
  const wide = [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.closest('[data-scroll-region], .usa-table-container--scrollable'));
  return `${over}px too wide, e.g. ${wide.slice(0, 3).map(e => e.tagName + '.' + e.className).join(', ')}`;
}"""


@pytest.fixture
def demo():
    call_command("load_initiative", verbosity=0)
    with open("/dev/null", "w") as devnull:
        call_command("load_demo", force=True, verbosity=0, stdout=devnull)


def _name(path: str) -> str | None:
    try:
        match = resolve(urlparse(path).path)
    except Resolver404:
        return None
    if match.url_name in SKIP_NAMES:
        return None
    return match.view_name


def _links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parsed = urlparse(urldefrag(href)[0])
        if f"{parsed.scheme}://{parsed.netloc}" != base_url or "format=" in parsed.query:
            continue
        if parsed.path.startswith(SKIP_PREFIXES) or parsed.path.endswith(
            (".csv", ".pdf", ".ics", ".xlsx", ".json", "/feed/")
        ):
            continue
        out.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return out


def _crawl(context, base_url: str, start: list[str]) -> dict:
    page = context.new_page()
    axe = AXE.read_text()
    problems, names, queue = {}, set(), deque(start)
    seen = set()
    while queue and len(names) < MAX_PATTERNS:
        path = queue.popleft()
        name = _name(path)
        if path in seen or name is None or name in names:
            continue
        seen.add(path)
        page.set_viewport_size(DESKTOP)
        response = page.goto(base_url + path)
        if response is None or response.status >= 500:
            problems[path] = [f"answered {response and response.status}"]
            continue
        if response.status != 200 or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        names.add(name)
        found = []
        page.add_script_tag(content=axe)
        found += [f"desktop: {v}" for v in page.evaluate(AXE_RUN)]
        page.set_viewport_size(PHONE)
        found += [f"390px: {v}" for v in page.evaluate(AXE_RUN)]
        overflow = page.evaluate(OVERFLOW)
        if overflow:
            found.append(f"390px: scrolls sideways, {overflow}")
        if found:
            problems[path] = found
        queue.extend(link for link in _links(page, base_url) if link not in seen)
    page.close()
    return {"problems": problems, "patterns": names}


@pytest.mark.parametrize("role", list(ROLES))
def test_demo_pages_pass_axe_for_each_role(live_server, browser_page, demo, role):
    """axe-core finds no serious or critical violation on any page the role reaches, at desktop and phone
    width, and no page scrolls sideways at 390 px."""
    from initiative.models import User

    # axe is injected as an inline script, which the site's CSP rightly refuses: bypass it here.
    context = browser_page.context.browser.new_context(bypass_csp=True)
    if ROLES[role]:
        client = Client()
        client.force_login(User.objects.get(email=ROLES[role]))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    result = _crawl(context, live_server.url, START[role])
    context.close()
    report = "\n".join(f"{path}\n  " + "\n  ".join(found) for path, found in result["problems"].items())
    assert not result["problems"], report
    assert len(result["patterns"]) >= 10
