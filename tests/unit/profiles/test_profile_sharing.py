"""Export and import: setups travel, secrets and ids do not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmdesk.profiles import (
    NotificationAuth,
    NotificationSettings,
    Profile,
    export_file,
    import_file,
    import_text,
)
from crmdesk.profiles.sharing import export_text


def _profiles() -> list[Profile]:
    return [
        Profile(
            "Acme Ltd",
            "cmdatamanager",
            "https://acme.example/api/v1",
            production=True,
            color="#c62828",
        ),
        Profile("Dealer", "aicore", "https://dealer.example/service", read_only=True),
    ]


def test_an_export_reimports_as_new_connections_with_the_same_setup(tmp_path: Path) -> None:
    path = tmp_path / "team.json"
    export_file(path, _profiles())
    imported = import_file(path)
    for original, copy in zip(_profiles(), imported.profiles, strict=True):
        assert copy.id != original.id
        assert copy.to_json() | {"id": ""} == original.to_json() | {"id": ""}
    assert imported.problems == ()


def test_an_export_has_no_ids_and_says_what_it_is() -> None:
    document = json.loads(export_text(_profiles()))
    assert document["format"] == "crmdesk-profiles"
    assert all("id" not in entry for entry in document["profiles"])


def test_import_lists_the_credentials_each_connection_needs() -> None:
    imported = import_text(export_text(_profiles()))
    acme, dealer = imported.profiles
    assert imported.needs[acme.id] == ("Client ID", "Client secret", "Username", "Password")
    assert imported.needs[dealer.id] == ("API login ID", "API password")


def test_an_import_never_takes_a_name_already_in_use() -> None:
    imported = import_text(export_text(_profiles()), existing_names=["Acme Ltd", "Acme Ltd (2)"])
    assert [p.name for p in imported.profiles] == ["Acme Ltd (3)", "Dealer"]


def test_an_id_in_the_file_is_ignored() -> None:
    document = json.loads(export_text(_profiles()[:1]))
    document["profiles"][0]["id"] = "someone-elses"
    (profile,) = import_text(json.dumps(document)).profiles
    assert profile.id != "someone-elses"


def test_a_bad_entry_is_skipped_and_said() -> None:
    document = json.loads(export_text(_profiles()))
    document["profiles"].insert(1, {"name": "Martian", "kind": "mars"})
    imported = import_text(json.dumps(document))
    assert [p.name for p in imported.profiles] == ["Acme Ltd", "Dealer"]
    assert imported.problems == (
        "Connection #2 was not imported: crmdesk does not speak the kind of API 'mars'.",
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("nope", "not JSON"),
        ('{"profiles": []}', "not a crmdesk profiles export"),
        ('{"format": "crmdesk-profiles", "version": 99, "profiles": []}', "newer crmdesk"),
        ('{"format": "crmdesk-profiles", "version": 1}', "no list"),
    ],
)
def test_what_is_not_an_export_is_refused_in_words(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        import_text(text)


def test_a_notification_address_is_not_shared_nor_copied() -> None:
    dealer = Profile(
        "Dealer",
        "aicore",
        "https://dealer.example/service",
        notifications=NotificationSettings(enabled=True, auth=NotificationAuth.PASSIVE),
    )
    assert dealer.notifications is not None
    text = export_text([dealer])
    assert dealer.notifications.token not in text
    (imported,) = import_text(text).profiles
    assert imported.notifications is not None
    assert imported.notifications.token != dealer.notifications.token
    assert (imported.notifications.enabled, imported.notifications.auth) == (True, "passive")
    copy = dealer.copy_as_new("Dealer 2")
    assert copy.notifications is not None
    assert copy.notifications.token != dealer.notifications.token
