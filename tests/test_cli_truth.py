"""The command line: claims set with a source, exports for curators and for readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.settings import SettingsError, parse_admins
from storage.db import connect
from storage.events import EventStore
from storage.seed import load_seed_if_empty
from tests.cli import run

TRUMP = "trump-claim-kyiv-strike-pause-2026"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sitrep.db"
    monkeypatch.setenv("SITREP_DB", str(path))
    monkeypatch.delenv("SITREP_ADMINS", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "anna_ops")
    db = connect(path)
    load_seed_if_empty(EventStore(db))
    db.close()
    return path


def test_claim_sets_a_status_with_its_source(capsys, db_path):
    code, out, err = run(
        capsys, "claim", "11", "--status", "false", "--reason", "Strikes went on",
        "--source", "Reuters", "--source-url", "https://reuters.example/x",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.strip() == f"{TRUMP}: revision 1: claim unverified -> false"
    store = EventStore(connect(db_path))
    assert store.get(11)["claim"] == {
        "status": "false",
        "scope": ["Ukraine"],
        "reason": "Strikes went on",
        "source": {"name": "Reuters", "url": "https://reuters.example/x"},
    }
    [_, revision] = store.revisions(TRUMP)
    assert revision.author == "os:anna_ops"
    assert revision.source == {"name": "Reuters", "url": "https://reuters.example/x"}
    code, out, _ = run(capsys, "claim", "11", "--status", "false", "--source", "Reuters",
                       "--source-url", "https://reuters.example/x", "--reason", "Strikes went on")  # fmt: skip
    assert (code, out.strip()) == (0, "11: already so; nothing changed")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("11", "--status", "confirmed"), "claim.source: is required for the status confirmed"),
        (("4", "--status", "unverified", "--scope", "Dnipro"), "only statements can be claims"),
        (("6", "--status", "unverified"), "claim.scope: is required"),
        (("11", "--status", "maybe", "--source", "X"), "claim.status: must be one of"),
        (("999", "--status", "unverified"), "no event '999'"),
    ],
)
def test_a_claim_that_cannot_be_set_is_refused_and_changes_nothing(capsys, db_path, argv, message):
    before = run(capsys, "export")[1]
    code, _, err = run(capsys, "claim", *argv)
    assert code == 1 and message in err
    assert run(capsys, "export")[1] == before


def test_export_keeps_authors_for_curators_and_public_export_hides_them(
    capsys, db_path, monkeypatch
):
    store = EventStore(connect(db_path))
    store.update(3, {"note": "By chat."}, author="tg:9001 @olena_k", reason="x")
    store.update(3, {"note": "By another."}, author="tg:9002 @petro_v", reason="y")
    assert run(capsys, "claim", "11", "--status", "unverified", "--scope", "Kyiv")[0] == 0
    full = run(capsys, "export")[1]
    assert "tg:9001 @olena_k" in full and "os:anna_ops" in full and "file:seed.yaml" in full
    monkeypatch.setenv("SITREP_ADMINS", "9001:Newsroom desk, 9002")
    code, public, _ = run(capsys, "export", "--public")
    assert code == 0
    for secret in ("9001", "9002", "olena_k", "petro_v", "anna_ops", "tg:", "os:", "file:"):
        assert secret not in public, secret
    authors = {
        r["author"]
        for e in json.loads(public)
        for r in e["revisions"]
        if e["id"] == "abu-dhabi-trilateral-2026-02"
    }
    assert authors == {"editor", "Newsroom desk"}


def test_export_import_export_carries_paraphrase_claims_and_dated_history(
    capsys, db_path, tmp_path, monkeypatch
):
    assert run(capsys, "claim", "11", "--status", "disputed", "--source", "Reuters")[0] == 0
    first = run(capsys, "export")[1]
    exported = tmp_path / "export.json"
    exported.write_text(first, encoding="utf-8")
    monkeypatch.setenv("SITREP_DB", str(tmp_path / "other.db"))
    code, _, err = run(capsys, "import", str(exported))
    assert (code, err) == (0, ""), err
    assert run(capsys, "export")[1] == first
    events = {e["id"]: e for e in json.loads(first)}
    assert events[TRUMP]["paraphrase"].startswith("Russia had agreed")
    assert events[TRUMP]["claim"]["status"] == "disputed"
    [_, postponed] = events["abu-dhabi-trilateral-2026-02"]["revisions"]
    assert (postponed["happened"], postponed["happened_precision"]) == ("2026-01-31", "approximate")


def test_history_on_the_command_line_names_every_author_and_the_dates(capsys, db_path):
    code, out, _ = run(capsys, "history", "3")
    assert code == 0
    assert "curator:seed" in out
    assert "(happened 2026-01-31, approximate) curator:seed: start" in out


@pytest.mark.parametrize(
    ("value", "admins", "aliases"),
    [
        ("9001:Newsroom desk,9002", {9001, 9002}, {9001: "Newsroom desk"}),
        (" 9001 : Newsroom   desk , 9002 ", {9001, 9002}, {9001: "Newsroom desk"}),
        ("9001", {9001}, {}),
        ("", set(), {}),
        ("1,2,", {1, 2}, {}),
    ],
)
def test_admins_are_read_with_their_aliases(value, admins, aliases):
    assert parse_admins(value) == (admins, aliases)


@pytest.mark.parametrize("value", ["9001:", "abc:Desk", "9001:" + "x" * 61, ":Desk"])
def test_admins_that_cannot_be_read_are_refused(value):
    with pytest.raises(SettingsError):
        parse_admins(value)
