"""Rendered fragments of the draft pages kept in the shared cache, so a read re-renders nothing that has
not changed: the draft's text with its comment buttons, and a page of a paragraph's comments.

A fragment's key holds everything its HTML depends on. For the text that is the version, the language,
the glossary's revision, the masked words and the counts (from the count rows the page reads anyway).
For a page of comments it is the *comments revision*: a token in the cache replaced whenever a comment,
an attachment, or an author's or organization's name is written (model signals, so no write path can
forget it), at once and again on commit — so a reader who rendered between the write and the commit
cannot keep the old list under the new token. The revision is global: a write anywhere re-renders
every list once, which costs one render per list and keeps the rule simple. Fragments also expire.
"""

import hashlib
import re

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from initiative import revisions

REVISION_KEY = "comments:revision"
TIMEOUT = 600  # seconds: bounds what no signal sees (a question's text edited in the admin)

_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def revision() -> str:
    return revisions.current(REVISION_KEY)


def comments_changed(**_kwargs) -> None:
    """Receiver of the signals listed in `apps.ConsultationsConfig.ready`: a new revision now and on
    commit."""
    if _kwargs.get("update_fields") and set(_kwargs["update_fields"]) <= {"last_login"}:
        return  # a log-in changes nothing a list shows
    revisions.replace_now_and_on_commit(REVISION_KEY)


def key(kind: str, *parts) -> str:
    """A cache key for a fragment: the kind, then a digest of every part it depends on (with the
    language it is written in)."""
    digest = hashlib.sha256(repr((get_language(), *parts)).encode()).hexdigest()[:32]
    return f"fragment:{kind}:{digest}"


def get(request, fragment_key: str) -> SafeString | None:
    html = cache.get(fragment_key)
    return None if html is None else with_csrf(request, html)


def put(fragment_key: str, html: str) -> SafeString:
    cache.set(fragment_key, str(html), timeout=TIMEOUT)
    return mark_safe(html)  # noqa: S308 (rendered by our templates, which escape)


def with_csrf(request, html: str) -> SafeString:
    """The fragment with this request's CSRF token in its forms: a cached copy holds the token of
    whoever rendered it first, which another reader's cookie would not match."""
    if 'name="csrfmiddlewaretoken"' not in html:
        return mark_safe(html)  # noqa: S308
    token = get_token(request)
    return mark_safe(_CSRF_VALUE.sub(lambda m: f"{m[1]}{token}{m[2]}", html))  # noqa: S308
