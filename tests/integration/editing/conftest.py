"""Integration fixtures for the editing core: the shared sandbox fixtures, with the kind chosen
per test (`@pytest.mark.parametrize("api_kind", [...], indirect=True)`), and a change log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from crmdesk.editing import ChangeLog


@pytest.fixture
def api_kind(request: Any) -> str:
    kind: str = getattr(request, "param", "cmdatamanager")
    return kind


@pytest_asyncio.fixture
async def changelog(tmp_path: Path) -> AsyncIterator[ChangeLog]:
    opened = await ChangeLog.open(tmp_path / "changes.sqlite3")
    try:
        yield opened
    finally:
        await opened.aclose()
