"""`sitrep` with the delivery engine's outbox polling changed, to measure a proposal.

Not how the bot runs: bot/delivery.py is unchanged. This only patches the running process.

    python -m bench.patched_run --poll 0.1 run          poll the outbox every 0.1 s
    python -m bench.patched_run --data-version 0.05 run check PRAGMA data_version every 50 ms
                                                        and look at the outbox only when another
                                                        connection committed (0.5 s poll kept
                                                        as a fallback)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import sys

from bot import cli
from bot.delivery import DeliveryEngine, log


def use_poll(seconds: float) -> None:
    defaults = DeliveryEngine.__init__.__kwdefaults__
    assert defaults is not None
    defaults["poll_interval"] = seconds


def use_data_version(check_every: float) -> None:
    async def run(self: DeliveryEngine) -> None:
        # A connection of its own: one that never holds a cursor open, whose snapshot is
        # therefore never pinned (a half-read cursor on the bot's connection pins it, and its
        # data_version with it). Commits by the bot's own connection count too: harmless.
        conn = sqlite3.connect(self.store.db.conn.execute("PRAGMA database_list").fetchone()[2])
        seen = conn.execute("PRAGMA data_version").fetchone()[0]
        while not self.stopping:
            try:
                busy = await self.cycle()
            except Exception:
                log.exception("delivery cycle failed; retrying shortly")
                busy = False
            if busy:
                continue
            self.wake_event.clear()
            waited = 0.0
            while not self.stopping and waited < self.poll_interval:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake_event.wait(), check_every)
                if self.wake_event.is_set():
                    break
                # Changes only when another connection (another process) committed.
                version = conn.execute("PRAGMA data_version").fetchone()[0]
                if version != seen:
                    seen = version
                    break
                waited += check_every

    DeliveryEngine.run = run  # type: ignore[method-assign]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.patched_run")
    parser.add_argument("--poll", type=float)
    parser.add_argument("--data-version", type=float)
    args, rest = parser.parse_known_args()
    if args.poll:
        use_poll(args.poll)
    if args.data_version:
        use_data_version(args.data_version)
    return cli.main(rest)


if __name__ == "__main__":
    sys.exit(main())
