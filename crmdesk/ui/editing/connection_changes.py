"""A connection's unsaved changes when the Connections dialog changes the connection under
its open tabs (the window closes them, as they were opened with the old settings).

Edited: the connection is the same one, so its changes stay pending, and the person is told
where they are, with the way back to them ("Reopen lists"). When it now points at another
address or kind, the changes were typed against records that may not be there: they are
kept all the same, but the person is asked to check them, or may discard them.

Deleted: the changes can no longer be sent. They are reverted only after asking, and the
first answer offered keeps what was typed in a CSV file: nothing typed is lost unasked.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from crmdesk.api import EntityInfo
from crmdesk.profiles import Profile
from crmdesk.ui.browser.listing import plural
from crmdesk.ui.editing.pending import PendingSignals
from crmdesk.ui.profiles.ask import answer_of
from crmdesk.ui.session import ConnectionSession, ConnectionState
from crmdesk.ui.tasks import Op

if TYPE_CHECKING:
    from crmdesk.ui.editing.window import RecordEditing

Choice = Literal["reopen", "discard", "later", "file"]


def where_words(pending: PendingSignals, connection_id: str, labels: Mapping[str, str]) -> str:
    """ "Leads (2 records) and Tasks (1 record)": the lists that hold unsaved changes."""
    parts = [
        f"{labels.get(entity, entity)} ({plural(len(ids), 'record')})"
        for entity, ids in _lists(pending, connection_id).items()
    ]
    if len(parts) < 2:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _lists(pending: PendingSignals, connection_id: str) -> dict[str, set[str]]:
    """Entity → the ids of its records with unsaved changes (refused texts included)."""
    lists: dict[str, set[str]] = {}
    for _connection, entity in pending.edits.entities(connection_id):
        lists.setdefault(entity, set()).update(pending.edits.of_entity(connection_id, entity))
    for key in pending.refused_cells(connection_id):
        lists.setdefault(key[1], set()).add(key[2])
    return lists


def unsent_csv(pending: PendingSignals, connection_id: str, connection_name: str) -> str:
    """Every unsaved change of a connection as CSV: what the person typed, field by field."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["connection", "entity", "record", "field", "old", "new", "note"])
    for _connection, entity in pending.edits.entities(connection_id):
        for record_id, fields in pending.edits.of_entity(connection_id, entity).items():
            for edit in fields.values():
                old, typed = _cell(edit.old), _cell(edit.new)
                writer.writerow(
                    [connection_name, entity, record_id, edit.field, old, typed, "not sent"]
                )
    for key, refused in pending.refused_cells(connection_id).items():
        note = f"typed, not taken: {refused.reason}"
        writer.writerow([connection_name, key[1], key[2], key[3], "", refused.text, note])
    return out.getvalue()


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _box(parent: QWidget, title: str, text: str, detail: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setObjectName("connectionChanges")
    box.setInformativeText(detail)
    return box


def _button(box: QMessageBox, words: str, role: QMessageBox.ButtonRole, name: str) -> None:
    box.addButton(words, role).setObjectName(name)


async def _answer(box: QMessageBox) -> Choice:
    try:
        await answer_of(box)
        clicked = box.clickedButton()
        name = clicked.objectName() if clicked is not None else "later"
        return name if name in ("reopen", "discard", "file") else "later"  # type: ignore[return-value]
    finally:
        box.deleteLater()


class ConnectionChanges:
    """What record editing does when a connection with unsaved changes is edited or deleted."""

    def __init__(self, editing: RecordEditing) -> None:
        self._editing = editing
        self.last_question: QMessageBox | None = None

    # -- edited ---------------------------------------------------------------------------------

    def edited(
        self,
        session: ConnectionSession,
        old: Profile,
        entities: tuple[EntityInfo, ...],
        closed: list[str],
    ) -> None:
        """The connection's tabs of `closed` entities were closed and it now has `session`'s
        new profile; `entities` are what it offered before."""
        self._close_reviews(session.id)
        pending = self._editing.pending
        count = pending.unsaved(session.id)
        if count == 0:
            return
        labels = {info.name: info.label for info in entities}
        new = session.profile
        moved = (old.kind, old.base_url) != (new.kind, new.base_url)
        verb = "is" if count == 1 else "are"
        text = f"<b>{plural(count, 'unsaved change')} of {escape(new.name)} {verb} kept.</b>"
        detail = (
            f"Its tabs closed because the connection changed. The changes are in "
            f"{escape(where_words(pending, session.id, labels))}: opening those lists shows "
            "them again, and Review & save (Ctrl+S) sends them. Nothing has been sent."
        )
        if moved:
            detail += (
                f"<br><br><b>It now points at {escape(new.base_url or new.kind)}</b> (it was "
                f"{escape(old.base_url or old.kind)}). The changes were typed against the "
                "records there: check each one in Review & save before you send it, or "
                "discard them."
            )
        if new.read_only:
            detail += "<br><br>It is read-only now: switch that off to send them."
        box = _box(self._editing.window, "Unsaved changes kept", text, detail)
        reopen = [name for name in closed if name in labels]
        if reopen:
            _button(box, "Reopen lists", QMessageBox.ButtonRole.AcceptRole, "reopen")
        if moved:
            _button(box, "Discard them", QMessageBox.ButtonRole.DestructiveRole, "discard")
        _button(box, "Later", QMessageBox.ButtonRole.RejectRole, "later")
        self.last_question = box

        def chosen(choice: Choice) -> None:
            if choice == "reopen":
                self.reopen(session, reopen)
            elif choice == "discard":
                pending.revert_all(session.id)

        Op(lambda: _answer(box), name="unsaved changes of an edited connection").success(
            chosen
        ).run(self._editing.tasks)

    def reopen(self, session: ConnectionSession, names: list[str]) -> None:
        """Connect again, then open these lists (they show their unsaved changes)."""
        tabs = self._editing.tabs

        def opened() -> None:
            if session.state is ConnectionState.CONNECTING:
                return
            session.changed.disconnect(opened)
            if session.state is ConnectionState.CONNECTED:
                for name in names:
                    info = session.entity(name)
                    if info is not None:
                        tabs.open(session, info)

        session.changed.connect(opened)
        session.open()
        opened()  # already connected (or failed at once): nothing to wait for

    # -- removed -------------------------------------------------------------------------------

    def removed(
        self, connection_id: str, name: str, entities: tuple[EntityInfo, ...]
    ) -> asyncio.Task[None] | None:
        """The connection is gone; ask what becomes of its unsaved changes."""
        self._close_reviews(connection_id)
        pending = self._editing.pending
        count = pending.unsaved(connection_id)
        if count == 0:
            return None
        labels = {info.name: info.label for info in entities}
        text = f"<b>{escape(name)} was deleted with {plural(count, 'unsaved change')}.</b>"
        detail = (
            f"They are in {escape(where_words(pending, connection_id, labels))}. They were "
            "never sent, and cannot be now that the connection is gone. Save them to a CSV "
            "file to keep what you typed, or discard them."
        )
        say = self._editing.say

        async def ask() -> str:
            while pending.unsaved(connection_id):
                title = "Unsaved changes of a deleted connection"
                box = _box(self._editing.window, title, text, detail)
                # No Cancel: the changes cannot stay pending for a connection that is gone.
                _button(box, "Save to a file…", QMessageBox.ButtonRole.AcceptRole, "file")
                _button(box, "Discard them", QMessageBox.ButtonRole.DestructiveRole, "discard")
                self.last_question = box
                if await _answer(box) == "discard":
                    pending.revert_all(connection_id)
                    return f"The unsaved changes of {name} were discarded."
                path = await self._ask_file(name)
                if path is None:
                    continue  # no file chosen: ask again, nothing is lost
                content = unsent_csv(pending, connection_id, name)
                try:
                    await asyncio.to_thread(path.write_text, content, "utf-8")
                except OSError as error:
                    say(f"Could not write {path}: {error.strerror or error}. Choose another file.")
                    continue
                pending.revert_all(connection_id)
                return f"The unsaved changes of {name} are in {path}; nothing was sent."
            return ""

        return (
            Op(ask, name="unsaved changes of a deleted connection")
            .success(lambda words: say(words) if words else None)
            .run(self._editing.tasks)
        )

    def _close_reviews(self, connection_id: str) -> None:
        """A review planned with the old settings (or for a connection gone) goes too."""
        for (reviewed, _entity), dialog in list(self._editing.reviews.items()):
            if reviewed == connection_id:
                dialog.close()

    async def _ask_file(self, name: str) -> Path | None:
        dialog = QFileDialog(
            self._editing.window,
            "Save the unsaved changes",
            f"unsent changes of {_safe(name)}.csv",
            "CSV files (*.csv)",
        )
        dialog.setObjectName("unsentChangesFile")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        try:
            if await answer_of(dialog) != QFileDialog.DialogCode.Accepted:
                return None
            chosen = dialog.selectedFiles()
            return Path(chosen[0]) if chosen else None
        finally:
            dialog.deleteLater()


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in " -_" else "_" for c in name).strip() or "connection"
