"""Run all benchmarks, or the named ones, and print their figures as a table.

python -m bench                  # every bench/<name>.py with a run()
python -m bench webinar_signup   # just these
python -m bench --list
"""

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from . import BenchmarkError


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def _fmt(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def main(argv: list[str]) -> int:
    names = available()
    if "--list" in argv:
        print("\n".join(names))
        return 0
    wanted = [a for a in argv if not a.startswith("-")] or names
    unknown = [n for n in wanted if n not in names]
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(names)}", file=sys.stderr)
        return 2
    rows: list[tuple[str, str, str]] = []
    failed = False
    for name in wanted:
        module = importlib.import_module(f"bench.{name}")
        print(f"== {name}: running …", flush=True)
        started = time.monotonic()
        try:
            figures = module.run()
        except BenchmarkError as exc:
            print(f"== {name}: cannot run: {exc}", file=sys.stderr)
            rows.append((name, "error", str(exc)))
            failed = True
            continue
        figures.setdefault("wall_s", round(time.monotonic() - started, 1))
        if figures.get("ok") is False:
            failed = True
        rows += [(name, key, _fmt(value)) for key, value in figures.items()]
    width = [max(len(r[i]) for r in [("benchmark", "figure", "value"), *rows]) for i in range(3)]
    line = "  ".join("-" * w for w in width)
    print()
    print("  ".join(h.ljust(w) for h, w in zip(("benchmark", "figure", "value"), width, strict=True)))
    print(line)
    for row in rows:
        print(f"{row[0].ljust(width[0])}  {row[1].ljust(width[1])}  {row[2].rjust(width[2])}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
