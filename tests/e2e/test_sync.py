"""SITREP_DATA_DIR: changed files are imported, a bad file changes nothing and is reported."""

from __future__ import annotations

import json
from pathlib import Path

from telegram.ext import CallbackContext

from bot.sync import FolderJob
from storage.exchange import dump_json, export_events
from tests.e2e.harness import Harness

CURATORS = -100555


def talks_round(ident: str, start: str = "2026-03-10") -> dict[str, object]:
    return {
        "id": ident,
        "kind": "talks",
        "title": f"Round {ident}",
        "status": "scheduled",
        "start": start,
        "timezone": "Europe/Istanbul",
        "place": "Istanbul",
        "sources": [{"name": "Foreign ministry"}],
    }


async def test_folder_pass_imports_changes_and_reports_bad_files(
    bot: Harness, tmp_path: Path
) -> None:
    bot.open_chat(CURATORS, "supergroup")  # the bot is a member of the curators' group
    woken: list[int] = []
    job = FolderJob(bot.store, tmp_path, CURATORS, lambda: woken.append(1))
    context = CallbackContext(bot.app)
    good = tmp_path / "rounds.json"
    good.write_text(json.dumps([talks_round("istanbul-2026-03")]))
    bad = tmp_path / "broken.yaml"
    bad.write_text("- id: bad-one\n  kind: talks\n  title: No sources\n  status: scheduled\n")
    await job.run(context)
    assert bot.store.get("istanbul-2026-03")["place"] == "Istanbul"
    assert woken == [1]
    [reported] = bot.fake.messages_for(CURATORS)
    assert "broken.yaml" in reported.text and "sources" in reported.text

    # An unchanged folder: nothing written, nothing reported again.
    before = dump_json(export_events(bot.store))
    await job.run(context)
    assert dump_json(export_events(bot.store)) == before
    assert len(bot.fake.messages_for(CURATORS)) == 1

    # A changed file: one new revision.
    good.write_text(json.dumps([talks_round("istanbul-2026-03", start="2026-03-12")]))
    await job.run(context)
    [_, moved] = bot.store.revisions("istanbul-2026-03")
    assert moved.changes["start"] == {"old": "2026-03-10", "new": "2026-03-12"}
    assert moved.author == "file:rounds.json"
