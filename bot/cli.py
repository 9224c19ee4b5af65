"""The `sitrep` command line: run the bot, chat locally, and curate the store from a shell."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings
from bot.terminal import ProgressLine
from handlers.curation_answers import read_edit_dates
from handlers.i18n import LANGUAGES
from handlers.problems import field_problems, record_problem
from handlers.render import public_author
from storage.acled import detect_format, plan_acled_import
from storage.claims import set_claim, split_scope
from storage.curated_dir import FolderSync
from storage.db import StoreError, connect
from storage.events import EventNotFound, EventStore, InvalidEvent
from storage.exchange import (
    FileFormatError,
    ImportBusy,
    ImportRejected,
    apply_import,
    dump_json,
    export_events,
    plan_import,
    read_records,
)
from storage.maintenance import backup, health, restore
from storage.retention import sizes
from storage.schedule import RescheduleRequest, reschedule
from storage.staging import BatchLost, unpublished


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
    from bot.runner import Webhook, run

    if not settings.token:
        return _fail("SITREP_TOKEN is not set; set it, or use `sitrep chat` to try the bot locally")
    webhook = None
    if getattr(args, "webhook", None):
        if not args.webhook.startswith("https://"):
            return _fail("--webhook needs an https:// URL (Telegram only calls HTTPS)")
        webhook = Webhook(args.webhook, args.listen, args.port, settings.webhook_secret)
    return run(settings, webhook)


def cmd_sync(settings: Settings, args: argparse.Namespace) -> int:
    folder = args.folder or settings.data_dir
    if not folder:
        return _fail("no folder: give one, or set SITREP_DATA_DIR")
    try:
        outcomes = FolderSync(Path(folder)).run(_store(settings), force=True)
    except FileFormatError as exc:
        return _fail(str(exc))
    failed = 0
    for o in outcomes:
        if o.failed:
            failed += 1
            print(f"{o.name}: NOT imported ({len(o.problems)} problem(s)); nothing in it changed")
            for problem in o.problems:
                print(f"  {record_problem(problem, 'en', html=False)}", file=sys.stderr)
        else:
            print(f"{o.name}: {o.created} new, {o.updated} changed, {o.unchanged} unchanged")
    return 1 if failed else 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    size = backup(settings.db_path, args.path)
    print(f"backed up {settings.db_path} to {args.path} ({size} bytes, integrity ok)")
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    restore(args.path, settings.db_path)
    print(f"restored {settings.db_path} from {args.path}")
    return 0


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    store = _store(settings)
    h = health(store.db.conn, settings.db_path)
    grown = sizes(store.db, settings.db_path)
    print(
        f"database       {settings.db_path} ({h.size_bytes / 1e6:.1f} MB, "
        f"WAL {grown.wal_bytes / 1e6:.1f} MB)"
    )
    print(f"events         {h.events}")
    print(f"subscribers    {h.subscribers} chats")
    print(f"outbox backlog {h.backlog} sends owed")
    print(
        f"deliveries     {grown.deliveries} rows; compacted: {grown.told_chats} chats told "
        f"of {grown.told_events} events (after {settings.delivery_retention_days} days)"
    )
    for batch in unpublished(store.db):
        doing = "being written" if batch.state == "staging" else "given up, being deleted"
        print(
            f"import batch   {batch.id}: {batch.source}, {batch.rows} rows unseen, {doing} "
            f"(started {batch.started_at}, last step {batch.heartbeat_at})"
        )
    print(f"last delivery  {h.last_delivery or 'never'}")
    print(f"last error     {h.last_error or 'none'}")
    return 0


def cmd_history(settings: Settings, args: argparse.Namespace) -> int:
    store = _store(settings)
    try:
        rec = store.get(args.id)
    except EventNotFound:
        return _fail(f"no event {args.id!r}")
    print(f"{rec['id']} (#{rec['number']}): {rec['title']}")
    for rev in store.revisions(rec["id"]):
        what = "; ".join(f"{k} {v['old']!r} -> {v['new']!r}" for k, v in rev.changes.items())
        at = rev.at
        if rev.happened:
            at += f" (happened {rev.happened}, {rev.happened_precision})"
        line = f"  #{rev.sequence} {at} {rev.author}: {what or 'created'}"
        if rev.reason:
            line += f" (why: {rev.reason})"
        if rev.source:
            line += f" [source: {rev.source.get('name', '')}]"
        print(line)
    return 0


def cmd_revert(settings: Settings, args: argparse.Namespace) -> int:
    store = _store(settings)
    try:
        state = store.state_at(args.id, args.to)
        rev = store.update(
            args.id,
            state,
            author=_os_author(),
            reason=args.reason or f"revert to revision {args.to}",
        )
    except EventNotFound as exc:
        return _fail(f"{exc}")
    except InvalidEvent as exc:
        return _fail(f"{args.id}: {field_problems(exc.errors, 'en', html=False)}")
    if rev is None:
        print(f"{args.id}: already as at revision {args.to}; nothing changed")
        return 0
    print(f"{rev.event_id}: revision {rev.sequence} restores revision {args.to}")
    return 0


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    return run_chat(settings, getattr(args, "language", None))


def cmd_start(settings: Settings, args: argparse.Namespace) -> int:
    """`make run`: the real bot with a token, the local chat without one."""
    if settings.token:
        return cmd_run(settings, args)
    print("sitrep: no SITREP_TOKEN configured: starting the local chat mode", file=sys.stderr)
    return cmd_chat(settings, args)


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    """The whole store. By default for curators (full authors, for round trips through
    `sitrep import`); `--public` for readers: every author as readers see it. `--format ics`:
    the talks calendar, for readers (it names no author)."""
    if args.format == "ics":
        from handlers.calendar import talks_calendar
        from storage.public import talks_rounds

        body = talks_calendar(talks_rounds(_store(settings)), public_url=settings.public_url)
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return 0
    events = export_events(_store(settings))
    if args.public:
        for event in events:
            for revision in event["revisions"]:
                revision["author"] = public_author(revision["author"], settings.admin_aliases)
    sys.stdout.write(dump_json(events))
    return 0


def cmd_healthz(settings: Settings, args: argparse.Namespace) -> int:
    """Ask the running bot's /healthz: exit 0 when healthy (for HEALTHCHECK and systemd)."""
    import json
    import time
    import urllib.error
    import urllib.request

    if args.url:
        url = args.url
    elif settings.http_port:
        host = "127.0.0.1" if settings.http_host in ("0.0.0.0", "::", "") else settings.http_host
        url = f"http://{host}:{settings.http_port}/healthz"
    else:
        return _fail("SITREP_HTTP_PORT is not set: the bot serves no /healthz (or give --url)")
    deadline = time.monotonic() + max(0.0, args.wait)
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, body = exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            status, body = 0, str(exc).encode()
        if status == 200 or time.monotonic() >= deadline:
            break
        time.sleep(1)  # --wait: the bot is starting; ask again each second
    try:
        print(json.dumps(json.loads(body), indent=2, ensure_ascii=False))
    except ValueError:
        print(body.decode("utf-8", "replace")[:500])
    return 0 if status == 200 else 1


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    """Import the project's JSON/YAML or an ACLED CSV export, all or nothing."""
    path = Path(args.file)
    store = _store(settings)
    show = ProgressLine(sys.stderr) if sys.stderr.isatty() else None
    try:
        fmt = args.format or detect_format(path)
        if fmt == "acled":
            records, plan = plan_acled_import(store, path, progress=show)
        else:
            records, plan = plan_import(store, read_records(path), path.name)
    except (FileFormatError, ImportBusy) as exc:
        return _fail(str(exc))
    except ImportRejected as exc:
        for problem in exc.problems:
            print(record_problem(problem, "en", html=False), file=sys.stderr)
        return _fail(f"{path}: {len(exc.problems)} invalid record(s); nothing was imported")
    finally:
        if show:
            show.finish()
    summary = f"{len(plan.created)} new, {len(plan.updated)} changed, {plan.unchanged} unchanged"
    if args.dry_run:
        for ident in plan.created:
            print(f"new      {ident}")
        for ident, delta in plan.updated.items():
            print(f"change   {ident}: {', '.join(delta)}")
        print(f"dry run: {summary}; nothing written")
        return 0
    total = len(plan.created) + len(plan.updated)
    try:
        apply_import(
            store,
            records,
            plan,
            author=f"file:{path.name}",
            reason=args.reason or f"import {path.name}",
            label=path.name,
            progress=(lambda done: show("writing rows", done, total)) if show else None,
        )
        if show:
            show("writing rows", total, total)
    except (ImportBusy, BatchLost) as exc:
        return _fail(f"{path}: {exc}; nothing was imported")
    except (InvalidEvent, EventNotFound) as exc:
        # Another writer got in between planning and writing; what it wrote was taken back.
        why = field_problems(exc.errors, "en", html=False) if isinstance(exc, InvalidEvent) else exc
        return _fail(f"{path}: the store changed during the import ({why}); nothing was imported")
    finally:
        if show:
            show.finish()
    print(f"imported {path}: {summary}")
    return 0


