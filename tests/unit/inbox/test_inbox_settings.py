"""The listener's settings: one file for the app, defaults when there is none, the address of
older profiles adopted once, a damaged file set aside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crmdesk.inbox import ListenerSettings, Retention, load_settings, save_settings


def test_no_file_is_the_defaults_on_loopback(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "listener.json")
    assert settings == ListenerSettings()
    assert settings.host == "127.0.0.1"
    assert not (tmp_path / "listener.json").exists()


def test_saved_settings_load_back(tmp_path: Path) -> None:
    path = tmp_path / "listener.json"
    mine = ListenerSettings(
        host="0.0.0.0",
        port=9100,
        public_base_url="https://relay.example/me",
        desktop_notifications=False,
        retention_days=7,
        retention_count=None,
    )
    save_settings(mine, path)
    assert load_settings(path) == mine
    assert mine.retention() == Retention(7, None)
    assert [p.name for p in tmp_path.iterdir()] == ["listener.json"]  # no temporary left


def test_the_file_lives_in_the_config_directory() -> None:
    save_settings(ListenerSettings(port=9200))
    home = Path(os.environ["CRMDESK_HOME"])
    assert json.loads((home / "config" / "listener.json").read_text())["port"] == 9200


def test_the_moved_address_of_old_profiles_is_adopted_once(tmp_path: Path) -> None:
    path = tmp_path / "listener.json"
    moved = {"host": "0.0.0.0", "port": 9000}
    adopted = load_settings(path, moved_listener=moved)
    assert (adopted.host, adopted.port) == ("0.0.0.0", 9000)
    assert path.exists()
    save_settings(ListenerSettings(port=9300), path)
    # Settings the user has since saved win over the old address.
    assert load_settings(path, moved_listener=moved).port == 9300


def test_a_damaged_file_is_set_aside_and_the_defaults_used(tmp_path: Path) -> None:
    path = tmp_path / "listener.json"
    path.write_text('{"port": "eighty"}')
    assert load_settings(path) == ListenerSettings()
    assert (tmp_path / "listener.json.damaged").exists()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"port": 70000}, "port"),
        ({"host": " "}, "host"),
        ({"retention_count": 0}, "count"),
        ({"retention_days": -1}, "age"),
    ],
)
def test_settings_that_cannot_work_are_refused(fields: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        ListenerSettings(**fields)  # type: ignore[arg-type]
