"""Run all benchmarks, or the named ones, and print one table (a row per measurement); a full run of all
of them also writes the table to docs/benchmarks.md.

python -m bench                  # every bench/<name>.py; writes docs/benchmarks.md
python -m bench draft_page       # just these (the table is printed, not written)
python -m bench --smoke          # the smallest numbers, in seconds: what `make test` runs
python -m bench --list
"""

import importlib
import inspect
import os
import pkgutil
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from . import BenchmarkError, Row
from ._common import load

HERE = Path(__file__).parent
DOC = HERE.parent / "docs" / "benchmarks.md"
README = HERE.parent / "README.md"
MARKERS = ("<!-- bench-table -->", "<!-- /bench-table -->")
HEADERS = ("benchmark", "load", "median ms", "p95 ms", "throughput", "queries", "errors", "ok", "notes")


def available() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if not m.name.startswith("_"))


def _num(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def cells(row: Row) -> list[str]:
    return [
        row.name,
        f"{row.load:.2f}",
        _num(row.median_ms),
        _num(row.p95_ms),
        f"{row.throughput:,.1f} {row.unit}".strip() if row.throughput is not None else "–",
        _num(row.queries),
        _num(row.errors),
        {True: "yes", False: "NO", None: "–"}[row.ok],
        row.note,
    ]


def _rows(name: str, result) -> list[Row]:
    """A module's rows; a module still returning a dict of figures (the old interface) gets one row."""
    if isinstance(result, Row):
        return [result]
    if isinstance(result, dict):
        note = ", ".join(f"{k}={v}" for k, v in result.items() if k != "ok")
        return [Row(name=name, load=load(), ok=result.get("ok"), note=note)]
    return list(result)


def run_all(names: list[str], *, smoke: bool) -> tuple[list[Row], dict]:
    """Run the named benchmarks; (their rows, the machine at the start)."""
    machine = {
        "cpus": os.cpu_count(),
        "load": "/".join(f"{x:.2f}" for x in os.getloadavg()),
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "smoke": smoke,
    }
    rows: list[Row] = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}: running{' (smoke)' if smoke else ''} …", file=sys.stderr, flush=True)
        started = time.monotonic()
        takes_smoke = "smoke" in inspect.signature(module.run).parameters
        if smoke and not takes_smoke:
            # a module still on the old interface (`run() -> dict`) has no small form: not run in smoke
            rows.append(Row(name=name, load=load(), note="no smoke form yet (run() takes no `smoke`)"))
            continue
        try:
            result = module.run(smoke=smoke) if takes_smoke else module.run()
        except BenchmarkError as exc:
            print(f"== {name}: cannot run: {exc}", file=sys.stderr)
            rows.append(Row(name=name, load=load(), errors=1, ok=False, note=f"cannot run: {exc}"[:200]))
            continue
        except Exception as exc:  # noqa: BLE001 (a broken bench is a row of the table, not the end of it)
            traceback.print_exc()
            note = f"failed: {type(exc).__name__}: {exc}"[:200]
            rows.append(Row(name=name, load=load(), errors=1, ok=False, note=note))
            continue
        got = _rows(name, result)
        print(f"== {name}: {len(got)} row(s) in {time.monotonic() - started:.1f} s", file=sys.stderr)
        rows += got
    return rows, machine


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table (what the terminal, docs/benchmarks.md and the README show)."""
    lines = [cells(r) for r in rows]
    width = [max(len(c[i]) for c in [list(HEADERS), *lines]) for i in range(len(HEADERS))]

    def fmt(c):
        return "| " + " | ".join(x.ljust(w) for x, w in zip(c, width, strict=True)) + " |"

    out = [fmt(list(HEADERS)), "|" + "|".join("-" * (w + 2) for w in width) + "|"]
    return "\n".join(out + [fmt(c) for c in lines])


def document(rows: list[Row], machine: dict) -> str:
    return (
        "# Benchmarks\n\n"
        "Written by `make bench` (`python -m bench`); do not edit by hand. Timings are wall-clock on a "
        "shared machine: read each against its row's `load` (the 1-minute load average when it was "
        "measured).\n\n"
        f"Run {machine['started']} on {machine['cpus']} CPU(s), load average at start {machine['load']} "
        f"(1/5/15 min), Python {machine['python']}.\n\n" + table(rows) + "\n"
    )


def main(argv: list[str]) -> int:
    names = available()
    if "--list" in argv:
        print("\n".join(names))
        return 0
    smoke = "--smoke" in argv
    wanted = [a for a in argv if not a.startswith("-")] or names
    unknown = [n for n in wanted if n not in names]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(names)}", file=sys.stderr)
        return 2
    rows, machine = run_all(wanted, smoke=smoke)
    print(
        f"\n{machine['cpus']} CPU(s), load average at start {machine['load']}"
        f"{', smoke run' if smoke else ''}\n"
    )
    print(table(rows))
    if wanted == names and not smoke and "--no-write" not in argv:
        DOC.write_text(document(rows, machine))
        readme = README.read_text()
        if MARKERS[0] in readme and MARKERS[1] in readme:
            head, rest = readme.split(MARKERS[0], 1)
            tail = rest.split(MARKERS[1], 1)[1]
            summary = (
                f"Run {machine['started']}, {machine['cpus']} CPUs, load average at start {machine['load']}."
            )
            README.write_text(f"{head}{MARKERS[0]}\n{summary}\n\n{table(rows)}\n{MARKERS[1]}{tail}")
        print(f"\nwritten to {DOC.relative_to(HERE.parent)} and the README")
    return 1 if any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
