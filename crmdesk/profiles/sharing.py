"""Export and import connection setups, never their secrets, so a team can share them.

The exported file is the profiles themselves without ids: an import always makes new
connections (it can never overwrite someone's existing one, or its secrets), and each
imported profile then needs its credentials typed in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from crmdesk import __version__
from crmdesk.api import kind_info, kinds
from crmdesk.paths import write_atomically
from crmdesk.profiles.model import Profile

FORMAT = "crmdesk-profiles"
FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Imported:
    """The new profiles, what each still needs (credential labels), and what was skipped."""

    profiles: tuple[Profile, ...]
    needs: dict[str, tuple[str, ...]]
    problems: tuple[str, ...] = ()


def export_text(profiles: Iterable[Profile]) -> str:
    entries = []
    for profile in profiles:
        entry = profile.to_json()
        del entry["id"]  # an id is this computer's key into its keyring
        if "notifications" in entry:
            # The token is this computer's listener address: an import gets a new one.
            del entry["notifications"]["token"]
        entries.append(entry)
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_by": f"crmdesk {__version__}",
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "note": "Connection setups without their secrets; crmdesk asks for them on import.",
        "profiles": entries,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def export_file(path: Path, profiles: Iterable[Profile]) -> None:
    write_atomically(path, export_text(profiles))


def import_text(text: str, existing_names: Iterable[str] = ()) -> Imported:
    """Read an export. Raises ValueError (in words) when the text is not one at all."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"This is not a crmdesk export (not JSON at line {exc.lineno}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("This is not a crmdesk profiles export.")
    version = document.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ValueError(
            f"This export was made by a newer crmdesk (format {version!r}); update to import it."
        )
    entries = document.get("profiles")
    if not isinstance(entries, list):
        raise ValueError("This export holds no list of profiles.")
    taken = set(existing_names)
    profiles: list[Profile] = []
    problems: list[str] = []
    for number, entry in enumerate(entries, start=1):
        if isinstance(entry, dict):
            entry = {key: value for key, value in entry.items() if key != "id"}
        try:
            profile = Profile.from_json(entry, known_kinds=kinds())
        except ValueError as exc:
            problems.append(f"Connection #{number} was not imported: {exc}.")
            continue
        profile = replace(profile, name=_free_name(profile.name, taken))
        taken.add(profile.name)
        profiles.append(profile)
    needs = {
        profile.id: tuple(field.label for field in kind_info(profile.kind).credentials)
        for profile in profiles
    }
    return Imported(tuple(profiles), needs, tuple(problems))


def import_file(path: Path, existing_names: Iterable[str] = ()) -> Imported:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path.name} could not be read: {exc}.") from None
    return import_text(text, existing_names)


def _free_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"
