"""A journey stepper in its own process, for test_workers. `python -m … <now> <mode> <size>`.

mode "freeze": claim one batch, write its side effects, then hold the claimed rows inside the
open transaction until killed. mode "work": wait for the file named by JOURNEYS_GO (so the slow
process start-up overlaps), then step until nothing is claimable for a while.
"""

import datetime as dt
import os
import sys
import time
from typing import Any


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearly.settings")
    django.setup()
    from dearly.delivery.models import OutboxMessage
    from dearly.journeys import stepper
    from dearly.journeys.models import StepRun

    now, mode, size = dt.datetime.fromisoformat(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    if mode == "freeze":

        def hold(*args: Any, **kwargs: Any) -> None:
            print(f"HOLDING {OutboxMessage.objects.count()}", flush=True)
            time.sleep(600)

        StepRun.objects.bulk_create = hold  # type: ignore[method-assign, assignment]
        stepper.step_batch(now=now, size=size, worker="frozen")
        return
    go = os.environ["JOURNEYS_GO"]
    while not os.path.exists(go):
        time.sleep(0.02)
    idle = 0
    while idle < 30:
        claimed, _ = stepper.step_batch(now=now, size=size, worker=f"w{os.getpid()}")
        idle = 0 if claimed else idle + 1
        if not claimed:
            time.sleep(0.05)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
