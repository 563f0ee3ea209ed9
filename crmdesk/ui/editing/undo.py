"""Undo last save: what the last save on a connection changed, said before anything is sent
(and what of it cannot be undone, in words), then the old values put back where the API
allows, reported record by record like a save."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from crmdesk.api import ApiError
from crmdesk.editing import Change, Outcome, RecordResult, SaveReport, undo_last_save
from crmdesk.ui.browser.listing import plural
from crmdesk.ui.editing.result_window import ResultWindow
from crmdesk.ui.editing.results import ResultsModel, results_table, summary
from crmdesk.ui.profiles.ask import confirm
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.tasks import Op, Progress

if TYPE_CHECKING:
    from crmdesk.ui.editing.window import RecordEditing

_SHOWN = 12
NO_LOG = "The change log could not be opened, so crmdesk knows no save to undo."


def change_words(
    change: Change, labels: Mapping[str, str], names: Mapping[str, str]
) -> tuple[str, str]:
    """(the record in words, what the undo does to it): "Lead QEM2B3L3 · George Bishop",
    "Job title: back to “CEO” (now “CTO”)"; an action by its label ("action Convert lead")."""
    what = labels.get(change.field, change.field) or change.kind
    if change.kind == "update":
        words = f"{what}: back to {_quoted(change.before)} (now {_quoted(change.after)})"
    else:
        words = f"{change.kind} {what}".strip()
    return names.get(change.record_id, f"{change.entity} {change.record_id}"), words


def describe(
    changes: list[Change],
    labels: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
) -> str:
    """The last save's changes as a list a person reads before undoing it (rich text): each
    record in words (`names`: record id → "Lead QEM2B3L3 · George Bishop") and each field or
    action by its label (`labels`: API name → label), where they are known."""
    lines = []
    for change in changes[:_SHOWN]:
        record, words = change_words(change, labels or {}, names or {})
        mark = "" if change.undoable else " — <b>cannot be undone</b>"
        lines.append(f"<li>{escape(record)}: {escape(words)}{mark}</li>")
    more = len(changes) - _SHOWN
    tail = f"<li>… and {more} more</li>" if more > 0 else ""
    return f"<ul>{''.join(lines)}{tail}</ul>"


def _quoted(value: object) -> str:
    return "(empty)" if value in (None, "") else f"“{value}”"


class UndoFlow:
    """Undo for one window's record editing."""

    def __init__(self, editing: RecordEditing) -> None:
        self._editing = editing
        self.last_window: QWidget | None = None
        # The records of the save being undone, in words, for its results.
        self.names: dict[str, str] = {}

    def start(self, session: ConnectionSession) -> None:
        Op(lambda: self._prepare(session), name="prepare undo").success(
            lambda go: self._send(session) if go else None
        ).run(self._editing.tasks)

    async def _prepare(self, session: ConnectionSession) -> bool:
        editing = self._editing
        changelog = editing.desk.changelog
        if changelog is None:
            self._say(session, NO_LOG)
            return False
        changes = await changelog.last_save(session.id)
        if not changes:
            self._say(session, f"Nothing saved from crmdesk on {session.name} to undo.")
            return False
        # What cannot be undone is marked in the list; the core says why when it refuses.
        can = [c for c in changes if c.undoable]
        labels, self.names = await self._words(session, changes)
        if not can:
            # Nothing to put back: say so, rather than offer an Undo that can do nothing.
            done = "; ".join(": ".join(change_words(c, labels, self.names)) for c in changes)
            self._say(
                session,
                f"The last save on {session.name} cannot be undone: the API cannot take it "
                f"back. It was {done}.",
            )
            return False
        asked = await confirm(
            editing.window,
            "Undo last save",
            f"<p>Undo the last save on <b>{escape(session.name)}</b>? It puts back "
            f"{plural(len(can), 'old value')}:</p>{describe(changes, labels, self.names)}",
            "Undo",
            detail="The undo is itself a save: it is logged and can be seen in the change log.",
        )
        if not asked:
            return False
        records = len({c.record_id for c in can})
        allowed = await editing.guard.allow(
            session.profile, f"undo the last save ({plural(records, 'record')})"
        )
        if not allowed and editing.guard.last_refusal:
            self._say(session, editing.guard.last_refusal)
        return allowed

    async def _words(
        self, session: ConnectionSession, changes: list[Change]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """The fields' labels and the records' names of these changes, where known (a field
        list that cannot be read leaves the API names: the question must still be asked)."""
        labels: dict[str, str] = {}
        names: dict[str, str] = {}
        backend = session.backend
        for entity in {c.entity for c in changes}:
            info = session.entity(entity)
            if info is None:
                continue
            for change in changes:
                if change.entity == entity:
                    names[change.record_id] = self._editing.name_of(session, info, change.record_id)
            labels.update({action.name: action.label for action in info.actions})
            if backend is not None:
                with contextlib.suppress(ApiError):
                    labels.update({f.name: f.label for f in await backend.fields(entity)})
        return labels, names

    def _send(self, session: ConnectionSession) -> None:
        editing = self._editing
        backend, changelog = session.backend, editing.desk.changelog
        if backend is None or changelog is None:
            self._say(session, f"{session.name} is not connected; nothing was sent.")
            return

        async def run(progress: Progress) -> SaveReport | str:
            return await undo_last_save(backend, changelog, session.id, on_progress=progress.report)

        def done(outcome: SaveReport | str) -> None:
            if isinstance(outcome, str):
                self._say(session, outcome)
                return
            editing.desk.changed(
                session.id, outcome.entity, tuple(r.record_id for r in outcome.results)
            )
            self.last_window = UndoResults(outcome, editing.window, self.names)
            self.last_window.show()

        Op(run, name="undo last save").with_progress(
            f"Undoing the last save on {session.name}…", cancellable=True
        ).success(done).run(editing.tasks)

    def _say(self, session: ConnectionSession, words: str) -> None:
        result = RecordResult("", Outcome.NOT_SENT, words)
        self.last_window = ResultWindow(
            "Undo last save", result, self._editing.window, server=session.name
        )
        self.last_window.show()


class UndoResults(QDialog):
    """What the undo did, record by record."""

    def __init__(
        self,
        report: SaveReport,
        parent: QWidget | None = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("undoResults")
        self.setWindowTitle("Undo last save")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report = report
        self.heading = QLabel(f"<b>Undo: {escape(summary(report))}</b>", self)
        self.heading.setObjectName("heading")
        self.model = ResultsModel(self)
        self.model.set_report(report, dict(names or {}))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(results_table(self.model, self))
        column.addWidget(buttons)
        self.resize(640, 320)
