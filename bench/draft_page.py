"""The draft page budget: a draft of 20 paragraphs with 10,000 comments. Measures the query count and
render time of the draft page and of one paragraph's first page of comments (htmx), against the same
draft with 10 comments. Everything is created inside a transaction that is rolled back."""

import statistics
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

PARAGRAPHS = 20
COMMENTS = 10_000
RUNS = 5


class _Rollback(Exception):
    pass


def _body() -> str:
    parts = ["# Benchmark draft"]
    for i in range(PARAGRAPHS):
        if i % 5 == 0:
            parts.append(f"## Section {i // 5 + 1}")
        parts.append(
            f"Paragraph {i + 1}: distribution and transmission planning need shared forecasts, "
            "aligned calendars and published hosting capacity, as the report explains at length."
        )
    return "\n\n".join(parts) + "\n"


def _measure(client: Client, url: str, **kwargs) -> dict:
    client.get(url, **kwargs)  # warm caches
    times, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, **kwargs)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return {
        "queries": queries,
        "median_ms": round(statistics.median(times) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
    }


def _bulk(review, n: int, authors, keys) -> None:
    from consultations.models import Comment
    from consultations.services.comments import body_digest, comment_body_html, comment_counts_rebuild
    from initiative.models import StakeholderType

    types = [t for t, _ in StakeholderType.choices]
    rows = []
    for i in range(n):
        body = (
            f"Benchmark comment {i}: please clarify how this applies to cooperatives and municipal utilities."
        )
        rows.append(
            Comment(
                review=review,
                version=review.version,
                paragraph_key=keys[i % len(keys)],
                author=authors[i % len(authors)],
                stakeholder_type=types[i % len(types)],
                body=body,
                body_html=comment_body_html(body),
                body_digest=body_digest(body),
            )
        )
    Comment.objects.bulk_create(rows, batch_size=2000)
    comment_counts_rebuild(review_ids=[review.pk])


def _setup_django() -> None:
    """Configure Django with the test settings (DEBUG off, MD5 hasher, local email) and migrate the
    database DATABASE_URL names; the benchmark's rows are rolled back afterwards."""
    import os

    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    call_command("migrate", verbosity=0)


def run() -> dict:
    from datetime import timedelta

    _setup_django()

    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from consultations.models import Review
    from consultations.services.drafts import draft_version_create
    from initiative.models import Body, BodyMembership, User
    from workstreams.models import Deliverable, Track, Workstream

    figures: dict = {}
    try:
        with transaction.atomic():
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
            reader = authors[0]
            client = Client()
            client.force_login(reader)
            draft_url = reverse("consultations:draft-detail", args=[deliverable.pk, version.number])
            para_url = reverse(
                "consultations:paragraph-comments", args=[deliverable.pk, version.number, keys[0]]
            )

            _bulk(review, 10, authors, keys)
            small_draft = _measure(client, draft_url)
            small_para = _measure(client, para_url, headers={"HX-Request": "true"})
            _bulk(review, COMMENTS - 10, authors, keys)
            big_draft = _measure(client, draft_url)
            big_para = _measure(client, para_url, headers={"HX-Request": "true"})
            figures = {
                "paragraphs": PARAGRAPHS,
                "comments": COMMENTS,
                "draft_page_queries_10": small_draft["queries"],
                "draft_page_queries_10000": big_draft["queries"],
                "draft_page_median_ms_10000": big_draft["median_ms"],
                "draft_page_max_ms_10000": big_draft["max_ms"],
                "paragraph_page_queries_10": small_para["queries"],
                "paragraph_page_queries_10000": big_para["queries"],
                "paragraph_page_median_ms_10000": big_para["median_ms"],
                "paragraph_page_max_ms_10000": big_para["max_ms"],
                "flat": small_draft["queries"] == big_draft["queries"]
                and small_para["queries"] == big_para["queries"],
                "database": connection.vendor,
            }
            raise _Rollback
    except _Rollback:
        pass
    return figures
