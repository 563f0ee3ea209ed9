"""Profile: one saved connection, everything but its secrets."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class Profile:
    """A connection as the user set it up. Secrets live in the keyring, keyed by `id`.

    `production` makes the connection visibly different and asks before every write;
    `read_only` stops writes before they reach the network.
    """

    name: str
    kind: str
    base_url: str
    options: Mapping[str, Any] = field(default_factory=dict)
    production: bool = False
    read_only: bool = False
    color: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
