"""`sitrep run`: the bot on Telegram (or any server that speaks the Bot API), long polling."""

from __future__ import annotations

import logging

from telegram import Update

from bot.app import build_application
from bot.logs import setup_logging
from bot.settings import Settings
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty

log = logging.getLogger("sitrep")


def run_polling(settings: Settings) -> int:
    setup_logging(settings.log_level, settings.token)
    store = EventStore(connect(settings.db_path))
    loaded = load_seed_if_empty(store)
    if loaded:
        log.info("empty store: loaded %d seed events", loaded)
    app = build_application(settings, store)
    log.info("starting: database %s, %d events", settings.db_path, store.count())
    app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
