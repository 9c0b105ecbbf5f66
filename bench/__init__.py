"""The project's benchmarks: `python -m bench [--smoke] [name ...]` (or `make bench`).

`make bench` prints ONE table, a row per measurement, and writes it to `docs/benchmarks.md` with the
machine's CPU count and load average at the start.

Adding a benchmark is one module `bench/<name>.py` with one function:

    def run(*, smoke: bool = False) -> list[Row]:
        ...

returning one `Row` per thing measured (a module may measure several: the draft page as anonymous and
as a participant, at 1,000 and at 100,000 comments). `smoke=True` asks for the smallest numbers that
still exercise every path (the test suite runs every module so, in seconds, so a bench cannot rot);
its rows' `ok` must still be meaningful (exactness holds at any size; time budgets are not judged in
smoke runs: `Row.budget_ms` is then ignored). A bench that cannot run here (no PostgreSQL, no Redis)
raises `BenchmarkError` saying why; the runner reports it in the table and goes on.

What a module needs is in `bench/_common.py`: Django set up in this process (`setup_django`), a draft
under an open consultation with N comments (`draft_fixture`, `bulk_comments`), rolled back afterwards
(`rolled_back`); a scratch PostgreSQL database cloned from a migrated template (`scratch_database`),
real servers and workers on it (`Processes`, `Balancer`), timing (`median_ms`, `percentile`) and the
load average (`load`). Modules whose name starts with "_" are helpers, not benchmarks.
"""

from dataclasses import dataclass, field


class BenchmarkError(Exception):
    """The benchmark could not run (wrong environment) or could not finish."""


@dataclass
class Row:
    """One line of the table.

    `load`: the 1-minute load average when the row was measured (timings under load say so);
    `median_ms`/`p95_ms`: per request or per operation; `throughput` with its `unit` ("req/s",
    "comments/s", "emails/s"); `queries` per request where it means something; `errors`: failed
    requests or broken invariants; `ok`: the row's budget or invariant met (None: nothing to judge);
    `note`: the few figures a reader needs to trust the row (sizes, exact counts)."""

    name: str
    load: float = 0.0
    median_ms: float | None = None
    p95_ms: float | None = None
    throughput: float | None = None
    unit: str = ""
    queries: int | str | None = None
    errors: int = 0
    ok: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)  # figures for tests, not printed
