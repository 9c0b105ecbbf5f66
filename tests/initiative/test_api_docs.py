"""The browsable API documentation at /api/docs/: Swagger UI served from the app (drf-spectacular-sidecar),
with no address outside the site, under the site's Content-Security-Policy."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(rb"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_the_docs_page_and_its_assets_load_from_the_site(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve the static files from the apps, as `runserver` does
    page = client.get(reverse("api-docs"))
    assert page.status_code == 200
    assert b"swagger-ui" in page.content
    assert not EXTERNAL.search(page.content), "the docs page links an outside address"
    csp = page.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "https:" not in csp
    # The page's own script comes from the site (`?script`), so no inline script needs the CSP's nonce.
    assert b"<script>" not in page.content
    assets = re.findall(rb"""(?:src|href)="([^"]+)\"""", page.content)
    scripts = [a.decode() for a in assets if b".js" in a or b"script" in a]
    assert any("swagger-ui-bundle" in s for s in scripts) and any("?script" in s for s in scripts)
    for asset in [a.decode() for a in assets]:
        response = client.get(asset.replace("&amp;", "&"))
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body
    script = client.get(next(s for s in scripts if "?script" in s).replace("&amp;", "&"))
    assert reverse("api-schema").encode() in script.content
    assert b"validatorUrl" in script.content  # the validator badge (an outside call) is off


def test_the_readme_and_the_account_page_link_the_docs(client, public_user):
    from pathlib import Path

    from django.conf import settings

    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert "/api/docs/" in readme
    client.force_login(public_user)
    assert reverse("api-docs").encode() in client.get(reverse("initiative:account")).content
