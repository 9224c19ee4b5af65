"""bench/results.md and the README's "Performance" section, from one run's figures."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import platform
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import growth
from bench.commands import FLOOR, KINDS, Latencies, percentile

BENCH_DIR = Path(__file__).resolve().parent
README = BENCH_DIR.parent / "README.md"
RESULTS = BENCH_DIR / "results.md"
BASELINE = BENCH_DIR / "baseline.json"
LAST_RUN = BENCH_DIR / "data" / "last-run.pickle"
PACKAGES = ("python-telegram-bot", "sqlite-utils", "aiohttp", "httpx", "APScheduler")


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        memory = "unknown"
    versions = []
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{name} {metadata.version(name)}")
    return {
        "cores": str(os.cpu_count()),
        "memory": memory,
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
        "packages": ", ".join(versions),
    }


@dataclass
class Figure:
    """One line of the summary: what, the target, the measured value, and whether it meets."""

    name: str
    target: str
    measured: str
    ok: bool | None  # None: no target, or not measured


@dataclass
class Run:
    started: datetime
    seconds: float = 0.0
    build_seconds: dict[int, float] = field(default_factory=dict)
    commands: list[Latencies] = field(default_factory=list)
    commands_cached: Latencies | None = None  # the proposed page cache, for comparison
    broadcast: Any = None
    paced: Any = None
    distance: list[Any] = field(default_factory=list)  # bench.fanout.DistanceResult
    changes: list[Any] = field(default_factory=list)
    startup: Any = None
    memory: Any = None
    imports: Any = None
    import_readers: Any = None  # bench.import_readers.ImportReaders
    outside: Any = None  # bench.outside.Outside
    charts: Any = None  # bench.charts.Charts
    growth: Any = None  # bench.growth.Growth
    notes: list[str] = field(default_factory=list)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _pq(values: list[float]) -> tuple[float, float]:
    return percentile(values, 0.5), percentile(values, 0.99)


def summary(run: Run) -> list[Figure]:
    out: list[Figure] = []
    big = next((c for c in run.commands if c.events == max(x.events for x in run.commands)), None)
    if big is not None and FLOOR in big.samples:
        _, floor99 = _pq(big.samples[FLOOR])
        worst = max(
            (k for k in big.samples if k != FLOOR),
            key=lambda k: _pq(big.samples[k])[1],
        )
        w99 = _pq(big.samples[worst])[1]
        out.append(
            Figure(
                f"Command p99 at {big.events:,} events, worst command ({worst})",
                "≤ 2× /start",
                f"{ms(w99)} ms = {w99 / floor99:.1f}× /start ({ms(floor99)} ms)",
                w99 <= 2 * floor99,
            )
        )
    if run.paced is not None:
        p = run.paced
        out.append(
            Figure(
                f"Paced fan-out to {p.recipients:,}, first 20 s",
                "≥ 0.95 × 30/s",
                f"{p.rate:.2f}/s = {p.rate / 30:.3f}",
                p.rate / 30 >= 0.95,
            )
        )
        out.append(Figure("… 429s provoked", "0", str(p.rate_limited), p.rate_limited == 0))
        out.append(
            Figure("… most sends in any 1 s", "≤ 30", str(p.max_per_second), p.max_per_second <= 30)
        )
    for d in run.distance:
        away = f"Bot API {d.rtt * 1000:.0f} ms away"
        if d.replies:
            p50, p99 = _pq(d.replies)
            out.append(
                Figure(
                    f"/talks during a fan-out, {away}, until the reply arrives",
                    "≤ 2 s",
                    f"p50 {p50:.2f} s, p99 {p99:.2f} s (n={len(d.replies)}); "
                    f"the fan-out meanwhile {d.rate:.2f}/s, {d.rate_limited} × 429",
                    p99 <= 2 and d.rate >= 27 and d.rate_limited == 0,
                )
            )
            continue
        out.append(
            Figure(
                f"Paced fan-out to {d.recipients}, {away}",
                "≥ 0.95 × 30/s, no 429",
                f"{d.rate:.2f}/s = {d.rate / 30:.3f}; {d.rate_limited} × 429; "
                f"max {d.max_per_second} in any 1 s",
                d.rate / 30 >= 0.95 and d.rate_limited == 0 and d.delivered == d.recipients,
            )
        )
    if run.broadcast is not None:
        runs = {(r.client, r.paced): r for r in run.broadcast.runs}
        plain = run.broadcast.server_rates.get(3)
        for client, label in (("aiohttp", "AiohttpRequest"), ("httpx", "HTTPXRequest")):
            paced, free = runs.get((client, True)), runs.get((client, False))
            if paced is None or free is None:
                continue
            against = f"; a plain aiohttp client: {plain:,.0f}/s" if plain else ""
            out.append(
                Figure(
                    f"Paid broadcast, one core, {label}",
                    "≥ 1,000/s" if client == "aiohttp" else "(comparison)",
                    f"{paced.rate:,.0f}/s as configured (the last 1,000: "
                    f"{paced.sustained:,.0f}/s; {paced.cpu_seconds / paced.sent * 1e6:,.0f} µs "
                    f"of CPU a send), {free.rate:,.0f}/s pacer off"
                    + (against if client == "aiohttp" else ""),
                    # Judged as configured: paid broadcast paced at 1,000/s.
                    paced.rate >= 1000 if client == "aiohttp" else None,
                )
            )
    if run.changes:
        c = run.changes[0]
        p50, p99 = _pq(c.latencies)
        out.append(
            Figure(
                "Change in another process → first send",
                "p50 < 0.5 s",
                f"p50 {p50:.3f} s, p99 {p99:.3f} s",
                p50 < 0.5,
            )
        )
    if run.memory is not None:
        m = run.memory
        out.append(
            Figure(
                f"Peak RSS of `sitrep run`, {m.events:,} events, {m.subscribers:,} subscribers, "
                "during a fan-out",
                "< 200 MB",
                f"{m.peak_rss_mb:.0f} MB",
                m.peak_rss_mb < 200,
            )
        )
    if run.outside is not None:
        o = run.outside
        worst = max(o.ratio("/incidents"), o.ratio("/incidents AREA"))
        out.append(
            Figure(
                f"Seen from outside (HTTP, `sitrep run`), {o.events:,} events: median round "
                "trip of /incidents and /incidents AREA",
                "≤ 1.5× /start",
                f"{o.ratio('/incidents'):.2f}× and {o.ratio('/incidents AREA'):.2f}× "
                f"(/start {o.median('/start') * 1000:.1f} ms)",
                worst <= 1.5,
            )
        )
    if run.imports is not None:
        i = run.imports
        out.append(
            Figure(
                f"ACLED import, {i.rows:,} rows, empty store",
                "(reported)",
                f"{i.rows / i.acled_seconds:,.0f} rows/s ({i.acled_seconds:.1f} s)",
                None,
            )
        )
    if run.import_readers is not None:
        r = run.import_readers
        slowest = max(r.latencies, default=float("inf"))
        out.append(
            Figure(
                f"/talks during a {r.rows:,}-row ACLED import from another process",
                "every one answered, within 1.5 s",
                f"{len(r.latencies)} of {r.sent} answered, max {slowest:.2f} s "
                f"(p99 {r.p(0.99):.2f} s, n={len(r.latencies)})",
                r.lost == 0 and slowest <= 1.5,
            )
        )
        out.append(
            Figure(
                "Longest write-lock hold of that import (seen from another connection)",
                "≤ about 1 s",
                f"{r.longest_hold:.1f} s ({r.holds_over_1s} holds over 1 s)",
                r.longest_hold <= 1.2,
            )
        )
    if run.charts is not None:
        c = run.charts
        drawing = max(c.worst("draw incidents per week (all)"), c.worst("draw the talks timeline"))
        out.append(
            Figure(
                f"/chart drawing at {c.events:,} events (worst of both charts)",
                "< 1 s",
                f"{drawing:.2f} s; the SQL aggregation before it "
                f"{c.median('aggregate incidents per week (all)'):.2f} s (median)",
                drawing < 1,
            )
        )
    if run.growth is not None:
        g = run.growth
        by = {store.label: store for store in g.stores}
        if {"kept", "compacted"} <= set(by):
            kept, small = by["kept"], by["compacted"]
            out.append(
                Figure(
                    f"A year of {growth.ALERTS_A_DAY_REAL} alerts a day to {g.subscribers:,} "
                    f"subscribers (simulated at 1/{g.scale}, scaled up)",
                    "(reported)",
                    f"file {small.full_bytes(g.scale) / 1e9:.2f} GB compacted, "
                    f"{kept.full_bytes(g.scale) / 1e9:.2f} GB kept; start-up after a crash "
                    f"about {small.full_startup(g.scale):.0f} s vs "
                    f"{kept.full_startup(g.scale):.0f} s (estimates)",
                    None,
                )
            )
    if run.startup is not None:
        s = run.startup
        out.append(
            Figure(
                f"Start-up to first getUpdates, {s.events:,} events",
                "< 2 s",
                f"{s.restart:.2f} s after a clean stop; {s.first:.2f} s when the file gets "
                f"a full quick_check ({s.quick_check:.2f} s of it)",
                s.restart < 2,
            )
        )
    return out


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "**missed**")


def summary_table(figures: list[Figure]) -> list[str]:
    lines = ["| Figure | Target | Measured | |", "| --- | --- | --- | --- |"]
    lines += [f"| {f.name} | {f.target} | {f.measured} | {_verdict(f.ok)} |" for f in figures]
    return lines


def command_tables(run: Run) -> list[str]:
    lines: list[str] = []
    sizes = [c.events for c in run.commands]
    header = "| Command | " + " | ".join(f"{n:,} events p50 / p99 (ms)" for n in sizes)
    lines += [header + " |", "| --- |" + " --- |" * len(sizes)]
    for kind in KINDS:
        cells = []
        for lat in run.commands:
            if kind not in lat.samples:
                cells.append("")
                continue
            p50, p99 = _pq(lat.samples[kind])
            f50, f99 = _pq(lat.samples[FLOOR])
            ratio = "" if kind == FLOOR else f" ({p50 / f50:.1f}× / {p99 / f99:.1f}×)"
            cells.append(f"{ms(p50)} / {ms(p99)}{ratio}")
        lines.append(f"| `{kind}` | " + " | ".join(cells) + " |")
    count = min((len(v) for c in run.commands for v in c.samples.values()), default=0)
    lines.append("")
    lines.append(
        f"{count} commands of each kind per size, shuffled, after warm-up; in brackets the ratio "
        f"to `{FLOOR}` (the floor) measured in the same run, p50 and p99."
    )
    return lines


def before_after(run: Run) -> list[str]:
    if not BASELINE.exists() or not run.commands:
        return []
    base = json.loads(BASELINE.read_text())
    lines = [
        "| Command | Size | Before p50 / p99 (ms) | After p50 / p99 (ms) |",
        "| --- | --- | --- | --- |",
    ]
    for lat in run.commands:
        before = base["sizes"].get(str(lat.events))
        if not before:
            continue
        for kind in KINDS:
            if kind not in before or kind not in lat.samples:
                continue
            p50, p99 = _pq(lat.samples[kind])
            b50, b99 = before[kind]
            lines.append(
                f"| `{kind}` | {lat.events:,} | {b50:.2f} / {b99:.2f} | {ms(p50)} / {ms(p99)} |"
            )
    return [base["note"], "", *lines]


def render(run: Run) -> str:
    info = machine()
    out = [
        "# Measured speed",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand. The machine is shared",
        "and noisy: compare figures within one run, as ratios, rather than across runs.",
        "",
        f"- Date: {run.started:%Y-%m-%d %H:%M} UTC; the whole run took {run.seconds / 60:.1f} min",
        f"- Machine: {info['cores']} cores, {info['memory']}, {info['cpu']}; {info['os']}",
        f"- Python {info['python']}, SQLite {info['sqlite']}; {info['packages']}",
    ]
    if run.build_seconds:
        built = ", ".join(f"{n:,} events in {s:.0f} s" for n, s in run.build_seconds.items())
        out.append(f"- Generated stores (cached in bench/data/ when unchanged): {built}")
    out += ["", "## Summary", "", *summary_table(summary(run))]
    if run.outside is not None:
        o = run.outside
        out += [
            "",
            "## Seen from outside",
            "",
            f"`sitrep run` as a process on {o.events:,} events, the stand-in serving the Bot "
            "API over HTTP on 127.0.0.1: from an update being queued for getUpdates to the "
            f"reply's sendMessage arriving, {len(o.samples['/start'])} of each, interleaved.",
            "",
            "| Command | median (ms) | ratio to /start |",
            "| --- | --- | --- |",
            *(
                f"| `{k}` | {o.median(k) * 1000:.2f} | {o.ratio(k):.2f}× |"
                for k in ("/start", "/incidents", "/incidents AREA")
            ),
        ]
    if run.commands:
        out += [
            "",
            "## Command latency",
            "",
            "From `await app.process_update(update)` to the reply's sendMessage (editMessageText",
            "for a page turn) reaching the stand-in's in-process FakeRequest: the real",
            "Application, handlers and store, flood gate disabled, over generated stores (ACLED",
            "incidents across Ukraine's oblasts over four years, a few hundred talks rounds with",
            "postponements, statements, subscribers). Areas, search words and record numbers vary",
            "as readers would type them (bench/commands.py).",
            "",
            *command_tables(run),
        ]
        if run.commands_cached is not None:
            lat = run.commands_cached
            f50, f99 = _pq(lat.samples[FLOOR])
            out += [
                "",
                f"The same at {lat.events:,} events, measured again with the bot's 32 MB SQLite",
                "page cache set explicitly (`PRAGMA cache_size = -32768`, as storage/db.py now",
                "does; SQLite's default of 2 MB left most lookups reading pages from the OS):",
                "",
                "| Command | p50 / p99 (ms) |",
                "| --- | --- |",
            ]
            for kind in KINDS:
                if kind in lat.samples:
                    p50, p99 = _pq(lat.samples[kind])
                    ratio = "" if kind == FLOOR else f" ({p50 / f50:.1f}× / {p99 / f99:.1f}×)"
                    out.append(f"| `{kind}` | {ms(p50)} / {ms(p99)}{ratio} |")
        ba = before_after(run)
        if ba:
            out += ["", "### Before and after the query changes", "", *ba]
    if run.paced is not None:
        p = run.paced
        out += [
            "",
            "## Fan-out, paced (`sitrep run` as a process)",
            "",
            f"One talks alert (a `sitrep reschedule` in another process) to {p.recipients:,} "
            "subscribers; the stand-in over HTTP enforcing Telegram's limits (30/s in all, "
            "1/s per chat, 20/min per group). Counted over the first 20 s from the first send:",
            "",
            f"- {p.sent_in_window} sends: {p.rate:.2f}/s, {p.rate / 30:.3f} of 30/s",
            f"- most sends in any sliding second: {p.max_per_second}",
            f"- 429 answers: {p.rate_limited}",
            f"- change to first send: {p.first_send_after:.2f} s (including the `sitrep "
            "reschedule` process's own start)",
        ]
    if run.distance:
        out += distance_section(run.distance)
    if run.broadcast is not None:
        b = run.broadcast
        out += [
            "",
            "## Fan-out, unpaced (paid broadcast, one core)",
            "",
            "A trivial HTTP server in another process (bench/canned.py, raw asyncio) answers "
            "every call with a canned sendMessage result. Its capacity, from a plain aiohttp "
            "client: "
            + ", ".join(f"{r:,.0f}/s with {c} in flight" for c, r in b.server_rates.items())
            + " (the client's limit as much as the server's; either way above the engine's).",
            "",
            "| Client | Pacer | Sends/s | The last 1,000 | CPU of the engine's process |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in b.runs:
            pacer = "1,000/s (paid broadcast)" if r.paced else "off (`rate` override)"
            out.append(
                f"| {'AiohttpRequest' if r.client == 'aiohttp' else 'HTTPXRequest'} | {pacer} "
                f"| {r.rate:,.0f} | {r.sustained:,.0f}/s | {r.cpu_seconds / r.seconds:.0%} of a "
                f"core, {r.cpu_seconds / r.sent * 1e6:,.0f} µs a send |"
            )
        out += [
            "",
            f"Each run drains one alert to {b.runs[0].sent:,} chats with the real "
            "DeliveryEngine as paid broadcast configures it (its sends in flight, those answered "
            "together recorded in one SQLite transaction on the engine's store thread), timed to "
            "the answer of the last send; CPU counts the whole process, store thread included. "
            "The pacer's window starts empty, so the first 1,000 go as fast as the engine can "
            "send them; the last 1,000 show what it sustains (at most 1,000/s).",
        ]
    if run.changes:
        out += [
            "",
            "## Change in another process → first send",
            "",
            "bench/writer.py (another process) runs `storage.schedule.reschedule` as `sitrep "
            "reschedule` does and notes the moment its commit returns; the clock stops when the "
            "stand-in answers the alert's first sendMessage from `sitrep run`. Changes come at "
            "random moments, 1.2–2 s apart.",
            "",
            "| Engine | Changes | p50 (s) | p99 (s) | Idle CPU of `sitrep run` |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in run.changes:
            p50, p99 = _pq(c.latencies)
            out.append(
                f"| {c.variant} | {len(c.latencies)} | {p50:.3f} | {p99:.3f} "
                f"| {c.idle_cpu_share:.1%} of a core |"
            )
    if run.memory is not None:
        m = run.memory
        out += [
            "",
            "## Memory",
            "",
            f"`sitrep run` on {m.events:,} events and {m.subscribers:,} subscribers; a talks "
            f"alert fans out to {m.recipients:,} chats ({m.sent} sent in the 20 s window) while "
            f"{m.commands} reader commands arrive from new readers ({m.answered} answered).",
            "",
            f"- peak RSS (VmHWM): {m.peak_rss_mb:.0f} MB; RSS at the end: {m.rss_mb:.0f} MB",
        ]
    if run.charts is not None:
        out += charts_section(run.charts)
    if run.import_readers is not None:
        out += import_readers_section(run.import_readers)
    if run.growth is not None:
        out += growth.section(run.growth)
    if run.imports is not None:
        i = run.imports
        out += [
            "",
            "## Import",
            "",
            "`sitrep import` and `sitrep export` as processes (wall time, interpreter start "
            "included), on a generated ACLED export:",
            "",
            "| Step | Time (s) | Rows/s |",
            "| --- | --- | --- |",
            f"| ACLED CSV, {i.rows:,} rows, into an empty store | {i.acled_seconds:.1f} "
            f"| {i.rows / i.acled_seconds:,.0f} |",
            f"| The same file again (unchanged: nothing written) | {i.reimport_seconds:.1f} "
            f"| {i.rows / i.reimport_seconds:,.0f} |",
            f"| `sitrep export` ({i.export_bytes / 1e6:.0f} MB of JSON) | {i.export_seconds:.1f} "
            f"| {i.rows / i.export_seconds:,.0f} |",
            f"| Own format: that export into a new store | {i.own_seconds:.1f} "
            f"| {i.rows / i.own_seconds:,.0f} |",
        ]
    if run.startup is not None:
        s = run.startup
        out += [
            "",
            "## Start-up",
            "",
            f"From starting `sitrep run` to its first getUpdates at the stand-in, "
            f"{s.events:,} events, three starts on a fresh copy of the file: "
            + ", ".join(f"{t:.2f} s" for t in s.runs)
            + ". The first finds no clean stop vouching for the file (as after a crash, a "
            "restore or a copy) and runs the full check; the others follow a clean stop.",
            "",
            f"- `PRAGMA quick_check` on that file (the full check): {s.quick_check:.2f} s",
            f"- the interpreter with the bot's imports alone: {s.imports:.2f} s",
        ]
    notes = run.notes or why(run)
    if notes:
        out += ["", "## What misses its target, and why", "", *[f"- {n}" for n in notes]]
    return "\n".join(out) + "\n"


def why(run: Run) -> list[str]:
    """The reasons behind missed targets, with this run's own figures."""
    notes: list[str] = []
    if len(run.commands) >= 2:
        small, big = run.commands[0], run.commands[-1]

        def p50_ratios(lat: Latencies) -> str:
            floor = _pq(lat.samples[FLOOR])[0]
            ratios = [_pq(v)[0] / floor for k, v in lat.samples.items() if k != FLOOR]
            return f"{min(ratios):.1f}–{max(ratios):.1f}×"

        cached = ""
        if run.commands_cached is not None:
            lat = run.commands_cached
            floor = _pq(lat.samples[FLOOR])[1]
            worst = max(_pq(v)[1] / floor for k, v in lat.samples.items() if k != FLOOR)
            cached = f" (worst p99 {worst:.1f}× the floor with a 32 MB page cache)"
        notes.append(
            "Command latency: the store's size no longer sets it. At the median the commands "
            f"cost {p50_ratios(small)} the floor at {small.events:,} events and "
            f"{p50_ratios(big)} at {big.events:,}: work done per command whatever the size, "
            "rendering five records (dates in the reader's zone, HTML), decoding their JSON "
            "columns, PTB encoding a longer message with a keyboard (a page turn also answers "
            "the callback query before editing). The p99 at a million events adds random-row "
            "reads: this machine's OS cache is smaller than the 1.5 GB file, so pages outside "
            f"the bot's 32 MB page cache are disk reads{cached}; the rest is the shared "
            "machine's noise. What would close it: render each record's list lines once per "
            "revision and keep them (they change only when the record does), so a list costs "
            "a lookup and a join rather than five renderings; the floor itself is PTB's fixed "
            "cost per update."
        )
    if run.broadcast is not None:
        runs = {(r.client, r.paced): r for r in run.broadcast.runs}
        free, paced = runs.get(("aiohttp", False)), runs.get(("aiohttp", True))
        plain = run.broadcast.server_rates.get(3)
        if free and paced and plain and paced.rate < 1000:
            busy = paced.cpu_seconds / paced.seconds
            notes.append(
                f"Paid broadcast: {paced.rate:,.0f}/s as configured, {free.rate:,.0f}/s with the "
                f"pacer off, {1000 - paced.rate:,.0f}/s short of 1,000. The engine's process used "
                f"{busy:.0%} of a core ({paced.cpu_seconds / paced.sent * 1e6:,.0f} µs of CPU a "
                f"send); a plain aiohttp client got {plain:,.0f}/s from the same server. "
                + (
                    "It is CPU-bound: per send aiohttp's client is the largest part (the body is "
                    "already one JSON dump, the answer is not parsed into a Message, at least 32 "
                    "sends are in flight and those answered together are recorded in one "
                    "transaction on the store thread). What is left: a leaner HTTP client than "
                    "aiohttp's, or two processes over disjoint chats."
                    if busy >= 0.9
                    else "It is not CPU-bound: it waited on the canned server, which shared the "
                    "machine with other work (the plain client's figure shows how much)."
                )
            )
    if run.startup is not None and run.startup.first >= 2:
        s = run.startup
        notes.append(
            f"Start-up: a start that gives the file a full `PRAGMA quick_check` (the first "
            f"after a crash, a restore or a copy) takes {s.first:.2f} s at {s.events:,} events, "
            f"{s.quick_check:.2f} s of it the check, which grows with the file; after a clean "
            f"stop the bot now skips it and starts in {s.restart:.2f} s, of which the "
            f"interpreter with PTB, aiohttp and httpx imported is {s.imports:.2f} s."
        )
    return notes


