"""The project's benchmarks: `python -m bench [name ...]` (or `make bench`).

Each benchmark is a module `bench/<name>.py` with `run() -> dict` returning its figures (numbers or
short strings). A figure named "ok" (bool) says whether the budget was met. A benchmark that cannot run
raises `BenchmarkError` with a message saying why; the runner prints it and exits non-zero.
"""


class BenchmarkError(Exception):
    """The benchmark could not run (wrong environment) or could not finish."""
