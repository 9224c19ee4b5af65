"""Settings from the environment and from a .env file written as people write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings, SettingsError, load_settings, read_dotenv


def settings_from(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> Settings:
    dotenv = tmp_path / ".env"
    dotenv.write_text(text, encoding="utf-8")
    return load_settings(environ or {}, dotenv)


def test_a_comment_after_an_unquoted_value_is_not_part_of_it(tmp_path):
    settings = settings_from(tmp_path, "SITREP_TOKEN=123:abc  # prod\n")
    assert settings.token == "123:abc"


def test_a_comment_after_a_quoted_value_is_not_part_of_it(tmp_path):
    settings = settings_from(tmp_path, 'SITREP_ADMINS="1,2" # curators\n')
    assert settings.admins == frozenset({1, 2})


def test_single_quotes_are_taken_off_and_a_hash_inside_quotes_is_kept(tmp_path):
    text = "SITREP_TZ='Europe/Berlin'\nSITREP_CHANNEL=\"@news#1\"  # the channel\n"
    settings = settings_from(tmp_path, text)
    assert settings.zone.key == "Europe/Berlin"
    assert settings.channel == "@news#1"


def test_export_before_a_name_is_allowed(tmp_path):
    text = "export SITREP_ADMINS=7\nexport SITREP_DB='/srv/sitrep/sitrep.db'\n"
    settings = settings_from(tmp_path, text)
    assert settings.admins == frozenset({7})
    assert settings.db_path == "/srv/sitrep/sitrep.db"


def test_comment_lines_blank_lines_and_spaces_around_equals(tmp_path):
    text = "# sitrep\n\n   # indented comment\nSITREP_LOG_LEVEL = debug\n\nSITREP_SYNC_MINUTES=2\n"
    settings = settings_from(tmp_path, text)
    assert (settings.log_level, settings.sync_minutes) == ("DEBUG", 2.0)


def test_a_name_without_a_value_is_ignored(tmp_path):
    (tmp_path / ".env").write_text("SITREP_CHANNEL\nSITREP_TZ=Asia/Dubai\n", encoding="utf-8")
    assert read_dotenv(tmp_path / ".env") == {"SITREP_TZ": "Asia/Dubai"}


def test_the_environment_wins_over_the_file(tmp_path):
    settings = settings_from(
        tmp_path,
        "SITREP_TOKEN=from-file  # prod\nSITREP_ADMINS=1\n",
        environ={"SITREP_TOKEN": "from-env"},
    )
    assert settings.token == "from-env"
    assert settings.admins == frozenset({1})  # the file still fills in what the env lacks


def test_no_file_is_no_settings(tmp_path):
    assert read_dotenv(tmp_path / "missing.env") == {}
    assert load_settings({}, tmp_path / "missing.env") == Settings()


def test_the_webhook_secret_comes_from_the_file_and_stays_out_of_repr(tmp_path):
    settings = settings_from(tmp_path, "SITREP_WEBHOOK_SECRET=s3cret-value # webhook\n")
    assert settings.webhook_secret == "s3cret-value"
    assert "s3cret" not in repr(settings)


def test_a_bad_value_in_the_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match="SITREP_ADMINS"):
        settings_from(tmp_path, "SITREP_ADMINS=1,two # curators\n")


def test_the_command_line_reads_dotenv_in_the_working_directory(tmp_path, monkeypatch, capsys):
    db = tmp_path / "from-dotenv.db"
    (tmp_path / ".env").write_text(f"export SITREP_DB='{db}'  # the store\n", encoding="utf-8")
    monkeypatch.delenv("SITREP_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 0
    assert f"database       {db}" in capsys.readouterr().out
    assert db.exists()


def test_delivery_retention_is_90_days_unless_set(tmp_path: Path) -> None:
    assert load_settings({}, tmp_path / "none.env").delivery_retention_days == 90
    assert (
        settings_from(tmp_path, "SITREP_DELIVERY_RETENTION_DAYS=30\n").delivery_retention_days == 30
    )
    assert (
        settings_from(tmp_path, "SITREP_DELIVERY_RETENTION_DAYS=0\n").delivery_retention_days == 0
    )


@pytest.mark.parametrize("value", ["-1", "ninety", "1.5", "99999"])
def test_a_bad_delivery_retention_is_named(tmp_path: Path, value: str) -> None:
    with pytest.raises(SettingsError, match="SITREP_DELIVERY_RETENTION_DAYS"):
        settings_from(tmp_path, f"SITREP_DELIVERY_RETENTION_DAYS={value}\n")


def test_status_shows_the_sizes(tmp_path, monkeypatch, capsys) -> None:
    db = tmp_path / "sized.db"
    monkeypatch.setenv("SITREP_DB", str(db))
    monkeypatch.chdir(tmp_path)
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "WAL" in out
    assert "deliveries     0 rows; compacted: 0 chats told of 0 events (after 90 days)" in out
