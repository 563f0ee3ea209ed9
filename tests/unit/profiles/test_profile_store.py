"""ProfileStore: atomic writes, a damaged file set aside, one bad profile never costs the rest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crmdesk import paths
from crmdesk.profiles import NotificationAuth, NotificationSettings, Profile, ProfileStore
from crmdesk.profiles.migrations import CURRENT


def _profiles() -> list[Profile]:
    return [
        Profile(
            "Acme Ltd",
            "cmdatamanager",
            "https://acme.example/api/v1",
            production=True,
            color="#c62828",
            options={"custom_entities": ["subscription"]},
        ),
        Profile(
            "Dealer",
            "aicore",
            "https://dealer.example/service",
            read_only=True,
            notifications=NotificationSettings(True, NotificationAuth.PASSIVE),
        ),
        Profile(
            "Marketing", "getresponse", "", options={"domain": "x.example", "time_zone": "UTC"}
        ),
    ]


def test_the_file_lives_in_the_config_directory_under_crmdesk_home(home_dir: Path) -> None:
    store = ProfileStore()
    store.save(_profiles())
    assert store.path == home_dir / "config" / "profiles.json"
    assert store.path.exists()


def test_what_is_saved_loads_back_the_same(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    saved = _profiles()
    store.save(saved, last_used=saved[1].id)
    loaded = store.load()
    assert loaded.profiles == tuple(saved)
    assert loaded.last_used == saved[1].id
    assert loaded.problems == ()
    assert json.loads(store.path.read_text())["schema"] == CURRENT


def test_no_file_is_no_profiles_and_no_problem(tmp_path: Path) -> None:
    loaded = ProfileStore(tmp_path / "profiles.json").load()
    assert loaded.profiles == ()
    assert loaded.problems == ()


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(_profiles()[:1])
    before = store.path.read_bytes()

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        store.save(_profiles())
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["profiles.json"]


def test_the_write_goes_to_a_synced_temporary_that_is_renamed_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(_profiles()[:1])
    synced: list[int] = []
    renamed: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    monkeypatch.setattr(
        os, "replace", lambda a, b: (renamed.append((str(a), str(b))), real_replace(a, b))[1]
    )
    store.save(_profiles())
    assert synced, "the new file was not flushed to disk before the rename"
    ((source, target),) = renamed
    assert Path(source).parent == tmp_path
    assert source.endswith(".tmp")
    assert target == str(store.path)


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe garbage", b'"just a string"', b'{"schema": "two"}', b""],
)
def test_a_damaged_file_is_set_aside_and_reported_and_start_up_goes_on(
    tmp_path: Path, content: bytes
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.path.write_bytes(content)
    loaded = store.load()
    assert loaded.profiles == ()
    assert loaded.backup is not None
    assert loaded.backup.read_bytes() == content
    assert loaded.backup.name.startswith("profiles.json.corrupt-")
    assert not store.path.exists()
    assert "set aside" in loaded.problems[0]
    assert loaded.backup.name in loaded.problems[0]
    store.save(_profiles())  # and the app can save again afterwards
    assert len(store.load().profiles) == 3


def test_one_bad_profile_is_skipped_the_others_load_and_the_file_is_kept(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    good = [p.to_json() for p in _profiles()]
    bad = [
        {"name": "No kind"},
        {"name": "Martian", "kind": "mars", "base_url": ""},
        {"name": "Odd colour", "kind": "ndchost", "color": "red"},
        "not even an object",
    ]
    store.path.write_text(json.dumps({"schema": CURRENT, "profiles": [good[0], *bad, *good[1:]]}))
    original = store.path.read_bytes()
    loaded = store.load()
    assert [p.name for p in loaded.profiles] == ["Acme Ltd", "Dealer", "Marketing"]
    assert len(loaded.problems) == len(bad) + 1
    assert "'Martian'" in loaded.problems[1]
    assert "mars" in loaded.problems[1]
    assert loaded.backup is not None
    assert loaded.backup.read_bytes() == original


def test_a_newer_schema_is_read_tolerantly_and_a_copy_kept(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    entry = _profiles()[0].to_json() | {"something_new": 1}
    store.path.write_text(json.dumps({"schema": CURRENT + 1, "profiles": [entry]}))
    loaded = store.load()
    assert [p.name for p in loaded.profiles] == ["Acme Ltd"]
    assert "newer crmdesk" in loaded.problems[0]
    assert loaded.backup is not None
    assert loaded.backup.exists()


def test_a_last_used_id_that_is_not_there_is_forgotten(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.save(_profiles(), last_used="gone")
    assert store.load().last_used is None


@pytest.fixture
def home_dir() -> Path:
    return Path(os.environ["CRMDESK_HOME"])


def test_paths_follow_crmdesk_home(home_dir: Path) -> None:
    assert paths.config_dir() == home_dir / "config"
