"""Run every `bench/<name>.py` module's `run() -> dict`, or only the names given:
`python -m bench [name ...]`. Prints each module's figures as JSON lines."""

import importlib
import json
import os
import pkgutil
import sys
import time


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import bench

    names = argv or sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        figures = module.run()
        figures["wall_seconds"] = round(time.perf_counter() - started, 2)
        print(json.dumps({"bench": name, **figures}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
