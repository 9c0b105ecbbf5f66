"""Benchmarks of the project's budgets (`make bench` = `python -m bench`). Each `bench/<name>.py`
module has `run() -> dict` of figures."""
