"""Two exchanges side by side: what changed in the request, the status, the headers and the
bodies (a structural diff of JSON, a line diff of anything else).

Pure functions over what the exchanges hold; bounded in depth, in the number of changes and
in the lines compared, so two huge replies still compare in a moment.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from crmdesk.api import Exchange, json_value

MAX_DEPTH = 32
MAX_CHANGES = 1000
MAX_LINES = 5000

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


class Change(Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class HeaderDifference:
    """A header only one side has, or has with another value; `name` as the first side
    spells it. Repeated headers are compared as their values joined by ", "."""

    name: str
    change: Change
    old: str | None
    new: str | None


@dataclass(frozen=True, slots=True)
class JsonDifference:
    """A value at `path` (`$.Entity[3].Name`) that one side lacks or holds differently.

    `old` and `new` are JSON values (None stands for a missing one, as `change` says; JSON
    null is None too, with `change` CHANGED). Beyond MAX_DEPTH a whole subtree differs as one.
    """

    path: str
    change: Change
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class BodyComparison:
    """How two bodies differ: `kind` is "same", "json" (see `changes`), "text" (see
    `lines`, a unified diff) or "binary" (they differ; no diff is shown). `cut` says the
    comparison stopped at a bound (MAX_CHANGES changes, MAX_LINES lines)."""

    kind: str
    changes: tuple[JsonDifference, ...] = ()
    lines: tuple[str, ...] = ()
    cut: bool = False

    @property
    def same(self) -> bool:
        return self.kind == "same"


@dataclass(frozen=True, slots=True)
class Comparison:
    method: tuple[str, str] | None  # (old, new) when they differ
    url: tuple[str, str] | None
    status: tuple[int | None, int | None] | None
    request_headers: tuple[HeaderDifference, ...]
    response_headers: tuple[HeaderDifference, ...]
    request_body: BodyComparison
    response_body: BodyComparison

    @property
    def same(self) -> bool:
        return not (
            self.method
            or self.url
            or self.status
            or self.request_headers
            or self.response_headers
            or not self.request_body.same
            or not self.response_body.same
        )


def compare(a: Exchange, b: Exchange) -> Comparison:
    """How `b` differs from `a` (a replay from its original, a retry from the first try)."""
    return Comparison(
        method=(a.method, b.method) if a.method != b.method else None,
        url=(a.url, b.url) if a.url != b.url else None,
        status=(a.status, b.status) if a.status != b.status else None,
        request_headers=compare_headers(a.request_headers, b.request_headers),
        response_headers=compare_headers(a.response_headers, b.response_headers),
        request_body=compare_bodies(a.request_body, b.request_body),
        response_body=compare_bodies(a.response_body, b.response_body),
    )


def compare_headers(
    old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]
) -> tuple[HeaderDifference, ...]:
    before, after = _by_name(old), _by_name(new)
    found = []
    for key, (name, value) in before.items():
        if key not in after:
            found.append(HeaderDifference(name, Change.REMOVED, value, None))
        elif after[key][1] != value:
            found.append(HeaderDifference(name, Change.CHANGED, value, after[key][1]))
    for key, (name, value) in after.items():
        if key not in before:
            found.append(HeaderDifference(name, Change.ADDED, None, value))
    return tuple(found)


def _by_name(headers: Sequence[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    joined: dict[str, tuple[str, str]] = {}
    for name, value in headers:
        key = name.lower()
        joined[key] = (
            (joined[key][0], f"{joined[key][1]}, {value}") if key in joined else (name, value)
        )
    return joined


def compare_bodies(old: bytes, new: bytes) -> BodyComparison:
    if old == new:
        return BodyComparison("same")
    old_json, old_value = json_value(old) if old.strip() else (False, None)
    new_json, new_value = json_value(new) if new.strip() else (False, None)
    if old_json and new_json:
        changes = list(_json_changes(old_value, new_value))
        cut = len(changes) > MAX_CHANGES
        # Equal as JSON (only spacing or key order differ): the values are the same.
        kind = "json" if changes else "same"
        return BodyComparison(kind, tuple(changes[:MAX_CHANGES]), cut=cut)
    texts = [_text(body) for body in (old, new)]
    if None in texts:
        return BodyComparison("binary")
    old_lines, new_lines = (text.splitlines() for text in texts if text is not None)
    cut = max(len(old_lines), len(new_lines)) > MAX_LINES
    diff = difflib.unified_diff(
        old_lines[:MAX_LINES], new_lines[:MAX_LINES], "first", "second", lineterm=""
    )
    return BodyComparison("text", lines=tuple(diff), cut=cut)


def _text(body: bytes) -> str | None:
    if b"\x00" in body[:4096]:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _json_changes(old: object, new: object) -> Iterator[JsonDifference]:
    """Changes in document order (the first side's, then what only the second has).

    Its own stack, not recursion: a reply can nest deeper than Python recurses. Yields at
    most one change past MAX_CHANGES, so the caller can tell the list was cut.
    """
    # A task is a pair to compare (change None) or a change found, waiting for its turn.
    stack: list[tuple[str, object, object, int, Change | None]] = [("$", old, new, 0, None)]
    count = 0
    while stack and count <= MAX_CHANGES:
        path, a, b, depth, found = stack.pop()
        if found is not None:
            count += 1
            yield JsonDifference(path, found, a, b)
            continue
        tasks: list[tuple[str, object, object, int, Change | None]] = []
        if depth < MAX_DEPTH and isinstance(a, dict) and isinstance(b, dict):
            for key, value in a.items():
                child = _child(path, key)
                if key in b:
                    tasks.append((child, value, b[key], depth + 1, None))
                else:
                    tasks.append((child, value, None, depth + 1, Change.REMOVED))
            tasks.extend(
                (_child(path, key), None, value, depth + 1, Change.ADDED)
                for key, value in b.items()
                if key not in a
            )
        elif depth < MAX_DEPTH and isinstance(a, list) and isinstance(b, list):
            common = min(len(a), len(b))
            tasks.extend((f"{path}[{i}]", a[i], b[i], depth + 1, None) for i in range(common))
            tasks.extend(
                (f"{path}[{i}]", a[i], None, depth + 1, Change.REMOVED)
                for i in range(common, len(a))
            )
            tasks.extend(
                (f"{path}[{i}]", None, b[i], depth + 1, Change.ADDED) for i in range(common, len(b))
            )
        elif not _same(a, b):
            count += 1
            yield JsonDifference(path, Change.CHANGED, a, b)
        stack.extend(reversed(tasks))


def _same(a: object, b: object) -> bool:
    # 1 and true are equal to Python but not to JSON; 1 and 1.0 are the same number.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, dict | list):  # only past MAX_DEPTH: the rest of the tree as one value
        try:
            return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
        except (RecursionError, ValueError, TypeError):
            return False
    return a == b


def _child(path: str, key: str) -> str:
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"
