"""The Desk owns the pending edits and the change log, and closes the log with its stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmdesk import paths
from crmdesk.desk import Desk
from crmdesk.editing import ChangeLog

pytestmark = pytest.mark.asyncio


async def test_the_desk_opens_the_change_log_in_the_data_dir_and_closes_it() -> None:
    async with Desk.open(load_saved=False) as desk:
        assert desk.edits.count() == 0
        changelog = desk.changelog
        assert isinstance(changelog, ChangeLog)
        assert changelog.path == paths.data_dir() / "changes.sqlite3"
        assert await changelog.changes() == []
    with pytest.raises(RuntimeError, match="closed"):
        await changelog.changes()


async def test_the_change_log_path_can_be_given(tmp_path: Path) -> None:
    async with Desk.open(load_saved=False, changelog_path=tmp_path / "log.sqlite3") as desk:
        assert desk.changelog is not None
        assert desk.changelog.path == tmp_path / "log.sqlite3"


async def test_a_change_log_that_cannot_be_opened_leaves_editing_without_a_log(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    async with Desk.open(load_saved=False, changelog_path=blocked / "log.sqlite3") as desk:
        assert desk.changelog is None
        desk.edits.set("p1", "lead", "1", "Status", "Open", "Contacted")
        assert desk.edits.count() == 1


async def test_a_desk_made_without_opening_has_edits_and_no_log() -> None:
    desk = Desk.create()
    assert desk.changelog is None
    assert desk.edits.count() == 0
