"""Revision tokens in the shared cache: a key naming the current state of something many processes
render (the glossary, the comments), replaced when it changes, so that whatever was cached under the
old token is left behind and every process sees the change on its next read."""

import uuid

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> str:
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)  # the first process to ask sets it
        token = cache.get(key) or "uncached"
    return token


def replace(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)


def replace_now_and_on_commit(key: str) -> None:
    """For a change made in a transaction: a new token at once, and again on commit, so that a reader
    who read the old rows between the write and the commit cannot keep them under the new token."""
    replace(key)
    transaction.on_commit(lambda: replace(key))
