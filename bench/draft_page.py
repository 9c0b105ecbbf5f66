"""Reads stay flat as comments grow: the draft page and a hot paragraph's first page of comments (htmx
partial), as the public and as a participant, on two drafts of 20 paragraphs, one with 1,000 comments and
one with 100,000 (a third of them on the hot paragraph). Budgets at 100,000: draft page p95 ≤ 25 ms,
partial p95 ≤ 40 ms, each median within 10 % of the same page's median at 1,000, the same number of
queries, and no query plan that reads the comments table sequentially (every query the two pages make is
EXPLAINed: a plan that grows with the table shows there, whatever the draft).

The two drafts are asked in turn, request by request, so whatever else the machine does at the time
weighs on both sizes alike: measured one size after the other, a burst of load on either side moved
the ratio by a quarter when nothing in the page had changed.
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


def _measure_in_turn(client: Client, urls: dict, runs: int, **kwargs) -> dict:
    """`runs` requests to each of `urls` ({size: url}), in turn; {size: {times, queries, sql}}."""
    import time

    for url in urls.values():
        for _ in range(3):
            client.get(url, **kwargs)  # warm caches
    got = {size: {"times": [], "queries": 0, "sql": []} for size in urls}
    for _ in range(runs):
        for size, url in urls.items():
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url, **kwargs)
                got[size]["times"].append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            got[size]["queries"] = len(ctx.captured_queries)
            got[size]["sql"] = [q["sql"] for q in ctx.captured_queries]
    return got


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
        drafts = {}
        for size, tag in ((small, "read-small"), (large, "read-large")):
            d = draft_fixture(paragraphs=20, authors=100, tag=tag)
            bulk_comments(d.review, size, d.authors, d.keys, hot_share=1 / 3)
            drafts[size] = d
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE consultations_comment")
                cursor.execute("ANALYZE consultations_commentcount")
        participant = Client()
        participant.force_login(drafts[small].authors[0])  # verified: may comment on both drafts
        who = {"anonymous": Client(), "participant": participant}
        pages = {
            "draft page": (
                lambda d: reverse("consultations:draft-detail", args=[d.deliverable.pk, d.version.number]),
                {},
            ),
            "paragraph partial": (
                lambda d: reverse(
                    "consultations:paragraph-comments", args=[d.deliverable.pk, d.version.number, d.keys[0]]
                ),
                {"headers": {"HX-Request": "true"}},
            ),
        }
        measured: dict = {}
        sqls: list[str] = []
        for page, (url_of, kwargs) in pages.items():
            urls = {size: url_of(d) for size, d in drafts.items()}
            for name, client in who.items():
                for size, got in _measure_in_turn(client, urls, runs, **kwargs).items():
                    measured[(page, name, size)] = got
                sqls += measured[(page, name, large)]["sql"]
        seq = _sequential_reads(sqls)
        for page in pages:
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
