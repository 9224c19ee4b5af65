"""Re-reading SITREP_DATA_DIR on a schedule, as a JobQueue job; failures go to the curators."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from handlers.catalogue import text
from handlers.common import Deps, off_loop
from handlers.i18n import DEFAULT_LANGUAGE, use_language
from handlers.problems import record_problem
from handlers.render import clip, esc, split_message
from storage.curated_dir import FileOutcome, FolderSync
from storage.events import EventStore

log = logging.getLogger("sitrep.sync")
JOB_NAME = "curated-folder"


def report(outcome: FileOutcome) -> str:
    problems = "\n".join(
        f"• {esc(clip(record_problem(p, html=False), 300))}" for p in outcome.problems[:20]
    )
    more = len(outcome.problems) - 20
    if more > 0:
        problems += "\n" + text("sync_more", count=more)
    return text("sync_failed", name=esc(outcome.name), problems=problems)


class FolderJob:
    """The scheduled pass over the folder; writes alert through the outbox like any other."""

    def __init__(
        self,
        store: EventStore,
        folder: Path,
        curators_chat: int | None,
        on_change: Callable[[], object],
        language_of: Callable[[int], str] = lambda chat_id: DEFAULT_LANGUAGE,
        deps: Deps | None = None,
    ):
        self.store = store
        # The bot's Deps: the folder is read and imported off the loop (a long write).
        self.deps = deps
        self.sync = FolderSync(folder)
        self.curators_chat = curators_chat
        self.on_change = on_change
        # The language a chat reads (its /language, else SITREP_LANGUAGE).
        self.language_of = language_of

    def schedule(self, job_queue: JobQueue, minutes: float) -> None:
        job_queue.run_repeating(
            self.run,
            interval=minutes * 60,
            first=1,
            name=JOB_NAME,
            job_kwargs={"id": JOB_NAME, "replace_existing": True, "misfire_grace_time": 60},
        )

    async def run(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            if self.deps is None:
                outcomes = self.sync.run(self.store)
            else:
                outcomes = await off_loop(self.deps, lambda d: self.sync.run(d.store))
        except Exception:
            log.exception("curated folder %s could not be read", self.sync.folder)
            return
        if any(o.created or o.updated for o in outcomes):
            self.on_change()
        for outcome in outcomes:
            if outcome.failed:
                log.error(
                    "curated file %s not imported: %s",
                    outcome.name,
                    "; ".join(record_problem(p, "en", html=False) for p in outcome.problems),
                )
                await self._tell_curators(context, outcome)
            elif outcome.created or outcome.updated:
                log.info(
                    "curated file %s: %d new, %d changed",
                    outcome.name,
                    outcome.created,
                    outcome.updated,
                )

    async def _tell_curators(
        self, context: ContextTypes.DEFAULT_TYPE, outcome: FileOutcome
    ) -> None:
        if self.curators_chat is None:
            return
        with use_language(self.language_of(self.curators_chat)):
            parts = split_message(report(outcome))
        for part in parts:
            try:
                await context.bot.send_message(self.curators_chat, part)
            except TelegramError as exc:
                log.warning("could not report to the curators chat: %s", exc)
                return