def cmd_reschedule(settings: Settings, args: argparse.Namespace) -> int:
    store = _store(settings)
    source = {"name": args.source} if args.source else None
    if source and args.source_url:
        source["url"] = args.source_url
    try:
        # The dates as chat's /reschedule reads them: tomorrow, a local time in the round's zone.
        typed = {"start": args.start, "end": args.end}
        dates = read_edit_dates(typed, store.get(args.id), settings.zone, store.clock())
        request = RescheduleRequest(
            start=dates.values["start"] or "",
            end=dates.values["end"],
            status=args.status,
            reason=args.reason or "",
            source=source,
        )
        rev = reschedule(store, args.id, request, author=_os_author())
    except EventNotFound:
        return _fail(f"no event {args.id!r}: give its id or number (see `sitrep export`)")
    except InvalidEvent as exc:
        return _fail(f"{args.id}: {field_problems(exc.errors, 'en', html=False)}")
    if dates.in_zone:
        print(f"{args.id}: times read in {dates.zone} ({READ_IN[dates.origin]})")
    if rev is None:
        print(f"{args.id}: already so; nothing changed")
        return 0
    changes = ", ".join(f"{k} {v['old']} -> {v['new']}" for k, v in rev.changes.items())
    print(f"{rev.event_id}: revision {rev.sequence}: {changes}")
    return 0


