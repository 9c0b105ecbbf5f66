"""A Celery app on the embedded broker alone (no Django), for the broker's stress test: its one task
appends its argument to a log file, so the test can count how often each task ran.

The folder comes from BROKER_TEST_DIR; BROKER_TEST_TRANSPORT=filesystem selects kombu's filesystem
transport instead (the broker used before, for comparison)."""

import os
from pathlib import Path

from celery import Celery

from initiative.broker import embedded_broker

folder = Path(os.environ["BROKER_TEST_DIR"])
if os.environ.get("BROKER_TEST_TRANSPORT") == "filesystem":
    queue = folder / "queue"
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    url, options = (
        "filesystem://",
        {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
        },
    )
else:
    url, options = embedded_broker(folder)

app = Celery("broker_stress", broker=url)
app.conf.update(
    broker_transport_options=options,
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@app.task(name="tests.record_run")
def record_run(number: int) -> None:
    # One short O_APPEND write per run: atomic, so lines of the two pool processes never interleave.
    with open(folder / "runs.log", "a") as log:
        log.write(f"{number}\n")
