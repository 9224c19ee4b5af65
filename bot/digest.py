"""Daily digests, as JobQueue jobs rebuilt from the store.

One job per chat that reads a digest (`digest:<chat id>`), daily at its local time in its
own zone, replacing its old self when the time or the zone changes. Jobs live in memory
only: `sync()` plans them all at start, and `send_missed()` makes, once, each digest that
fell due while the bot was down. Firing gathers what the chat's digest held since the one
before into a summary (storage.held) and wakes the delivery engine, which sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from telegram.ext import ContextTypes, JobQueue

from handlers.common import Deps, off_loop
from storage.held import DigestChat, Holds

log = logging.getLogger("sitrep.digest")

PREFIX = "digest:"
# A digest the scheduler could not run on time (a blocked loop, a suspended machine) still
# goes if it is less than this late; one missed by more is made by send_missed at start.
GRACE = timedelta(hours=1)


def job_id(chat_id: int) -> str:
    return f"{PREFIX}{chat_id}"


class Digests:
    """Keeps the JobQueue's digest jobs equal to the chats' digest settings."""

    def __init__(
        self,
        job_queue: JobQueue,
        holds: Holds,
        on_summary: Callable[[], None],
        deps: Deps | None = None,
    ):
        self.job_queue = job_queue
        self.holds = holds
        self.on_summary = on_summary
        # The bot's Deps: firing gathers the digest off the loop (handlers.common.off_loop).
        self.deps = deps

    def _plan(self, chat: DigestChat) -> None:
        name = job_id(chat.chat_id)
        self.job_queue.run_daily(
            self.fire,
            time=time(chat.at.hour, chat.at.minute, tzinfo=chat.zone),
            name=name,
            data=chat.chat_id,
            job_kwargs={
                "id": name,
                "replace_existing": True,
                "misfire_grace_time": int(GRACE.total_seconds()),
                "coalesce": True,
            },
        )

    def _remove(self, name: str) -> None:
        for job in self.job_queue.get_jobs_by_name(name):
            job.schedule_removal()

    def sync(self) -> list[str]:
        """Every digest chat gets its job; a job whose chat stopped digests goes."""
        wanted = {job_id(c.chat_id): c for c in self.holds.digest_chats()}
        for job in self.job_queue.jobs():
            if job.name and job.name.startswith(PREFIX) and job.name not in wanted:
                job.schedule_removal()
        for chat in wanted.values():
            self._plan(chat)
        log.debug("digests planned: %d", len(wanted))
        return sorted(wanted)

    def sync_chat(self, chat_id: int) -> None:
        """One chat's digest changed (its time, its zone, on or off)."""
        found = self.holds.digest_chats(chat_id)
        if found:
            self._plan(found[0])
        else:
            self._remove(job_id(chat_id))

    async def send_missed(self) -> list[int]:
        """Make each digest that fell due while the bot was down: once, now (off the loop:
        each is a write)."""
        if self.deps is None:
            made = _make_missed(self.holds)
        else:
            clock, zone = self.holds.clock, self.holds.default_zone
            made = await off_loop(self.deps, lambda d: _make_missed(Holds(d.store.db, clock, zone)))
        if made:
            log.info("digests missed while stopped, made now: %d", len(made))
            self.on_summary()
        return made

    async def fire(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The job callback: the chat's digest falls due."""
        job = context.job
        if job is None or not isinstance(job.data, int):
            return
        chat_id: int = job.data
        if self.deps is None:
            self.make(chat_id)
            return
        clock, zone = self.holds.clock, self.holds.default_zone
        made = await off_loop(
            self.deps, lambda d: Holds(d.store.db, clock, zone).open_digest(chat_id)
        )
        if made is not None:
            self.on_summary()

    def make(self, chat_id: int) -> int | None:
        """Gather the digest (None when nothing changed: nothing is sent) and wake delivery."""
        summary_id = self.holds.open_digest(chat_id)
        if summary_id is not None:
            self.on_summary()
        return summary_id

    def next_run(self, chat_id: int) -> datetime | None:
        """When the chat's digest job runs next (for /digest and tests)."""
        for job in self.job_queue.get_jobs_by_name(job_id(chat_id)):
            return job.next_t
        return None


def _make_missed(holds: Holds) -> list[int]:
    """The digests missed while the bot was down, made over `holds`' connection."""
    return [s for chat_id in holds.missed_digests() if (s := holds.open_digest(chat_id))]
