"""Minimal valid records of each kind, for tests to vary one field at a time."""

from __future__ import annotations

from typing import Any

SOURCE = {"name": "Test wire", "url": "https://example.org/report"}


def talks(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "talks-test",
        "kind": "talks",
        "title": "Test talks round",
        "status": "scheduled",
        "start": "2026-03-10",
        "timezone": "Asia/Dubai",
        "sources": [dict(SOURCE)],
    }
    record.update(fields)
    return record


def incident(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "incident-test",
        "kind": "incident",
        "title": "Test strike",
        "status": "reported",
        "start": "2026-01-10",
        "timezone": "Europe/Kyiv",
        "sources": [dict(SOURCE)],
    }
    record.update(fields)
    return record


def statement(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "statement-test",
        "kind": "statement",
        "title": "Test statement",
        "start": "2026-01-12",
        "timezone": "UTC",
        "speaker": "A Spokesperson",
        "quote": "We have nothing to add.",
        "sources": [dict(SOURCE)],
    }
    record.update(fields)
    return record


MAKERS = {"talks": talks, "incident": incident, "statement": statement}
