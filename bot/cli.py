"""The `sitrep` command line: run the bot, chat locally, and curate the store from a shell."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings
from storage.db import StoreError, connect
from storage.events import EventNotFound, EventStore, InvalidEvent
from storage.exchange import (
    FileFormatError,
    ImportRejected,
    apply_import,
    dump_json,
    export_events,
    plan_import,
    read_records,
)
from storage.schedule import RescheduleRequest, reschedule


def _os_author() -> str:
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):
        return "os:unknown"


def _fail(message: str, code: int = 1) -> int:
    print(f"sitrep: {message}", file=sys.stderr)
    return code


def _store(settings: Settings) -> EventStore:
    return EventStore(connect(settings.db_path))


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runner import run_polling

    if not settings.token:
        return _fail("SITREP_TOKEN is not set; set it, or use `sitrep chat` to try the bot locally")
    return run_polling(settings)


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    return run_chat(settings)


def cmd_start(settings: Settings, args: argparse.Namespace) -> int:
    """`make run`: the real bot with a token, the local chat without one."""
    if settings.token:
        return cmd_run(settings, args)
    print("sitrep: no SITREP_TOKEN configured: starting the local chat mode", file=sys.stderr)
    return cmd_chat(settings, args)


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    sys.stdout.write(dump_json(export_events(_store(settings))))
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    store = _store(settings)
    try:
        raw = read_records(path)
        records, plan = plan_import(store, raw, path.name)
    except FileFormatError as exc:
        return _fail(str(exc))
    except ImportRejected as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return _fail(f"{path}: {len(exc.problems)} invalid record(s); nothing was imported")
    summary = f"{len(plan.created)} new, {len(plan.updated)} changed, {plan.unchanged} unchanged"
    if args.dry_run:
        for ident in plan.created:
            print(f"new      {ident}")
        for ident, delta in plan.updated.items():
            print(f"change   {ident}: {', '.join(delta)}")
        print(f"dry run: {summary}; nothing written")
        return 0
    author = f"file:{path.name}"
    apply_import(store, records, plan, author=author, reason=args.reason or f"import {path.name}")
    print(f"imported {path}: {summary}")
    return 0


def cmd_reschedule(settings: Settings, args: argparse.Namespace) -> int:
    store = _store(settings)
    source = {"name": args.source} if args.source else None
    if source and args.source_url:
        source["url"] = args.source_url
    request = RescheduleRequest(
        start=args.start,
        end=args.end,
        status=args.status,
        reason=args.reason or "",
        source=source,
    )
    try:
        rev = reschedule(store, args.id, request, author=_os_author())
    except EventNotFound:
        return _fail(f"no event {args.id!r}: give its id or number (see `sitrep export`)")
    except InvalidEvent as exc:
        return _fail(f"{args.id}: {exc}")
    if rev is None:
        print(f"{args.id}: already so; nothing changed")
        return 0
    changes = ", ".join(f"{k} {v['old']} -> {v['new']}" for k, v in rev.changes.items())
    print(f"{rev.event_id}: revision {rev.sequence}: {changes}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sitrep",
        description="A Telegram bot for conflict updates over a curated event store.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the bot on Telegram (long polling); needs SITREP_TOKEN")
    sub.add_parser("chat", help="talk to the bot in this terminal, offline, on the local store")
    sub.add_parser("start", help="`run` when a token is configured, otherwise `chat`")
    sub.add_parser("export", help="print the whole store as JSON")
    imp = sub.add_parser("import", help="import events from a JSON or YAML file")
    imp.add_argument("file", help="the file to import")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument("--reason", help="why, recorded in each revision")
    res = sub.add_parser("reschedule", help="move a talks round to new dates")
    res.add_argument("id", help="the event's id or number")
    res.add_argument("--start", required=True, help="new start: YYYY-MM-DD or an ISO datetime")
    res.add_argument("--end", help="new end (default: none, a single day)")
    res.add_argument("--status", help="scheduled, postponed, held or cancelled")
    res.add_argument("--reason", help="why it moved, shown to readers")
    res.add_argument("--source", help="who announced it (shown as the source)")
    res.add_argument("--source-url", help="where it was announced")
    return top


COMMANDS = {
    "run": cmd_run,
    "chat": cmd_chat,
    "start": cmd_start,
    "export": cmd_export,
    "import": cmd_import,
    "reschedule": cmd_reschedule,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        return COMMANDS[args.command](settings, args)
    except SettingsError as exc:
        return _fail(f"configuration: {exc}", 2)
    except StoreError as exc:
        return _fail(str(exc), 3)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
