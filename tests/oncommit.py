"""What a transaction queued for after its commit, as tests read it."""


def queued_tasks(callbacks) -> list[str]:
    """The names of the Celery tasks among on-commit callbacks (`delay_on_commit` queues a partial of the
    task's `delay`), in order; the caches' own callbacks (a new generation on commit) left out."""
    return sorted(c.func.__self__.name for c in callbacks if hasattr(getattr(c, "func", None), "__self__"))
