"""`sitrep run`: the bot on Telegram (or any server that speaks the Bot API).

Long polling by default; `--webhook URL` for deployments with many users behind a reverse
proxy (see deploy/). The database is checked before anything else, and held with a lock so
a second bot or a restore cannot run on it at the same time.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from telegram import Update

from bot.app import build_application
from bot.logs import setup_logging
from bot.settings import Settings
from storage.db import connect
from storage.events import EventStore
from storage.maintenance import check_at_start, hold_lock, mark_clean_stop
from storage.seed import load_seed_if_empty

log = logging.getLogger("sitrep")


@dataclass(frozen=True)
class Webhook:
    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    secret: str = ""


def run(settings: Settings, webhook: Webhook | None = None) -> int:
    """Run until SIGINT or SIGTERM; in-flight alert sends finish and are recorded first."""
    if webhook is not None and not webhook.secret:
        # Generated before logging starts, so the redaction knows it: python-telegram-bot
        # logs setWebhook's parameters, secret_token included, at DEBUG.
        webhook = replace(webhook, secret=secrets.token_urlsafe(32))
    setup_logging(
        settings.log_level, settings.token, extra_secrets=[webhook.secret] if webhook else []
    )
    with hold_lock(settings.db_path, purpose="sitrep run"):
        if check_at_start(settings.db_path):
            log.info("checked %s with PRAGMA quick_check", settings.db_path)
        store = EventStore(connect(settings.db_path))
        loaded = load_seed_if_empty(store)
        if loaded:
            log.info("empty store: loaded %d seed events", loaded)
        app = build_application(settings, store)
        log.info("starting: database %s, %d events", settings.db_path, store.count())
        if webhook is None:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
        else:
            path = urlsplit(webhook.url).path.lstrip("/")
            app.run_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=path,
                webhook_url=webhook.url,
                secret_token=webhook.secret,
                allowed_updates=Update.ALL_TYPES,
            )
        store.db.close()
        mark_clean_stop(settings.db_path)
    return 0
