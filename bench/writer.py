"""A second process that changes the store, for change-to-first-send timing.

It does what `sitrep reschedule` does (`storage.schedule.reschedule` on its own connection),
but stays up between changes, so each change's moment is known to the microsecond rather than
to a process start-up. One line in, one line out:

    python -m bench.writer DB           stdin:  ROUND_ID START
                                        stdout: DONE <time.monotonic() after the commit>
"""

from __future__ import annotations

import sys
import time

from storage.db import connect
from storage.events import EventStore
from storage.schedule import RescheduleRequest, reschedule


def main() -> int:
    store = EventStore(connect(sys.argv[1]))
    print("READY", flush=True)
    for line in sys.stdin:
        ref, start = line.split()
        request = RescheduleRequest(start=start, reason="benchmark", source={"name": "bench"})
        reschedule(store, ref, request, author="os:bench")  # commits before returning
        print(f"DONE {time.monotonic():.6f}", flush=True)
    store.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
