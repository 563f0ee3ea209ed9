"""Older profiles files load: each schema version is brought up to the current one."""

from __future__ import annotations

import json
import re
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


def test_version_1_gains_notification_settings_for_notifying_kinds_only() -> None:
    other = {"id": "p2", "name": "Shop", "kind": "ndchost", "base_url": ""}
    mail = {"id": "p3", "name": "Mail", "kind": "getresponse", "base_url": ""}
    document = migrate({"schema": 1, "profiles": [dict(V1_PROFILE), other, mail]})
    assert document["profiles"][0]["notifications"]["auth"] == "key"
    assert "notifications" not in document["profiles"][1]
    assert document["profiles"][2]["notifications"]["enabled"] is False


def test_a_version_1_setting_the_user_made_is_kept_and_its_port_moves_to_the_listener() -> None:
    mine = dict(V1_PROFILE, notifications={"enabled": True, "port": 9100})
    document = migrate({"schema": 1, "profiles": [mine]})
    notifications = document["profiles"][0]["notifications"]
    assert notifications["enabled"] is True
    assert "port" not in notifications
    assert document["moved_listener"] == {"host": "127.0.0.1", "port": 9100}


def _v2(kind: str, name: str, **notifications: object) -> dict[str, object]:
    return {"id": name, "name": name, "kind": kind, "base_url": "", "notifications": notifications}


def test_version_2_addresses_leave_the_profiles_the_first_enabled_one_becomes_the_listeners() -> (
    None
):
    document = migrate(
        {
            "schema": 2,
            "profiles": [
                _v2("aicore", "off", enabled=False, host="10.0.0.1", port=7000, auth="key"),
                _v2("aicore", "on", enabled=True, host="0.0.0.0", port=9000, auth="passive"),
                _v2("aicore", "later", enabled=True, host="127.0.0.1", port=9001, auth="plain"),
            ],
            "last_used": "on",
        }
    )
    assert document["schema"] == CURRENT
    assert document["moved_listener"] == {"host": "0.0.0.0", "port": 9000}
    assert document["last_used"] == "on"
    for entry in document["profiles"]:
        assert set(entry["notifications"]) == {"enabled", "auth", "token"}
    assert [e["notifications"]["auth"] for e in document["profiles"]] == ["key", "passive", "plain"]


def test_every_migrated_connection_gets_its_own_url_safe_token() -> None:
    profiles = [_v2("aicore", f"d{n}", enabled=False, port=8765) for n in range(3)]
    document = migrate({"schema": 2, "profiles": profiles, "last_used": None})
    tokens = [entry["notifications"]["token"] for entry in document["profiles"]]
    assert len(set(tokens)) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{40,}", token) for token in tokens)
    assert "moved_listener" not in document  # no connection listened: nothing to move


def test_a_migrated_file_is_written_back_at_once_so_its_tokens_stay(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path / "profiles.json")
    old = {"schema": 2, "profiles": [_v2("aicore", "Dealer", enabled=True, port=9100)]}
    store.path.write_text(json.dumps(old))
    first = store.load()
    second = ProfileStore(store.path).load()
    assert first.profiles[0].notifications is not None
    assert first.profiles == second.profiles
    assert first.moved_listener == {"host": "127.0.0.1", "port": 9100}
    (kept,) = tmp_path.glob("profiles.json.schema2-*")
    assert json.loads(kept.read_text()) == old
    # Kept through saves, until the listener settings have adopted it.
    store.save(first.profiles)
    assert ProfileStore(store.path).load().moved_listener == {"host": "127.0.0.1", "port": 9100}


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
    assert profile.notifications is not None
    assert profile.notifications == NotificationSettings(token=profile.notifications.token)
    store.save(loaded.profiles)
    assert json.loads(store.path.read_text())["schema"] == CURRENT