READ_IN = {"record": "the round's zone", "chat": "SITREP_TZ", "given": "the zone given"}


def cmd_claim(settings: Settings, args: argparse.Namespace) -> int:
    store = _store(settings)
    source = {"name": args.source} if args.source else None
    if source and args.source_url:
        source["url"] = args.source_url
    try:
        rev = set_claim(
            store,
            args.id,
            args.status,
            author=_os_author(),
            scope=split_scope(args.scope) if args.scope else None,
            reason=args.reason or "",
            source=source,
        )
    except EventNotFound:
        return _fail(f"no event {args.id!r}: give its id or number (see `sitrep export`)")
    except InvalidEvent as exc:
        return _fail(f"{args.id}: {field_problems(exc.errors, 'en', html=False)}")
    if rev is None:
        print(f"{args.id}: already so; nothing changed")
        return 0
    claim = rev.changes["claim"]
    old = (claim["old"] or {}).get("status", "no claim")
    print(f"{rev.event_id}: revision {rev.sequence}: claim {old} -> {claim['new']['status']}")
    return 0


def cmd_board(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio

    from bot.boards import board_for_channel

    if not settings.token:
        return _fail("SITREP_TOKEN is not set: the board is posted to Telegram")
    if not settings.channel:
        return _fail("SITREP_CHANNEL is not set: it names the channel that gets the board")
    print(asyncio.run(board_for_channel(settings, _store(settings), off=args.off)))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="sitrep",
        description="A Telegram bot for conflict updates over a curated event store.",
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot on Telegram (long polling); needs SITREP_TOKEN")
    run.add_argument("--webhook", metavar="URL", help="receive updates at this https URL instead")
    run.add_argument("--listen", default="127.0.0.1", help="webhook: address to bind")
    run.add_argument("--port", type=int, default=8443, help="webhook: port to bind")
    chat = sub.add_parser(
        "chat", help="talk to the bot in this terminal, offline, on the local store"
    )
    chat.add_argument(
        "--language",
        choices=LANGUAGES,
        help="the language you read (your Telegram client's, in effect); default SITREP_LANGUAGE",
    )
    sub.add_parser("start", help="`run` when a token is configured, otherwise `chat`")
    export = sub.add_parser(
        "export", help="print the whole store as JSON (full authors: for curators)"
    )
    export.add_argument(
        "--public",
        action="store_true",
        help="for readers: authors as readers see them (a curator's alias, else 'editor')",
    )
    export.add_argument(
        "--format",
        choices=("json", "ics"),
        default="json",
        help="json: every record (the import format); ics: the talks calendar",
    )
    imp = sub.add_parser("import", help="import events from JSON/YAML or an ACLED CSV export")
    imp.add_argument("file", help="the file to import")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument("--reason", help="why, recorded in each revision")
    imp.add_argument(
        "--format",
        choices=("own", "acled"),
        help="own (JSON/YAML) or acled (CSV); default: ACLED when the header is ACLED's",
    )
    res = sub.add_parser("reschedule", help="move a talks round to new dates")
    res.add_argument("id", help="the event's id or number")
    res.add_argument(
        "--start",
        required=True,
        help="new start: YYYY-MM-DD, an ISO datetime, tomorrow, or a local time "
        "('2026-02-06 10:00', 'tomorrow 14:00') read in the round's zone",
    )
    res.add_argument("--end", help="new end, in the same forms (default: none, a single day)")
    res.add_argument("--status", help="scheduled, postponed, held or cancelled")
    res.add_argument("--reason", help="why it moved, shown to readers")
    res.add_argument("--source", help="who announced it (shown as the source)")
    res.add_argument("--source-url", help="where it was announced")
    _more_commands(sub)
    return top


def _more_commands(sub: argparse._SubParsersAction) -> None:
    hist = sub.add_parser("history", help="every revision of an event")
    hist.add_argument("id", help="the event's id or number")
    rev = sub.add_parser("revert", help="restore an earlier revision, as a new revision")
    rev.add_argument("id", help="the event's id or number")
    rev.add_argument(
        "--to", type=int, required=True, metavar="SEQUENCE", help="revision to restore"
    )
    rev.add_argument("--reason", help="why, recorded in the revision")
    back = sub.add_parser("backup", help="a consistent copy of the database, safe while running")
    back.add_argument("path", help="the new backup file")
    rest = sub.add_parser("restore", help="replace the database with a backup (bot stopped)")
    rest.add_argument("path", help="the backup file")
    sub.add_parser("status", help="store size, outbox backlog, last delivery and last error")
    claim = sub.add_parser("claim", help="set a claim's status (a statement becomes a claim)")
    claim.add_argument("id", help="the statement's id or number")
    claim.add_argument("--status", required=True, help="unverified, confirmed, disputed or false")
    claim.add_argument("--scope", help="places, regions or countries, comma-separated")
    claim.add_argument("--reason", help="why, shown to readers with the status")
    claim.add_argument("--source", help="on whose word (required but for unverified)")
    claim.add_argument("--source-url", help="where")
    hz = sub.add_parser("healthz", help="ask the running bot's /healthz; exit 0 when healthy")
    hz.add_argument("--url", help="default: http://SITREP_HTTP_HOST:SITREP_HTTP_PORT/healthz")
    hz.add_argument(
        "--wait", type=float, default=0.0, metavar="SECONDS", help="keep asking while starting"
    )
    board = sub.add_parser(
        "board", help="post and pin a status board in SITREP_CHANNEL, kept up to date by the bot"
    )
    board.add_argument("--off", action="store_true", help="stop the board and unpin it")
    sync = sub.add_parser("sync", help="import what changed in a folder of curated files")
    sync.add_argument("folder", nargs="?", help="the folder (default: SITREP_DATA_DIR)")


COMMANDS = {
    "healthz": cmd_healthz,
    "sync": cmd_sync,
    "history": cmd_history,
    "revert": cmd_revert,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "status": cmd_status,
    "run": cmd_run,
    "chat": cmd_chat,
    "start": cmd_start,
    "export": cmd_export,
    "import": cmd_import,
    "reschedule": cmd_reschedule,
    "claim": cmd_claim,
    "board": cmd_board,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings: Settings | None = None
    try:
        settings = load_settings()
        return COMMANDS[args.command](settings, args)
    except SettingsError as exc:
        return _fail(f"configuration: {exc}", 2)
    except StoreError as exc:
        return _fail(str(exc), 3)
    except sqlite3.DatabaseError as exc:  # read-only file, full disk, locked too long
        return _fail(f"the database cannot be used: {exc}", 3)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # anything else: one redacted line, never a raw traceback
        # A rejected token comes back inside PTB's own message (InvalidToken); the log's
        # redaction filter covers log lines, so this path redacts by hand.
        token = settings.token if settings else os.environ.get("SITREP_TOKEN", "")
        message = f"{type(exc).__name__}: {exc}"
        logging.getLogger("sitrep").debug("fatal error", exc_info=True)
        return _fail(message.replace(token, "[TOKEN]") if token else message, 1)


if __name__ == "__main__":
    sys.exit(main())
