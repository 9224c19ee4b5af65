"""SITREP_HTTP_PORT, SITREP_HTTP_HOST and SITREP_PUBLIC_URL as people write them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

NO_DOTENV = Path("/nonexistent/.env")


def test_the_web_is_off_by_default_and_bound_to_loopback() -> None:
    settings = load_settings({}, NO_DOTENV)
    assert settings.http_port is None
    assert settings.http_host == "127.0.0.1"
    assert settings.public_url == ""


def test_port_host_and_public_address_are_read() -> None:
    settings = load_settings(
        {
            "SITREP_HTTP_PORT": "8080",
            "SITREP_HTTP_HOST": "0.0.0.0",
            "SITREP_PUBLIC_URL": "https://sitrep.example.org/",
        },
        NO_DOTENV,
    )
    assert (settings.http_port, settings.http_host) == (8080, "0.0.0.0")
    assert settings.public_url == "https://sitrep.example.org"  # no trailing slash


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SITREP_HTTP_PORT", "http"),
        ("SITREP_HTTP_PORT", "70000"),
        ("SITREP_HTTP_PORT", "-1"),
        ("SITREP_PUBLIC_URL", "sitrep.example.org"),
        ("SITREP_PUBLIC_URL", "javascript:alert(1)"),
        ("SITREP_PUBLIC_URL", 'https://x.org/"><script>'),
    ],
)
def test_unusable_values_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, NO_DOTENV)
