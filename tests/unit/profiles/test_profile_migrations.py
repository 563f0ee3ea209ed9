"""Older profiles files load: each schema version is brought up to the current one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmdesk.profiles import NotificationSettings, ProfileStore
from crmdesk.profiles.migrations import CURRENT, SchemaError, migrate, version_of

V1_PROFILE = {"id": "p1", "name": "Dealer", "kind": "aicore", "base_url": "https://d.example/s"}


def test_version_0_a_bare_list_becomes_current() -> None:
    document = migrate([dict(V1_PROFILE)])
    assert document["schema"] == CURRENT
    assert document["profiles"][0]["name"] == "Dealer"
    assert document["last_used"] is None


def test_version_1_gains_notification_settings_for_aicore_only() -> None:
    other = {"id": "p2", "name": "Shop", "kind": "ndchost", "base_url": ""}
    document = migrate({"schema": 1, "profiles": [dict(V1_PROFILE), other]})
    assert document["profiles"][0]["notifications"]["auth"] == "key"
    assert "notifications" not in document["profiles"][1]


def test_a_version_1_setting_the_user_made_is_kept() -> None:
    mine = dict(V1_PROFILE, notifications={"enabled": True, "port": 9100})
    document = migrate({"schema": 1, "profiles": [mine]})
    assert document["profiles"][0]["notifications"] == {"enabled": True, "port": 9100}


def test_current_is_left_alone() -> None:
    document = {"schema": CURRENT, "profiles": [], "last_used": None}
    assert migrate(document) == document


@pytest.mark.parametrize(
    "document",
    [{"schema": 0}, {"schema": True}, 3, {"profiles": []}, {"schema": 1, "profiles": {}}],
)
def test_what_is_no_version_at_all_is_refused(document: object) -> None:
    with pytest.raises(SchemaError):
        version_of(document)


@pytest.mark.parametrize("old", [[V1_PROFILE], {"schema": 1, "profiles": [V1_PROFILE]}])
def test_an_old_file_loads_through_the_store_and_is_saved_current(
    tmp_path: Path, old: object
) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    store.path.write_text(json.dumps(old))
    loaded = store.load()
    assert loaded.problems == ()
    (profile,) = loaded.profiles
    assert profile.id == "p1"
    assert profile.notifications == NotificationSettings()
    store.save(loaded.profiles)
    assert json.loads(store.path.read_text())["schema"] == CURRENT