def distance_section(runs: list[Any]) -> list[str]:
    out = [
        "",
        "## Fan-out with Telegram at a distance",
        "",
        "One talks alert to 600 private subscribers through `sitrep run`; the stand-in over HTTP "
        "holds every call for half the round trip each way (plus 0-10 ms of jitter each way "
        "when not 0), counts sends on arrival and answers 429 above 30 in any second, a burst "
        "of 3 then 1 a second per chat. Rate from the first alert's arrival to the last's.",
        "",
        "| Round trip | Delivered | Sends/s | Most in any 1 s | 429s | /talks during it |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for d in runs:
        talks = "—"
        if d.replies:
            p50, p99 = _pq(d.replies)
            talks = (
                f"p50 {p50:.2f} s, p99 {p99:.2f} s, max {max(d.replies):.2f} s (n={len(d.replies)})"
            )
        out.append(
            f"| {d.rtt * 1000:.0f} ms | {d.delivered}/{d.recipients} | {d.rate:.2f} | "
            f"{d.max_per_second} | {d.rate_limited} | {talks} |"
        )
    out += [
        "",
        "/talks: one reader every 0.5 s from the first alert on, each timed from the update "
        "being queued at the stand-in to its reply arriving there (both ways of the round "
        "trip included).",
    ]
    return out


def readme_section(run: Run) -> str:
    lines = [
        "## Performance",
        "",
        f"Measured by `make bench` on {run.started:%Y-%m-%d} (2 cores, shared; stores generated "
        "from ACLED-like data); every figure, the machine and the method are in "
        "[bench/results.md](bench/results.md).",
        "",
        *summary_table(summary(run)),
    ]
    return "\n".join(lines) + "\n"


def update_readme(run: Run, path: Path = README) -> None:
    """Put the Performance section at the end of the README, replacing the previous one."""
    text = path.read_text(encoding="utf-8")
    section = readme_section(run)
    marker = "\n## Performance\n"
    if marker in text:
        before, _, after = text.partition(marker)
        rest = after.find("\n## ")
        tail = after[rest:] if rest >= 0 else ""
        text = before.rstrip("\n") + "\n\n" + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def charts_section(c: Any) -> list[str]:
    """/chart's figures: aggregation in SQL, then drawing the few rows it made."""
    out = [
        "",
        "## Charts",
        "",
        f"`/chart` on a {c.events:,}-event store ({c.store}; {c.weeks} weeks with incidents, "
        f"{c.area_weeks} in the area used, {c.rounds} talks rounds), in one process: "
        f"{len(next(iter(c.timings.values())))} runs each after a warm-up. The first chart of "
        f"a process also imports matplotlib: {c.first_import:.2f} s, once.",
        "",
        "| Step | Median (s) | Worst (s) |",
        "| --- | --- | --- |",
    ]
    out += [f"| {name} | {c.median(name):.3f} | {c.worst(name):.3f} |" for name in c.timings]
    return out


def import_readers_section(r: Any) -> list[str]:
    """Readers during an import: each /talks timed until its reply arrives."""
    worst = max(r.latencies, default=0.0)
    return [
        "",
        "## Readers during an import",
        "",
        f"`sitrep run` against the stand-in over HTTP; `sitrep import` of a {r.rows:,}-row "
        f"ACLED export in another process ({r.import_seconds:.1f} s); known readers send "
        "/talks every 0.25 s throughout, each timed from the update being queued until its "
        "reply arrives; a probe connection tries the write lock every 5 ms.",
        "",
        f"- /talks answered: {len(r.latencies)} of {r.sent} ({r.lost} lost)",
        f"- latency: p50 {r.p(0.5) * 1000:.0f} ms, p99 {r.p(0.99) * 1000:.0f} ms, "
        f"max {worst * 1000:.0f} ms (n={len(r.latencies)})",
        f"- longest write-lock hold: {r.longest_hold:.1f} s; holds over 1 s: {r.holds_over_1s}",
    ]


def write(run: Run, path: Path = RESULTS, readme: bool = True) -> None:
    path.write_text(render(run), encoding="utf-8")
    if readme:
        update_readme(run)
        with contextlib.suppress(OSError):  # a full run's figures, for `--report`
            LAST_RUN.write_bytes(pickle.dumps(run))


def now() -> datetime:
    return datetime.now(UTC)
