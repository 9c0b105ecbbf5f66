"""A consultation's comments through the API, in process: a public consultation with 10,000 comments on
a draft of 20 paragraphs, read as a program reads it: the first page, then pages deep into the list by
following the cursor (`next`), and one paragraph's comments. Budget: p95 under 100 ms a page, and the
same number of queries on every page. Everything is created inside a transaction that is rolled back."""

import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

COMMENTS = 10_000
PARAGRAPHS = 20
PAGES = 100  # requests measured
BUDGET_P95_MS = 100


class _Rollback(Exception):
    pass


def _setup_django() -> None:
    import os

    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    call_command("migrate", verbosity=0)


def _consultation():
    """A public consultation open now on a 20-paragraph draft, with COMMENTS comments (one INSERT)."""
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Comment, Review
    from consultations.services.comments import body_digest, comment_body_html, comment_counts_rebuild
    from consultations.services.drafts import draft_version_create
    from initiative.models import Body, BodyMembership, StakeholderType, User
    from workstreams.models import Deliverable, Track, Workstream

    staff = User.objects.create_user(email="bench-api-staff@bench.example", full_name="Bench staff")
    body, _ = Body.objects.get_or_create(kind=Body.Kind.IMPLEMENTATION_TEAM, defaults={"name": "Team"})
    BodyMembership.objects.create(
        body=body, user=staff, role="staff", starts_on=timezone.localdate() - timedelta(days=1)
    )
    track, _ = Track.objects.get_or_create(
        number=98, defaults={"slug": "bench-api", "name": "Bench", "title": "Bench", "objective": "-"}
    )
    ws = Workstream.objects.create(
        track=track,
        code="BAPI",
        slug="bench-api-ws",
        name="Bench",
        challenge="-",
        objective="-",
        start_month=0,
        end_month=1,
    )
    deliverable = Deliverable.objects.create(workstream=ws, slug="bench-api", title="Bench draft")
    text = "\n\n".join(
        f"Paragraph {i}: shared forecasts and published hosting capacity." for i in range(PARAGRAPHS)
    )
    version = draft_version_create(actor=staff, deliverable=deliverable, body=f"# Bench\n\n{text}\n")
    review = Review.objects.create(
        version=version,
        kind=Review.Kind.PUBLIC_CONSULTATION,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=30),
    )
    keys = list(version.paragraphs.values_list("key", flat=True))
    authors = User.objects.bulk_create(
        User(email=f"bench-api-{i}@bench.example", full_name=f"Commenter {i}") for i in range(50)
    )
    types = [t for t, _ in StakeholderType.choices]
    rows = []
    for i in range(COMMENTS):
        text = f"Comment {i}: please say how this applies to cooperatives and municipal utilities."
        rows.append(
            Comment(
                review=review,
                version=version,
                paragraph_key=keys[i % len(keys)],
                author=authors[i % len(authors)],
                stakeholder_type=types[i % len(types)],
                body=text,
                body_html=comment_body_html(text),
                body_digest=body_digest(text),
            )
        )
    Comment.objects.bulk_create(rows, batch_size=2000)
    comment_counts_rebuild(review_ids=[review.pk])
    with connection.cursor() as cursor:  # as autovacuum would after a bulk load: the planner sees the rows
        cursor.execute("ANALYZE consultations_comment")
    return review, keys, authors[0]


def _get(client: Client, url: str) -> tuple[float, int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT="application/json")
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, len(ctx.captured_queries), response.json()


def run() -> dict:
    _setup_django()

    from django.urls import reverse

    figures: dict = {}
    try:
        with transaction.atomic():
            review, keys, reader = _consultation()
            client = Client()
            client.force_login(reader)  # a signed-in reader (the anonymous API rate would cut the run short)
            first = reverse("api:review-comments", args=[review.pk])
            _get(client, first)  # warm caches
            samples, url = [], first
            while len(samples) < PAGES - 20:
                elapsed, queries, page = _get(client, url)
                samples.append((elapsed, queries))
                url = page["next"] or first
            for i in range(20):
                samples.append(_get(client, f"{first}?paragraph_key={keys[i % len(keys)]}")[:2])
            times = sorted(s[0] for s in samples)
            p95 = times[int(len(times) * 0.95) - 1] * 1000
            figures = {
                "comments": COMMENTS,
                "pages": len(samples),
                "queries_per_page": max(s[1] for s in samples),
                "queries_flat": len({s[1] for s in samples}) == 1,
                "median_ms": round(statistics.median(times) * 1000, 1),
                "p95_ms": round(p95, 1),
                "budget_p95_ms": BUDGET_P95_MS,
                "database": connection.vendor,
            }
            figures["ok"] = figures["queries_flat"] and p95 < BUDGET_P95_MS
            raise _Rollback
    except _Rollback:
        pass
    return figures
