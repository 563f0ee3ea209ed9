"""The tests' in-memory keyring keeps keyring's own backend contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from keyring.testing.backend import BackendBasicTests
from memory_keyring import MemoryKeyring


class TestMemoryKeyring(BackendBasicTests):
    # BackendBasicTests builds its keyring in this autouse fixture; same steps, our backend.
    @pytest.fixture(autouse=True)
    def _init_properties(self) -> Iterator[None]:
        self.keyring = self.init_keyring()
        self.credentials_created: set[tuple[str, str]] = set()
        yield
        self.cleanup()

    def init_keyring(self) -> MemoryKeyring:
        return MemoryKeyring()
