"""Logging that never shows the bot token, whatever library writes the line."""

from __future__ import annotations

import logging
import sys


class RedactToken(logging.Filter):
    """Replace the token wherever it appears in a record's message, arguments or traceback."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def _clean(self, value: str) -> str:
        for secret in self.secrets:
            value = value.replace(secret, "[TOKEN]")
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        # Format once with the arguments, then keep only the cleaned text.
        record.msg = self._clean(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def setup_logging(
    level: str, token: str, stream: object = None, extra_secrets: list[str] | None = None
) -> None:
    """One stderr handler with the redaction filter; httpx's per-request lines at WARNING."""
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken([token, *(extra_secrets or [])]))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL, and the URL carries the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING if level != "DEBUG" else logging.INFO)
