"""Reads stay flat as comments grow: the draft page and a hot paragraph's first page of comments (htmx
partial), as the public and as a participant, on a draft of 20 paragraphs with 1,000 and then 100,000
comments (a third of them on the hot paragraph). Budgets at 100,000: draft page p95 ≤ 25 ms, partial
p95 ≤ 40 ms, each median within 10 % of its median at 1,000, the same number of queries, and no query
plan that reads the comments table sequentially (every query the two pages make is EXPLAINed).
In process, DEBUG off, everything rolled back afterwards."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import Row
from ._common import bulk_comments, draft_fixture, load, median_ms, percentile, rolled_back, setup_django

SMALL, LARGE = 1_000, 100_000
RUNS = 40
BUDGET_P95_MS = {"draft page": 25, "paragraph partial": 40}
FLAT = 1.10


def _measure(client: Client, url: str, runs: int, **kwargs) -> dict:
    import time

    for _ in range(3):
        client.get(url, **kwargs)  # warm caches
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, **kwargs)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return {"times": times, "queries": queries, "sql": [q["sql"] for q in ctx.captured_queries]}


def _sequential_reads(sqls: list[str]) -> list[str]:
    """The captured SELECTs whose plan reads the comments table sequentially or counts its rows."""
    if connection.vendor != "postgresql":
        return []
    bad = []
    with connection.cursor() as cursor:
        for sql in sqls:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
            if re.search(r"Seq Scan on consultations_comment\b", plan):
                bad.append(sql[:160])
            elif (
                "COUNT(" in sql.upper() and 'FROM "consultations_comment"' in sql and "campaign_id" not in sql
            ):
                bad.append(sql[:160])
    return bad


def run(*, smoke: bool = False) -> list[Row]:
    setup_django()
    small, large, runs = (10, 300, 5) if smoke else (SMALL, LARGE, RUNS)
    rows: list[Row] = []
    with rolled_back():
        d = draft_fixture(paragraphs=20, authors=200, tag="bench-read")
        participant = Client()
        participant.force_login(d.authors[0])
        who = {"anonymous": Client(), "participant": participant}
        hot = d.keys[0]
        urls = {
            "draft page": (
                reverse("consultations:draft-detail", args=[d.deliverable.pk, d.version.number]),
                {},
            ),
            "paragraph partial": (
                reverse("consultations:paragraph-comments", args=[d.deliverable.pk, d.version.number, hot]),
                {"headers": {"HX-Request": "true"}},
            ),
        }
        measured: dict = {}
        sqls: list[str] = []
        for size, add in ((small, small), (large, large - small)):
            bulk_comments(d.review, add, d.authors, d.keys, hot_share=1 / 3)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE consultations_comment")
                    cursor.execute("ANALYZE consultations_commentcount")
            for page, (url, kwargs) in urls.items():
                for name, client in who.items():
                    got = _measure(client, url, runs, **kwargs)
                    measured[(page, name, size)] = got
                    if size == large:
                        sqls += got["sql"]
        seq = _sequential_reads(sqls)
        for page in urls:
            for name in who:
                a, b = measured[(page, name, small)], measured[(page, name, large)]
                ratio = median_ms(b["times"]) / max(median_ms(a["times"]), 0.1)
                p95 = percentile(b["times"], 95)
                flat_queries = a["queries"] == b["queries"]
                ok = flat_queries if smoke else flat_queries and p95 <= BUDGET_P95_MS[page] and ratio <= FLAT
                rows.append(
                    Row(
                        name=f"draft_page: {page}, {name}, {large:,} comments",
                        load=load(),
                        median_ms=median_ms(b["times"]),
                        p95_ms=p95,
                        queries=b["queries"],
                        ok=ok,
                        note=(
                            f"at {small:,}: median {median_ms(a['times'])} ms, {a['queries']} queries "
                            f"(×{ratio:.2f}); budget p95 ≤ {BUDGET_P95_MS[page]} ms"
                        ),
                        extra={"ratio": ratio, "flat_queries": flat_queries},
                    )
                )
        rows.append(
            Row(
                name=f"draft_page: query plans at {large:,} comments",
                load=load(),
                queries=len(set(sqls)),
                errors=0 if smoke else len(seq),
                ok=None if smoke else not seq,  # a table of a few hundred rows is read whole, rightly
                note=(
                    "no sequential read or COUNT(*) of the comments"
                    if not seq
                    else "sequential reads: " + " | ".join(seq)[:300]
                )
                + f" ({connection.vendor})",
            )
        )
    return rows
