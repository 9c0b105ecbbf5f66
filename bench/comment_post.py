"""Posting a comment through the page, in process: a draft of 20 paragraphs that already has 10,000
comments (so campaign grouping and counts meet a busy review), then 200 comments sent as the page sends
them with htmx and 50 as plain POSTs (no JavaScript). Measures queries and time per POST. Everything is
created inside a transaction that is rolled back."""

import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from .draft_page import PARAGRAPHS, _body, _bulk, _Rollback, _setup_django

EXISTING = 10_000
HTMX_POSTS = 200
PLAIN_POSTS = 50


def _text(i: int) -> str:
    """A distinct comment of about 200 characters: long enough for the near-identical campaign check."""
    return (
        f"Comment number {i} from the benchmark. The hosting capacity maps of feeder {i * 7919 % 10007} "
        f"should be published monthly, with the queue position of project {i * 104729 % 99991} and the "
        "assumptions behind them."
    )


def _post(client: Client, url: str, key: str, body: str, *, htmx: bool) -> tuple[float, int, int, float]:
    data = {"key": key, f"c-{key}-paragraph_key": key, f"c-{key}-body": body}
    headers = {"HX-Request": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as ctx:
        started, cpu = time.perf_counter(), time.process_time()
        response = client.post(url, data, headers=headers)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return elapsed, len(ctx.captured_queries), response.status_code, cpu


def _summary(samples: list[tuple[float, int, int, float]]) -> dict:
    """Wall time (what a client waits, database included) and this process's CPU time (the worker's own
    share, steadier on a loaded machine) per POST."""
    times = sorted(s[0] for s in samples)
    return {
        "queries": max(s[1] for s in samples),
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1),
        "cpu_median_ms": round(statistics.median(s[3] for s in samples) * 1000, 1),
    }


def run() -> dict:
    from datetime import timedelta

    _setup_django()

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from consultations.models import Comment, Review
    from consultations.services.drafts import draft_version_create
    from initiative.models import Body, BodyMembership, User
    from workstreams.models import Deliverable, Track, Workstream

    figures: dict = {}
    try:
        with transaction.atomic(), override_settings(COMMENT_RATE_LIMIT=1_000_000):
            staff = User.objects.create_user(email="bench-staff@bench.example", full_name="Bench staff")
            body, _ = Body.objects.get_or_create(
                kind=Body.Kind.IMPLEMENTATION_TEAM, defaults={"name": "Implementation team"}
            )
            BodyMembership.objects.create(
                body=body, user=staff, role="staff", starts_on=timezone.localdate() - timedelta(days=1)
            )
            track, _ = Track.objects.get_or_create(
                number=99,
                defaults={"slug": "bench-track", "name": "Bench", "title": "Bench", "objective": "-"},
            )
            ws = Workstream.objects.create(
                track=track,
                code="BENCH",
                slug="bench-ws",
                name="Bench",
                challenge="-",
                objective="-",
                start_month=0,
                end_month=1,
            )
            deliverable = Deliverable.objects.create(workstream=ws, slug="bench", title="Bench draft")
            version = draft_version_create(actor=staff, deliverable=deliverable, body=_body())
            review = Review.objects.create(
                version=version,
                kind=Review.Kind.PUBLIC_CONSULTATION,
                opens_at=timezone.now() - timedelta(days=1),
                closes_at=timezone.now() + timedelta(days=30),
            )
            keys = list(version.paragraphs.values_list("key", flat=True))
            assert len(keys) == PARAGRAPHS, len(keys)
            authors = User.objects.bulk_create(
                User(email=f"bench-{i}@bench.example", full_name=f"Bench commenter {i}") for i in range(200)
            )
            EmailAddress.objects.bulk_create(
                EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in authors
            )
            _bulk(review, EXISTING, authors, keys)
            url = reverse("consultations:comment-create", args=[deliverable.pk, version.number])
            clients = []
            for author in authors[:10]:
                client = Client()
                client.force_login(author)
                clients.append(client)
            _post(clients[0], url, keys[0], _text(-1), htmx=True)  # warm caches
            htmx, plain = [], []
            for i in range(HTMX_POSTS):
                htmx.append(_post(clients[i % 10], url, keys[i % PARAGRAPHS], _text(i), htmx=True))
            for i in range(PLAIN_POSTS):
                j = HTMX_POSTS + i
                plain.append(_post(clients[i % 10], url, keys[i % PARAGRAPHS], _text(j), htmx=False))
            stored = Comment.objects.filter(review=review).count()
            h, p = _summary(htmx), _summary(plain)
            figures = {
                "existing_comments": EXISTING,
                "htmx_posts": HTMX_POSTS,
                "htmx_queries_per_post": h["queries"],
                "htmx_median_ms": h["median_ms"],
                "htmx_p95_ms": h["p95_ms"],
                "htmx_cpu_median_ms": h["cpu_median_ms"],
                "plain_posts": PLAIN_POSTS,
                "plain_queries_per_post": p["queries"],
                "plain_median_ms": p["median_ms"],
                "plain_p95_ms": p["p95_ms"],
                "plain_cpu_median_ms": p["cpu_median_ms"],
                "errors": sum(1 for s in htmx if s[2] != 200) + sum(1 for s in plain if s[2] != 302),
                "stored_once": stored == EXISTING + 1 + HTMX_POSTS + PLAIN_POSTS,
                "database": connection.vendor,
            }
            figures["ok"] = figures["errors"] == 0 and figures["stored_once"]
            raise _Rollback
    except _Rollback:
        pass
    return figures
