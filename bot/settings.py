"""Configuration from the environment, or an optional .env file in the working directory."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from dotenv import dotenv_values

from handlers.i18n import DEFAULT_LANGUAGE, LANGUAGES, supported
from storage.timeparse import zone_or_error

DEFAULT_API = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    """A setting has a value the bot cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    token: str = ""
    api_base_url: str = DEFAULT_API
    db_path: str = "./sitrep.db"
    admins: frozenset[int] = field(default_factory=frozenset)
    # The public name each curator chose (SITREP_ADMINS=9001:Newsroom desk); others: "editor".
    admin_aliases: dict[int, str] = field(default_factory=dict)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Kyiv"))
    log_level: str = "INFO"
    channel: str = ""  # a chat id or @name that receives every alert
    curators_chat: int | None = None  # where errors and failed curated files are reported
    data_dir: str = ""  # a folder of curated files re-read on a schedule
    sync_minutes: float = 5.0
    paid_broadcast: bool = False
    # The language of groups and of users whose Telegram client is in a language the bot
    # does not speak (SITREP_LANGUAGE); a chat may choose its own with /language.
    language: str = DEFAULT_LANGUAGE
    webhook_secret: str = ""  # checked on each webhook call; never logged, like the token
    http_port: int | None = None  # the web pages and calendar feed; None: no HTTP server
    http_host: str = "127.0.0.1"
    public_url: str = ""  # where readers reach the web pages, e.g. https://sitrep.example.org
    # Finished delivery rows older than this are compacted (storage.retention); 0 keeps all.
    delivery_retention_days: int = 90

    def __repr__(self) -> str:
        # The token must never reach a log line, even through a repr.
        shown = "set" if self.token else "unset"
        return f"Settings(token={shown}, db_path={self.db_path!r}, api={self.api_base_url!r})"


def read_dotenv(path: Path) -> dict[str, str]:
    """The settings in a .env file, read as python-dotenv reads it (and as a shell would).

    Comments (whole lines, and ` # ...` after a value), single or double quotes, `export`
    before a name and `${NAME}` references all work; a name without `=` is ignored.
    """
    if not path.is_file():
        return {}
    values = dotenv_values(path, encoding="utf-8")
    return {key: value for key, value in values.items() if value is not None}


MAX_ALIAS = 60


def parse_admins(value: str) -> tuple[set[int], dict[int, str]]:
    """`9001:Newsroom desk, 9002`: curators' user ids, and the public alias each chose."""
    admins: set[int] = set()
    aliases: dict[int, str] = {}
    for part in value.split(","):
        user, colon, alias = part.partition(":")
        user, alias = user.strip(), " ".join(alias.split())
        if not user and not colon:
            continue
        if not user.lstrip("-").isdigit():
            raise SettingsError(f"SITREP_ADMINS: {user[:20]!r} is not a Telegram user id")
        if colon and not 0 < len(alias) <= MAX_ALIAS:
            raise SettingsError(
                f"SITREP_ADMINS: the alias of {user} must be 1 to {MAX_ALIAS} characters"
            )
        admins.add(int(user))
        if alias:
            aliases[int(user)] = alias
    return admins, aliases


def _chat_id(value: str, name: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit():
        raise SettingsError(f"{name}: {value[:30]!r} is not a chat id")
    return int(value)


def _minutes(value: str) -> float:
    try:
        minutes = float(value) if value.strip() else 5.0
    except ValueError:
        raise SettingsError(f"SITREP_SYNC_MINUTES: {value[:20]!r} is not a number") from None
    if not 0.1 <= minutes <= 1440:
        raise SettingsError("SITREP_SYNC_MINUTES: between 0.1 and 1440")
    return minutes


def _retention_days(value: str) -> int:
    text = value.strip()
    if not text:
        return 90
    if not text.isdigit() or int(text) > 36_500:
        raise SettingsError(
            f"SITREP_DELIVERY_RETENTION_DAYS: {value[:20]!r} is not a number of days "
            "(0 to 36500; 0 keeps every delivery)"
        )
    return int(text)


def _port(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) > 65535:
        raise SettingsError(f"SITREP_HTTP_PORT: {value[:20]!r} is not a port (0 to 65535)")
    return int(value)  # 0: any free port (the log line names it)


def _public_url(value: str) -> str:
    value = value.strip().rstrip("/")
    if value and not re.fullmatch(r"https?://[^\s<>\"'/?#]+(/[^\s<>\"'?#]*)?", value):
        raise SettingsError(
            f"SITREP_PUBLIC_URL: {value[:60]!r} is not an http(s) address such as "
            "https://sitrep.example.org"
        )
    return value


def load_settings(environ: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Settings from `environ` (default os.environ), with .env filling in what is unset."""
    env = dict(read_dotenv(dotenv or Path(".env")))
    env.update(os.environ if environ is None else environ)
    admins, aliases = parse_admins(env.get("SITREP_ADMINS", ""))
    try:
        zone = zone_or_error(env.get("SITREP_TZ") or "Europe/Kyiv")
    except ValueError as exc:
        raise SettingsError(f"SITREP_TZ: {exc}") from None
    language = supported(env.get("SITREP_LANGUAGE") or DEFAULT_LANGUAGE)
    if language is None:
        raise SettingsError(
            f"SITREP_LANGUAGE: {env.get('SITREP_LANGUAGE', '')[:20]!r} is not one of "
            + ", ".join(LANGUAGES)
        )
    level = (env.get("SITREP_LOG_LEVEL") or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingsError(f"SITREP_LOG_LEVEL: {level[:20]!r} is not a log level")
    return Settings(
        token=env.get("SITREP_TOKEN", "").strip(),
        api_base_url=env.get("SITREP_API_BASE_URL") or DEFAULT_API,
        db_path=env.get("SITREP_DB") or "./sitrep.db",
        admins=frozenset(admins),
        admin_aliases=aliases,
        zone=zone,
        log_level=level,
        channel=(env.get("SITREP_CHANNEL") or "").strip(),
        curators_chat=_chat_id(env.get("SITREP_CURATORS_CHAT", ""), "SITREP_CURATORS_CHAT"),
        data_dir=(env.get("SITREP_DATA_DIR") or "").strip(),
        sync_minutes=_minutes(env.get("SITREP_SYNC_MINUTES", "")),
        paid_broadcast=(env.get("SITREP_PAID_BROADCAST") or "").strip().lower()
        in ("1", "true", "yes", "on"),
        webhook_secret=(env.get("SITREP_WEBHOOK_SECRET") or "").strip(),
        http_port=_port(env.get("SITREP_HTTP_PORT", "")),
        http_host=(env.get("SITREP_HTTP_HOST") or "127.0.0.1").strip(),
        public_url=_public_url(env.get("SITREP_PUBLIC_URL", "")),
        delivery_retention_days=_retention_days(env.get("SITREP_DELIVERY_RETENTION_DAYS", "")),
        language=language,
    )
