"""`python -m bench` (what `make bench` runs): every benchmark, then bench/results.md and the
README's "Performance" section.

    python -m bench                      everything (about 10 minutes on a clean clone, 2 cores)
    python -m bench --only commands      some sections: commands, broadcast, fanout, change,
                                         startup, memory, import, import-readers, charts,
                                         growth
    python -m bench --quick              a smoke run: few samples, small stores, no README
    python -m bench --report             results.md and README again from the last full run

Generated stores are cached in bench/data/ (gitignored), named by size and generator version.
"""

from __future__ import annotations

import argparse
import asyncio
import pickle
import shutil
import sys
import time

from bench import (
    broadcast,
    charts,
    commands,
    fanout,
    growth,
    import_readers,
    importing,
    outside,
    process,
    report,
)
from bench.datasets import DATA_DIR, copy_world, ensure_world, remove_db, world_path

SECTIONS = (
    "commands",
    "outside",
    "broadcast",
    "fanout",
    "change",
    "startup",
    "memory",
    "import",
    "import-readers",
    "charts",
    "growth",
)
SIZES = (1_000, 100_000, 1_000_000)


def log(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", help="comma-separated sections", default=",".join(SECTIONS))
    parser.add_argument("--quick", action="store_true", help="few samples, small stores")
    parser.add_argument("--samples", type=int, default=500, help="commands of each kind")
    parser.add_argument(
        "--no-experiments", action="store_true", help="skip the proposals' measurements"
    )
    parser.add_argument(
        "--report", action="store_true", help="re-render the last full run's results only"
    )
    args = parser.parse_args(argv)
    if args.report:
        last = pickle.loads(report.LAST_RUN.read_bytes())
        report.write(last)
        log(f"wrote {report.RESULTS} and the README's Performance section from the last run")
        return 0
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    sizes = (1_000, 10_000) if args.quick else SIZES
    samples = 40 if args.quick else args.samples
    experiments = not (args.quick or args.no_experiments)
    big = sizes[-1]

    run = report.Run(report.now())
    started = time.perf_counter()
    work = DATA_DIR / "work"
    work.mkdir(parents=True, exist_ok=True)

    need_worlds = {"commands", "startup", "memory"} & set(only)
    if need_worlds:
        for n in sizes if "commands" in only else (big,):
            fresh = not world_path(n).exists()
            t = time.perf_counter()
            ensure_world(n, log)
            if fresh:
                run.build_seconds[n] = time.perf_counter() - t
        log(f"stores ready: {time.perf_counter() - started:.0f} s")

    if "commands" in only:
        paths = {n: world_path(n) for n in sizes}
        run.commands = commands.run(paths, samples=samples, warmup=30, log=log)
        if experiments:
            run.commands_cached = asyncio.run(
                commands.measure(paths[big], big, samples=samples, warmup=30, cache_pragma="-32768")
            )
            log(f"commands with a 32 MB page cache at {big:,} events: done")
        _checkpoint(run, started, log)
    if "outside" in only:
        n = 10_000 if args.quick else 100_000
        scratch = work / "outside.db"
        copy_world(n, scratch, log)
        try:
            run.outside = outside.round_trips(scratch, n, rounds=40 if args.quick else 200, log=log)
        finally:
            remove_db(scratch)
        _checkpoint(run, started, log)
    if "broadcast" in only:
        run.broadcast = broadcast.run(work, sends=1000 if args.quick else 5000, log=log)
        _checkpoint(run, started, log)
    if "fanout" in only:
        run.paced = fanout.paced(work, log=log)
        run.distance = fanout.distances(work, log=log)
        _checkpoint(run, started, log)
    if "change" in only:
        changes = 6 if args.quick else 20
        run.changes.append(fanout.change_to_first_send(work, changes=changes, log=log))
        if experiments:
            changes = min(changes, 12)  # proposals: fewer changes, to keep the run short
            run.changes.append(
                fanout.change_to_first_send(
                    work,
                    changes=changes,
                    variant="poll every 0.1 s (proposal)",
                    patch=("--poll", "0.1"),
                    log=log,
                )
            )
            run.changes.append(
                fanout.change_to_first_send(
                    work,
                    changes=changes,
                    variant="PRAGMA data_version every 50 ms, 0.5 s poll (proposal)",
                    patch=("--data-version", "0.05"),
                    log=log,
                )
            )
        _checkpoint(run, started, log)
    if {"startup", "memory"} & set(only):
        scratch = work / "live.db"
        copy_world(big, scratch, log)
        try:
            if "startup" in only:
                run.startup = process.startup(scratch, log=log)
            if "memory" in only:
                run.memory = process.memory(scratch, process.talks_round_to_move(scratch), log=log)
        finally:
            remove_db(scratch)
        _checkpoint(run, started, log)
    if "import" in only:
        run.imports = importing.run(work, log=log)
        _checkpoint(run, started, log)
    if "import-readers" in only:
        rows = 10_000 if args.quick else import_readers.ROWS
        run.import_readers = import_readers.run(work, rows=rows, log=log)
        _checkpoint(run, started, log)
    if "charts" in only:
        # The cached world when a run built it; else rows written straight into the schema
        # (building a world takes long: /chart reads only the columns those rows have).
        path, kind = world_path(big), "the cached world"
        if not path.exists():
            path, kind = charts.synthetic(work / "charts.db", big), "synthetic incidents"
            log(f"charts: {big:,} synthetic events written")
        run.charts = charts.run(path, big, repeats=3 if args.quick else 5, log=log)
        run.charts.store = kind
        _checkpoint(run, started, log)

    if "growth" in only:
        # A year of deliveries, scaled (bench.growth states how): kept vs compacted.
        run.growth = growth.run(work, days=60 if args.quick else growth.DAYS, log=log)
        _checkpoint(run, started, log)

    shutil.rmtree(work, ignore_errors=True)
    run.seconds = time.perf_counter() - started
    full = set(only) == set(SECTIONS) and not args.quick
    # Only a full run may replace the published figures; a partial one goes beside the data.
    target = report.RESULTS if full else DATA_DIR / "results-partial.md"
    report.write(run, target, readme=full)
    log(f"wrote {target}" + (" and the README's Performance section" if full else ""))
    log(f"bench: {run.seconds / 60:.1f} min")
    return 0


def _checkpoint(run: report.Run, started: float, log_: object) -> None:
    log(f"[{time.perf_counter() - started:.0f} s since the start]")


if __name__ == "__main__":
    sys.exit(main())
