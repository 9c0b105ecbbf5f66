"""With the demo data `make run` loads, every page reachable by links — for the public and for each
demo role — answers without a server error, no link leads its reader to a refusal (403) or a missing
page (404), and no page shows a commenter's or registrant's email."""

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ROLES = [
    None,
    "public@demo.example.org",
    "participant@demo.example.org",
    "staff@demo.example.org",
    "chair@demo.example.org",
]
SKIP = re.compile(r"^/(admin|accounts/logout|api/schema|static|media)|\.csv$|/download/|format=csv")
HREF = re.compile(r'href="([^"#][^"]*)"')


@pytest.fixture
def demo(settings):
    settings.DEBUG = False
    call_command("load_initiative", verbosity=0)
    call_command("load_demo", force=True, verbosity=0, stdout=open("/dev/null", "w"))


@pytest.mark.parametrize("email", ROLES)
def test_every_linked_page_renders(client, demo, email):
    from initiative.models import User

    if email:
        client.force_login(User.objects.get(email=email))
    seen, queue, errors = set(), deque([("/", None)]), []
    others = set(User.objects.exclude(email=email or "").values_list("email", flat=True))
    while queue and len(seen) < 250:
        url, linked_from = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
            continue
        if response.status_code in (403, 404):
            # a page showed this person a link they may not follow
            errors.append((url, response.status_code, f"linked from {linked_from}"))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        leaked = [e for e in others if e in html and not e.startswith(("staff@", "admin@"))]
        if leaked and not (email or "").startswith("staff@"):
            errors.append((url, f"shows emails {leaked[:3]}"))
        for href in HREF.findall(html):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.netloc and parsed.netloc != "testserver":
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path.startswith("/") and not SKIP.search(path) and path not in seen:
                queue.append((path, url))
    assert errors == [], "\n".join(map(str, errors))
    assert len(seen) > 20
